"""The candidate's side of a separate-process test run (runs in the forked candidate process).

Reads the program on fd 0, runs it as module `candidate`, then answers the test process's requests
on fd 3, one JSON line each way: call a function, read an attribute, iterate. Results go back as
data (wire.py). Nothing here needs protecting: the tests never enter this process, and every
answer is checked on the other side, so a program that rewrites this file's functions can only
change its own answers.
"""
import atexit
import builtins
import os
import sys
import traceback
import types

import wire

CHANNEL_FD = 3
EXPORT_BYTES = 1 << 20


class Channel:
    def __init__(self, fd):
        self.fd = fd
        self.buffer = b""

    def send(self, message):
        data = wire.dumps(message)
        while data:
            data = data[os.write(self.fd, data):]

    def receive(self):
        while b"\n" not in self.buffer:
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return wire.loads(line)


class Objects:
    """Objects the test process holds references to, by number."""

    def __init__(self):
        self.by_id = {}

    def refer(self, value):
        ident = len(self.by_id) + 1
        self.by_id[ident] = value
        return {"$": "ref", "v": ident, "type": type(value).__name__}

    def resolve(self, tagged):
        if tagged.get("$") == "ref" and tagged.get("v") in self.by_id:
            return self.by_id[tagged["v"]]
        raise ValueError(f"unknown value {tagged!r}"[:200])

    def encode(self, value):
        try:
            return wire.encode(value, self.refer)
        except RecursionError:
            return self.refer(value)

    def decode(self, data):
        return wire.decode(data, self.resolve)


def describe_exception(error):
    try:
        message = str(error)
    except BaseException:
        message = "<unprintable>"
    return {"type": type(error).__name__, "message": message[:2000]}


MUTABLE = (list, dict, set, bytearray)


def perform(objects, request):
    op = request.get("op")
    target = objects.decode(request.get("target"))
    if op == "call":
        args = [objects.decode(arg) for arg in request.get("args", [])]
        kwargs = {key: objects.decode(value) for key, value in request.get("kwargs", [])}
        result = target(*args, **kwargs)
        # Arguments changed in place (a list sorted, a dict filled) travel back to the caller.
        synced = []
        for index, (sent, arg) in enumerate(zip(request.get("args", []), args)):
            if type(arg) in MUTABLE:
                now = objects.encode(arg)
                if now != sent:
                    synced.append([index, now])
        return {"ok": objects.encode(result), "sync": synced}
    if op == "getattr":
        return {"ok": objects.encode(getattr(target, request["name"]))}
    if op == "getitem":
        return {"ok": objects.encode(target[objects.decode(request["key"])])}
    if op == "len":
        return {"ok": len(target)}
    if op == "contains":
        return {"ok": objects.decode(request["item"]) in target}
    if op == "iter":
        return {"ok": objects.refer(iter(target))}
    if op == "next":
        return {"ok": objects.encode(next(target))}
    if op == "bool":
        return {"ok": bool(target)}
    if op == "repr":
        return {"ok": repr(target)[:2000]}
    raise ValueError(f"unknown request {op!r}")


def exports(objects, namespace):
    """Every top-level name: data as a copy, modules by name, anything else by reference."""
    names = {}
    for name, value in list(namespace.items()):
        if name.startswith("__"):
            continue
        if isinstance(value, types.ModuleType):
            names[name] = {"$": "module", "v": value.__name__}
            continue
        encoded = objects.encode(value)
        if len(wire.dumps(encoded)) > EXPORT_BYTES:
            encoded = objects.refer(value)
        names[name] = encoded
    return names


def finish_like_interpreter_exit():
    """What a normal exit does: wait for non-daemon threads, run atexit, flush. Then exit 0."""
    threading = sys.modules.get("threading")
    if threading is not None:  # no threading module imported: no thread it would wait for
        threading._shutdown()
    atexit._run_exitfuncs()
    flush_streams()
    os._exit(0)


def flush_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass


def read_program(fd):
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    return b"".join(chunks).decode("utf-8", "replace")


def serve():
    channel = Channel(CHANNEL_FD)
    # Before any candidate code: tells the test process the sandbox itself came up.
    channel.send({"ready": True})
    code = read_program(0)
    module = types.ModuleType("candidate")
    module.__dict__["__builtins__"] = builtins
    sys.modules["candidate"] = module
    objects = Objects()
    try:
        exec(compile(code, "<candidate>", "exec"), module.__dict__)
    except BaseException as error:  # SystemExit included: exiting is not defining
        traceback.print_exception(type(error), error, error.__traceback__)
        flush_streams()
        channel.send({"failed": describe_exception(error)})
        os._exit(1)
    channel.send({"names": exports(objects, module.__dict__)})
    while True:
        request = channel.receive()
        if request is None:
            flush_streams()
            os._exit(1)
        if request.get("op") == "done":
            break
        try:
            reply = perform(objects, request)
        except StopIteration:
            reply = {"stop": True}
        except BaseException as error:
            reply = {"raised": describe_exception(error)}
        channel.send(reply)
    finish_like_interpreter_exit()
