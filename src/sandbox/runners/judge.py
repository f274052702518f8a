"""The test process and supervisor of one sandbox: PID 1 under bubblewrap.

Before it reads anything it forks the zygote (zygote.py), which forks every task process. Then,
per task line on stdin, it starts the candidate, writes the program to it, runs the problem's
tests against it over the test channel (Python tests in this process, JavaScript tests in a node
forked for the task), drains the candidate's output within its cap, enforces the wall-clock limit
from the moment the task arrived, kills every process of the task, empties the scratch file
systems, checks that nothing changed its own or the zygote's limits, and answers one JSON line.

As PID 1 of the namespace it cannot be killed or stopped by a task: the kernel drops signals to
init that init does not handle. It never forks after start-up, so its pages are never shared.
"""
import base64
import importlib
import json
import os
import select
import signal
import socket
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import candidate_server  # noqa: E402,F401
import child  # noqa: E402,F401
import harness  # noqa: E402,F401
import procs  # noqa: E402
import python_tests  # noqa: E402
import scratch  # noqa: E402
import taskio  # noqa: E402
import wire  # noqa: E402
import zygote  # noqa: E402

TEST_OUTPUT_BYTES = 1 << 20
MESSAGE_BYTES = 16 << 20
ECHO_BYTES = 4096
EXIT_WAIT_S = 5.0
# A pool sandbox imports these once, before the zygote is forked, so every candidate starts with
# them loaded; a one-shot sandbox (--once) serves one task and skips them.
WARM_MODULES = ("collections", "fractions", "functools", "heapq", "itertools", "math", "re", "string", "typing")


class TestTimeout(BaseException):
    """The tests ran past the task's wall-clock limit."""


def exported_names(message):
    """The candidate's top-level names, from its first message after the program ran."""
    if isinstance(message, dict) and isinstance(message.get("names"), dict):
        return message["names"]
    if isinstance(message, dict) and isinstance(message.get("failed"), dict):
        described = message["failed"]
        raise wire.ProtocolError(f"the program failed before the tests ran: {described.get('type')}: {described.get('message')}"[:2000])
    raise wire.ProtocolError("the candidate process ended before the tests ran" if message is None else "the candidate broke protocol")


def failure_text(error):
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    summary = f"{type(error).__name__}: {error}".replace("\n", " ")[:300]
    return f"{text[-3000:]}\n{summary}"


class Zygote:
    """The test process's end of the zygote's socket."""

    def __init__(self, sock, pid):
        self.sock = sock
        self.pid = pid
        self.statuses = {}
        self.forks = 0

    def handle(self, message):
        """Records an exit; returns (seq, pid) for a fork report (see zygote.main)."""
        if not message:
            os._exit(1)  # the zygote died: the sandbox goes down and the host starts a new one
        kind, first, second = message.split()
        if kind == b"exited":
            self.statuses[int(first)] = (int(second), time.monotonic())
            return None
        return int(first), int(second)

    def fork(self, command, fds, deadline):
        """Starts a task process with `fds` as its 0, 1, 2...; returns its pid, or None when the
        fork failed or the zygote did not answer by `deadline` (a task can stop it)."""
        self.forks += 1
        try:
            socket.send_fds(self.sock, [b"%d %s" % (self.forks, json.dumps(command).encode())], fds)
        finally:
            for fd in fds:
                os.close(fd)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.sock], [], [], remaining)[0]:
                return None
            forked = self.handle(self.sock.recv(1 << 16))
            if forked is not None and forked[0] == self.forks:
                return forked[1] if forked[1] > 0 else None

    def resume(self):
        """A task may have stopped the zygote (SIGSTOP): it must go on forking for the next one."""
        os.kill(self.pid, signal.SIGCONT)


class Judge:
    def __init__(self, zygote_end, zygote_pid, work_root, bare):
        self.zygote = Zygote(zygote_end, zygote_pid)
        self.scratch = scratch.Scratch(work_root, bare)
        self.bare = bare
        self.deadline = None
        self.in_tests = False
        self.task_pids = []
        self.baseline = self.state()
        signal.signal(signal.SIGALRM, self.on_alarm)

    def state(self):
        return (procs.process_state(0), procs.process_state(self.zygote.pid))

    def on_alarm(self, signum, frame):
        # Only the timer's own alarm counts: a task can send SIGALRM to this process too.
        if self.in_tests and time.monotonic() >= self.deadline:
            raise TestTimeout("the tests ran past the time limit")

    def serve(self, host_in, host_out):
        reader = taskio.LineReader(host_in)
        while True:
            readable, _, _ = select.select([host_in, self.zygote.sock], [], [])
            if self.zygote.sock in readable:
                self.zygote.handle(self.zygote.sock.recv(1 << 16))
            if host_in not in readable:
                continue
            for line in reader.read_lines():
                if line is None:
                    os._exit(0)
                task = json.loads(line)
                try:
                    result = self.run(task)
                except Exception as error:  # the sandbox itself failed: report; the host replaces it
                    result = {"id": task.get("id"), "sandboxError": repr(error)[:1000]}
                data = (json.dumps(result) + "\n").encode()
                while data:
                    data = data[os.write(host_out, data):]
                if "sandboxError" in result or result.get("tampered"):
                    os._exit(0)

    def run(self, task):
        started = time.monotonic()
        self.deadline = started + task["limits"]["wallMs"] / 1000.0
        self.zygote.statuses.clear()
        self.task_pids = []
        self.scratch.prepare()
        io = taskio.TaskIo(self.deadline, self.zygote)
        killed_for_output = []
        output = taskio.Capture(int(task["limits"]["maxOutputBytes"]), on_exceeded=lambda: killed_for_output.append(self.kill_task()))
        launch = self.start_candidate(task, io, output)
        outcome = {"started": False, "testsPassed": False, "failure": None, "testOutput": ""}
        try:
            if launch["pid"] is None:
                outcome["failure"] = "the sandbox could not fork the candidate"
            elif task["testMode"] == "in-process":
                outcome.update(self.await_echo(io, launch["rpc"], task["nonce"]))
            elif task["runtime"] == "python":
                outcome.update(self.run_python_tests(io, launch["rpc"], task))
            else:
                outcome.update(self.run_node_tests(io, launch["rpc"], task))
        except taskio.Deadline:
            outcome["failure"] = "time limit exceeded while the tests ran"
        finally:
            io.close(launch["rpc"])
        timed_out = False
        pid = launch["pid"]
        try:
            io.pump(lambda: pid is None or pid in self.zygote.statuses)
        except taskio.Deadline:
            timed_out = True
        self.kill_task()
        io.drain(time.monotonic() + EXIT_WAIT_S, lambda: pid is None or pid in self.zygote.statuses)
        status, exited_at = self.zygote.statuses.get(pid, (None, None))
        procs.reap_orphans({self.zygote.pid})
        setup_error = launch["setup"].text(1).decode("utf-8", "replace")
        self.scratch.wipe()
        self.deadline = None
        tampered = self.state() != self.baseline
        return {
            "id": task["id"],
            **outcome,
            **procs.describe_status(status),
            "timedOut": timed_out,
            "outputExceeded": output.exceeded,
            "durationMs": ((exited_at or time.monotonic()) - started) * 1000.0,
            "stdout": base64.b64encode(output.text(1)).decode(),
            "stderr": base64.b64encode(output.text(2)).decode(),
            **({"setupError": setup_error} if setup_error else {}),
            **({"tampered": True} if tampered else {}),
        }

    def fork(self, command, fds):
        pid = self.zygote.fork(command, fds, self.deadline)
        if pid is not None:
            self.task_pids.append(pid)
        return pid

    def kill_task(self):
        # Every task process starts its own session (child.py): bare, those sessions are the task.
        sessions = set(self.task_pids) if self.bare else None
        procs.kill_task_processes({1, os.getpid(), self.zygote.pid}, sessions)
        self.zygote.resume()
        return True

    def start_candidate(self, task, io, output):
        code_r, code_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        candidate_end, tests_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        status_r, status_w = os.pipe2(os.O_CLOEXEC)
        in_process = task["testMode"] == "in-process"
        python = task["runtime"] == "python"
        role = ("python-harness" if in_process else "python-candidate") if python else "exec"
        command = {
            "role": role,
            "cwd": self.scratch.task_dir,
            "limits": task["limits"],
            "addressSpaceMb": task["addressSpaceMb"],
            "argv": task.get("argv"),
            "userNamespace": not python and not in_process and not self.bare,
        }
        pid = self.fork(command, [code_r, out_w, err_w, candidate_end.detach(), status_w])
        setup = taskio.Capture(4096)
        io.watch(status_r, setup.sink(1))
        io.watch(out_r, output.sink(1))
        io.watch(err_r, output.sink(2))
        io.send(code_w, self.program_for(task), close_after=True)
        rpc = tests_end.detach()
        io.adopt(rpc)
        return {"pid": pid, "rpc": rpc, "setup": setup}

    def program_for(self, task):
        if task["testMode"] == "in-process":
            payload = {"code": task["code"], "tests": task["tests"], "entryPoint": task.get("entryPoint")}
            return json.dumps(payload).encode("utf-8", "surrogatepass")
        return task["code"].encode("utf-8", "surrogatepass")

    def await_echo(self, io, rpc, nonce):
        """In-process mode: the harness writes "started", then, after every test ran, the nonce back."""
        expected = f"started\n{nonce}\n".encode()
        io.send(rpc, f"{nonce}\n".encode())
        echo = taskio.Capture(ECHO_BYTES)
        io.watch(rpc, echo.sink(1))
        io.pump(lambda: io.closed(rpc) or echo.exceeded or echo.text(1) == expected)
        text = echo.text(1)
        return {"started": text.startswith(b"started\n"), "testsPassed": text == expected and not echo.exceeded}

    def run_python_tests(self, io, rpc, task):
        channel = taskio.LineChannel(io, rpc, MESSAGE_BYTES)
        try:
            if channel.receive() != {"ready": True}:
                return {"failure": "the candidate process ended before it started"}
        except wire.ProtocolError as error:
            return {"failure": str(error)}
        captured = taskio.TextCapture(TEST_OUTPUT_BYTES)
        saved = (sys.stdout, sys.stderr)
        sys.stdout = sys.stderr = captured
        self.in_tests = True
        signal.setitimer(signal.ITIMER_REAL, max(0.001, self.deadline - time.monotonic()))
        try:
            names = exported_names(channel.receive())
            os.chdir(self.scratch.task_dir)
            python_tests.run_tests(python_tests.Link(channel.request), names, task["tests"], task.get("entryPoint"))
            channel.send({"op": "done"})
            return {"started": True, "testsPassed": True, "testOutput": captured.getvalue()}
        except (TestTimeout, taskio.Deadline):
            return {"started": True, "failure": "time limit exceeded while the tests ran", "testOutput": captured.getvalue()}
        except wire.ProtocolError as error:
            return {"started": True, "failure": str(error), "testOutput": captured.getvalue()}
        except BaseException as error:  # an exception in the tests is a failed test, whatever its type
            return {"started": True, "failure": failure_text(error), "testOutput": captured.getvalue()}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            self.in_tests = False
            sys.stdout, sys.stderr = saved
            os.chdir("/")

    def run_node_tests(self, io, rpc, task):
        """JavaScript tests run in a node (test-runner.mjs) forked for the task, holding the test channel."""
        payload = json.dumps({"tests": task["tests"], "entryPoint": task.get("entryPoint")}).encode("utf-8", "surrogatepass")
        tests_fd = os.memfd_create("tests", 0)
        os.write(tests_fd, payload)
        os.lseek(tests_fd, 0, os.SEEK_SET)
        result_r, result_w = os.pipe()
        out_r, out_w = os.pipe()
        status_r, status_w = os.pipe2(os.O_CLOEXEC)
        command = {
            "role": "exec",
            "cwd": self.scratch.task_dir,
            "limits": {**task["limits"], "processes": 4096},
            "addressSpaceMb": task["testRunnerAddressSpaceMb"],
            "argv": task["testRunnerArgv"],
        }
        out_copy = os.dup(out_w)
        pid = self.fork(command, [tests_fd, out_w, out_copy, os.dup(rpc), status_w, result_w])
        result = taskio.Capture(TEST_OUTPUT_BYTES)
        test_output = taskio.Capture(TEST_OUTPUT_BYTES)
        setup = taskio.Capture(4096)
        io.watch(result_r, result.sink(1))
        io.watch(out_r, test_output.sink(1))
        io.watch(status_r, setup.sink(1))
        io.pump(lambda: pid is None or (pid in self.zygote.statuses and io.closed(result_r) and io.closed(out_r)))
        status = self.zygote.statuses.get(pid, (None, None))[0]
        text = test_output.text(1).decode("utf-8", "replace")
        try:
            reported = json.loads(result.text(1) or b"null")
        except ValueError:
            reported = None
        if not isinstance(reported, dict) or result.exceeded:
            detail = " | ".join((setup.text(1).decode("utf-8", "replace") or text).strip().splitlines()[-3:])
            return {"failure": f"the JavaScript test runner failed ({procs.describe_status(status)}): {detail}"[:2000], "testOutput": text}
        return {
            "started": reported.get("started") is True,
            "testsPassed": reported.get("passed") is True and status == 0,
            "failure": str(reported["failure"])[:4000] if reported.get("failure") else None,
            "testOutput": text,
        }


def main():
    bare = "--bare" in sys.argv
    work_root = sys.argv[sys.argv.index("--work-root") + 1] if "--work-root" in sys.argv else "/tmp"
    procs.make_private()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if "--once" not in sys.argv:
        for name in WARM_MODULES:
            importlib.import_module(name)
    if not bare and (os.getpid() != 1 or any(name.isdigit() and name != "1" for name in os.listdir("/proc"))):
        sys.exit("judge.py must be PID 1 of a fresh bubblewrap sandbox (or run with --bare); refusing")
    judge_end, zygote_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    pid = os.fork()
    if pid == 0:
        judge_end.close()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1):
            os.dup2(devnull, fd)
        os.close(devnull)
        zygote.main(zygote_end)
    zygote_end.close()
    host_in, host_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):
        os.dup2(devnull, fd)
    os.close(devnull)
    judge = Judge(judge_end, pid, work_root, bare)
    os.write(host_out, b'{"ready": true}\n')
    judge.serve(host_in, host_out)


if __name__ == "__main__":
    main()
