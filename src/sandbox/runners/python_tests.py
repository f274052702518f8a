"""Runs a problem's Python tests in the test process against a candidate in another process.

The tests get fresh globals and a private copy of the builtins. Each name the candidate defines is
bound for them: data as a copy, a stdlib module as this process's own import, anything else as a
`Remote` whose calls travel to the candidate process as data and whose results come back as data.
So every comparison the tests make runs here, on plain values, and a candidate name never replaces
a builtin (`def abs(x): return 0` must not decide `assert abs(f(x) - y) < 1e-6`), except the
problem's own entry point.
"""
import builtins
import importlib
import sys
import types

import wire

PRISTINE_BUILTINS = dict(builtins.__dict__)
# Modules a candidate may name: the standard library, minus ones that act when imported.
IMPORT_DENYLIST = {"antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo", "webbrowser", "pydoc"}


class CandidateError(Exception):
    """The candidate raised an exception that is not one of Python's own."""


class UnsupportedValue(TypeError):
    pass


def exception_from(described):
    name = str(described.get("type", ""))
    message = str(described.get("message", ""))
    cls = PRISTINE_BUILTINS.get(name)
    if isinstance(cls, type) and issubclass(cls, Exception) and cls is not StopIteration:
        try:
            return cls(message)
        except BaseException:
            pass
    return CandidateError(f"{name}: {message}" if message else name)


class Remote:
    """A candidate object seen from the tests: every operation is a request to the candidate process."""

    __slots__ = ("_link", "_ref", "_type")

    def __init__(self, link, ref, type_name):
        object.__setattr__(self, "_link", link)
        object.__setattr__(self, "_ref", ref)
        object.__setattr__(self, "_type", type_name)

    def _ask(self, op, **fields):
        return self._link.ask(op, {"$": "ref", "v": self._ref}, fields)

    def __call__(self, *args, **kwargs):
        return self._link.call(self._ref, args, kwargs)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._ask("getattr", name=name)

    def __setattr__(self, name, value):
        raise UnsupportedValue("the tests cannot change a candidate object in another process")

    def __getitem__(self, key):
        return self._ask("getitem", key=self._link.encode(key))

    def __len__(self):
        return self._ask("len")

    def __contains__(self, item):
        return self._ask("contains", item=self._link.encode(item))

    def __iter__(self):
        return self._ask("iter")

    def __next__(self):
        return self._ask("next")

    def __bool__(self):
        return self._ask("bool")

    def __eq__(self, other):
        return isinstance(other, Remote) and other._link is self._link and other._ref == self._ref

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._ref)

    def __repr__(self):
        return f"<candidate {self._type} #{self._ref}>"


class Link:
    """The tests' connection to one candidate process; `rpc` sends a request and returns the reply.
    Once the channel broke (`broken`), the run fails even if the tests caught the error."""

    def __init__(self, rpc):
        self._rpc = rpc
        self.broken = None

    def rpc(self, message):
        if self.broken:
            raise wire.ProtocolError(self.broken)
        try:
            return self._rpc(message)
        except wire.ProtocolError as error:
            self.broken = str(error)
            raise

    def resolve(self, tagged):
        tag = tagged.get("$")
        if tag == "ref" and type(tagged.get("v")) is int:
            return Remote(self, tagged["v"], str(tagged.get("type", "object"))[:100])
        raise ValueError(f"unexpected value from the candidate: {str(tagged)[:200]}")

    def refuse(self, value):
        if isinstance(value, Remote) and value._link is self:
            return {"$": "ref", "v": value._ref}
        raise UnsupportedValue(
            f"a {type(value).__name__} cannot be passed to the candidate as data;"
            " tests that hand the candidate callbacks or their own objects need testMode 'in-process'"
        )

    def encode(self, value):
        return wire.encode(value, self.refuse)

    def fail(self, reason):
        self.broken = reason
        raise wire.ProtocolError(reason)

    def decode(self, data):
        try:
            return wire.decode(data, self.resolve)
        except RecursionError:
            self.fail("the candidate answered with data nested too deeply")
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            self.fail(f"the candidate answered with malformed data: {error}"[:300])

    def answer(self, reply):
        if not isinstance(reply, dict):
            self.fail("the candidate broke protocol")
        if "ok" in reply:
            return self.decode(reply["ok"])
        if reply.get("stop") is True:
            raise StopIteration
        if isinstance(reply.get("raised"), dict):
            raise exception_from(reply["raised"])
        self.fail("the candidate broke protocol")

    def ask(self, op, target, fields):
        return self.answer(self.rpc({"op": op, "target": target, **fields}))

    def call(self, ref, args, kwargs):
        sent = [self.encode(arg) for arg in args]
        reply = self.rpc({
            "op": "call",
            "target": {"$": "ref", "v": ref},
            "args": sent,
            "kwargs": [[str(key), self.encode(value)] for key, value in kwargs.items()],
        })
        result = self.answer(reply)
        for index, data in reply.get("sync", []):
            if type(index) is int and 0 <= index < len(args):
                sync_in_place(args[index], self.decode(data))
        return result


def sync_in_place(target, value):
    if type(target) is list and type(value) is list:
        target[:] = value
    elif type(target) is bytearray and type(value) is bytearray:
        target[:] = value
    elif type(target) is dict and type(value) is dict:
        target.clear()
        target.update(value)
    elif type(target) is set and type(value) is set:
        target.clear()
        target.update(value)


def bind_name(link, data):
    if isinstance(data, dict) and data.get("$") == "module" and isinstance(data.get("v"), str):
        name = data["v"]
        top = name.partition(".")[0]
        if name in sys.modules:
            return sys.modules[name]
        if top in sys.stdlib_module_names and top not in IMPORT_DENYLIST:
            try:
                return importlib.import_module(name)
            except BaseException:
                return None
        return None
    return link.decode(data)


def run_tests(link, names, tests, entry_point):
    """Runs the tests; raises on the first failure. `names` is the candidate's exports."""
    test_globals = {"__builtins__": dict(PRISTINE_BUILTINS), "__name__": "tests"}
    candidate = {}
    for name, data in names.items():
        if type(name) is not str or (name in PRISTINE_BUILTINS and name != entry_point):
            continue
        value = bind_name(link, data)
        if value is not None or data is None:
            candidate[name] = value
    test_globals.update(candidate)
    exec(compile(tests, "<tests>", "exec"), test_globals)
    # HumanEval style: the tests define check(candidate); plain assert tests need no call.
    check = test_globals.get("check")
    if entry_point and isinstance(check, types.FunctionType):
        if entry_point not in candidate:
            raise NameError(f"entry point '{entry_point}' is not defined by the candidate")
        check(candidate[entry_point])
    if link.broken:  # the tests caught the error, but the candidate stopped answering properly
        raise wire.ProtocolError(link.broken)
