"""Pre-forked sandbox worker: one per pool slot, running inside that slot's bubblewrap sandbox.

Reads one JSON task per line on stdin, forks a child per task (Python tasks run the harness in the
forked child, so the interpreter start-up and common imports are paid once; Node tasks exec node),
enforces the wall-clock limit and output caps, then kills every other process in the sandbox's
PID namespace with kill(-1), reaps them (the worker is a child subreaper, so daemonized
grandchildren come back to it) and wipes the work dir, so nothing of a task outlives it.
Answers one JSON line per task on stdout.
"""
import base64
import collections  # noqa: F401  (pre-imported so forked tasks start warm)
import ctypes
import functools  # noqa: F401
import heapq  # noqa: F401
import itertools  # noqa: F401
import json
import math  # noqa: F401
import os
import re  # noqa: F401
import resource
import select
import shutil
import signal
import socket
import sys
import time
import typing  # noqa: F401

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
WORK_DIR = "/tmp/task"
SCRATCH_DIRS = ("/tmp", "/dev/shm")
MB = 1024 * 1024

libc = ctypes.CDLL(None, use_errno=True)
# Non-dumpable: a task (same uid) can neither ptrace the worker nor read or write its memory.
libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def apply_limits(limits, address_space_mb):
    def cap(kind, value):
        resource.setrlimit(kind, (value, value))

    cap(resource.RLIMIT_CPU, int(limits["cpuSeconds"]))
    cap(resource.RLIMIT_AS, int(address_space_mb) * MB)
    cap(resource.RLIMIT_FSIZE, int(limits["fileSizeMb"]) * MB)
    cap(resource.RLIMIT_NOFILE, int(limits["openFiles"]))
    cap(resource.RLIMIT_NPROC, int(limits["processes"]))
    cap(resource.RLIMIT_CORE, 0)


def run_child(task, out_w, err_w, signal_sock, payload_fd):
    """In the forked child: never returns."""
    try:
        os.setsid()
        os.dup2(payload_fd, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        os.dup2(signal_sock, 3)
        os.closerange(4, 65536)
        os.chdir(WORK_DIR)
        limits = task["limits"]
        if task["runtime"] == "python":
            apply_limits(limits, limits["memoryMb"])
            sys.stdin = open(os.devnull)
            sys.stdout = open(1, "w", closefd=False)
            sys.stderr = open(2, "w", closefd=False)
            harness.run_program(task["code"], task["tests"], task.get("entryPoint"))
        else:
            argv = task["argv"]
            apply_limits(limits, task["addressSpaceMb"])
            os.execv(argv[0], argv)
    except BaseException as error:
        try:
            os.write(2, f"[starloop] worker child failed: {error!r}\n".encode())
        finally:
            os._exit(1)
    os._exit(1)


def write_payload(task):
    """A node task reads code and tests on stdin: an unlinked file avoids pipe-size deadlocks."""
    path = os.path.join(WORK_DIR, ".payload")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"code": task["code"], "tests": task["tests"], "entryPoint": task.get("entryPoint")}, handle)
    fd = os.open(path, os.O_RDONLY)
    os.unlink(path)
    return fd


def read_chunk(fd):
    """A task that exits without reading its nonce resets the socket: that is end of stream."""
    try:
        return os.read(fd, 65536)
    except ConnectionResetError:
        return b""


def kill_everything_else():
    """SIGKILL every process in this PID namespace except the worker and init, and reap them all."""
    while True:
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            pid, _ = os.waitpid(-1, 0)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.001)


IPC_RMID = 0
SYSV_IPC = (("shm", "shmctl"), ("sem", "semctl"), ("msg", "msgctl"))


def remove_sysv_ipc():
    """SysV segments, semaphores and queues outlive their creator: drop what the task left."""
    for kind, call in SYSV_IPC:
        try:
            with open(f"/proc/sysvipc/{kind}") as table:
                rows = table.read().splitlines()[1:]
        except OSError:
            continue
        remove = getattr(libc, call)
        for row in rows:
            fields = row.split()
            if len(fields) > 1:
                ident = int(fields[1])
                if kind == "sem":
                    remove(ident, 0, IPC_RMID, None)
                else:
                    remove(ident, IPC_RMID, None)


def wipe_scratch():
    for directory in SCRATCH_DIRS:
        for name in os.listdir(directory):
            path = os.path.join(directory, name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    os.unlink(path)
                except OSError:
                    pass


def run_task(task):
    wipe_scratch()
    os.mkdir(WORK_DIR)
    limits = task["limits"]
    cap = int(limits["maxOutputBytes"])
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    host_sock, task_sock = socket.socketpair()
    payload_fd = write_payload(task) if task["runtime"] != "python" else os.open(os.devnull, os.O_RDONLY)
    # Sent before the fork: the socket buffer holds it even if the task exits at once.
    # The forked task inherits this process's memory: keep the nonce only in the socket buffer.
    host_sock.sendall(task.pop("nonce").encode() + b"\n")
    started = time.monotonic()
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        host_sock.close()
        run_child(task, out_w, err_w, task_sock.fileno(), payload_fd)
    for fd in (out_w, err_w, payload_fd):
        os.close(fd)
    task_sock.close()
    pidfd = os.pidfd_open(pid)
    deadline = started + limits["wallMs"] / 1000.0
    streams = {out_r: bytearray(), err_r: bytearray()}
    echo = bytearray()
    open_fds = {out_r, err_r, host_sock.fileno()}
    timed_out = output_exceeded = False
    status = None
    while status is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        readable, _, _ = select.select(list(open_fds) + [pidfd], [], [], remaining)
        for fd in readable:
            if fd == pidfd:
                continue
            chunk = read_chunk(fd)
            if not chunk:
                open_fds.discard(fd)
            elif fd == host_sock.fileno():
                echo += chunk[:4096]
            else:
                streams[fd] += chunk
                if len(streams[out_r]) + len(streams[err_r]) > cap:
                    output_exceeded = True
        if output_exceeded:
            break
        if pidfd in readable:
            _, status = os.waitpid(pid, 0)
    duration_ms = (time.monotonic() - started) * 1000.0
    # Drain what the task wrote just before exiting, without waiting on grandchildren that hold the pipes.
    for fd in list(open_fds):
        while select.select([fd], [], [], 0)[0]:
            chunk = read_chunk(fd)
            if not chunk:
                break
            if fd == host_sock.fileno():
                echo += chunk[:4096]
            elif len(streams[out_r]) + len(streams[err_r]) <= cap:
                streams[fd] += chunk
    kill_everything_else()
    remove_sysv_ipc()
    for fd in (out_r, err_r, pidfd):
        os.close(fd)
    host_sock.close()
    wipe_scratch()
    exit_code = signal_name = None
    if status is not None:
        if os.WIFEXITED(status):
            exit_code = os.WEXITSTATUS(status)
        elif os.WIFSIGNALED(status):
            signal_name = signal.Signals(os.WTERMSIG(status)).name
    else:
        signal_name = "SIGKILL"
    return {
        "id": task["id"],
        "exitCode": exit_code,
        "signal": signal_name,
        "timedOut": timed_out,
        "outputExceeded": output_exceeded,
        "stdout": base64.b64encode(bytes(streams[out_r][:cap])).decode(),
        "stderr": base64.b64encode(bytes(streams[err_r][:cap])).decode(),
        "echo": echo.decode("utf-8", "replace"),
        "durationMs": duration_ms,
    }


def assert_own_namespace():
    """kill(-1) and wiping /tmp are only safe in a fresh PID namespace with a private /tmp (bubblewrap)."""
    pids = {name for name in os.listdir("/proc") if name.isdigit()}
    if os.getpid() != 2 or pids != {"1", "2"}:
        sys.stderr.write("worker.py must run as PID 2 of a fresh bubblewrap sandbox; refusing\n")
        sys.exit(2)


def main():
    assert_own_namespace()
    sys.stdout.write(json.dumps({"ready": True}) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        task = json.loads(line)
        line = None
        try:
            result = run_task(task)
        except Exception as error:  # the worker itself failed: report, the host replaces the slot
            result = {"id": task.get("id"), "workerError": repr(error)}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
