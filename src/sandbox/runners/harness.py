"""In-process test mode (weaker, chosen per problem): one candidate program and its tests in one process.

Only for problems whose tests need the candidate's objects in their own process (classes they
subclass, callbacks they pass). The candidate shares the process with its tests, so it can reach
them: through frames, builtins, the harness's functions or fd 3. A verdict from this mode says so;
the default mode (candidate_server.py + python_tests.py) keeps the tests in another process.

The harness first writes "started" on fd 3 (so the host can tell a sandbox that failed to come up
from a failing candidate). The pass signal is the nonce echo on fd 3, written only after every test ran: the host sends a
random nonce on fd 3 and accepts the run only when the same nonce comes back and the process
exits 0. A candidate that exits early (os._exit, sys.exit) never reaches the echo. The nonce is
read after the tests, so it is not in memory while candidate code runs.

Tests run in their own globals with a private copy of the builtins, so a candidate that
monkeypatches `builtins` (abs, all, len...) cannot change what the tests compute.
"""
import builtins
import json
import os
import sys
import traceback
import types

SIGNAL_FD = 3
_write = os.write
_read = os.read
_exit = os._exit


def _flush_streams():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass


def _report_failure(stage, error):
    _flush_streams()
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    message = f"\n[starloop] {stage} failed: {text[-4000:]}"
    try:
        _write(2, message.encode("utf-8", "replace"))
    except OSError:
        pass


def _echo_nonce():
    nonce = b""
    while True:
        chunk = _read(SIGNAL_FD, 256)
        if not chunk:
            break
        nonce += chunk
        if nonce.endswith(b"\n"):
            break
    _write(SIGNAL_FD, nonce)


def run_program(code, tests, entry_point):
    """Never returns: exits 0 after echoing the nonce, 1 on any failure."""
    # Before any candidate code: tells the host the sandbox itself came up.
    _write(SIGNAL_FD, b"started\n")
    pristine_builtins = dict(builtins.__dict__)
    module = types.ModuleType("candidate")
    sys.modules["candidate"] = module
    stage = "candidate"
    try:
        exec(compile(code, "<candidate>", "exec"), module.__dict__)
        stage = "tests"
        test_globals = dict(module.__dict__)
        test_globals["__builtins__"] = dict(pristine_builtins)
        test_globals["__name__"] = "tests"
        exec(compile(tests, "<tests>", "exec"), test_globals)
        # HumanEval style: the tests define check(candidate); plain assert tests need no call.
        tests_define_check = callable(test_globals.get("check")) and test_globals.get("check") is not module.__dict__.get("check")
        if entry_point and tests_define_check:
            if entry_point not in test_globals:
                raise NameError(f"entry point '{entry_point}' is not defined by the candidate")
            exec(compile("check(" + entry_point + ")", "<check>", "exec"), test_globals)
    except BaseException as error:  # SystemExit and KeyboardInterrupt included: exiting is not passing
        _report_failure(stage, error)
        _exit(1)
    _flush_streams()
    try:
        _echo_nonce()
    except OSError:
        _exit(1)
    _exit(0)


def main():
    chunks = []
    while True:
        chunk = os.read(0, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    payload = json.loads(b"".join(chunks))
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    run_program(payload["code"], payload["tests"], payload.get("entryPoint"))


if __name__ == "__main__":
    main()
