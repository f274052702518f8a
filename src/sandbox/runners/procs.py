"""Processes of a slot sandbox: privacy, user namespaces, ending a task's processes, wait statuses."""
import ctypes
import os
import resource
import signal
import time

PR_SET_DUMPABLE = 4
CLONE_NEWUSER = 0x10000000
CLONE_NEWIPC = 0x08000000
TAMPER_RESOURCES = [getattr(resource, name) for name in dir(resource) if name.startswith("RLIMIT_")]

libc = ctypes.CDLL(None, use_errno=True)


def make_private(private=True):
    """Non-dumpable: a task (same uid) can neither ptrace this process nor open its /proc files.
    Task processes are made dumpable again: they own their /proc files (uid_map, for one)."""
    libc.prctl(PR_SET_DUMPABLE, 0 if private else 1, 0, 0, 0)


def enter_user_namespace():
    """A child user namespace (with its own IPC namespace): from there a task can neither ptrace
    nor read the memory of a dumpable process in the sandbox's namespace (the node test runner)."""
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWIPC) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWUSER | CLONE_NEWIPC) failed")
    for path, text in (("/proc/self/setgroups", "deny"), ("/proc/self/gid_map", f"{gid} {gid} 1"), ("/proc/self/uid_map", f"{uid} {uid} 1")):
        fd = os.open(path, os.O_WRONLY)
        try:
            os.write(fd, text.encode())
        finally:
            os.close(fd)


def _live_pids(protected, uid, sessions):
    """Processes of `uid` other than `protected` that are not already dead (zombies); with
    `sessions`, only those in one of these sessions."""
    live = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in protected:
            continue
        try:
            if os.stat(f"/proc/{name}").st_uid != uid:
                continue
            with open(f"/proc/{name}/stat", "rb") as handle:
                fields = handle.read().rpartition(b")")[2].split()
        except (OSError, IndexError):
            continue
        if fields and fields[0] not in (b"Z", b"X") and (sessions is None or int(fields[4]) in sessions):
            live.append(int(name))
    return live


def reap_orphans(keep):
    """Reaps exited children of this process (orphans come to PID 1), stopping at any in `keep`."""
    while True:
        try:
            info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return
        if info is None or info.si_pid in keep:
            return
        os.waitpid(info.si_pid, 0)


def kill_task_processes(protected, sessions=None):
    """SIGKILLs every process of this uid but `protected` until none is left alive. Killed
    processes cannot fork, so a fork bomb runs out of parents; each pass sees the newcomers.
    Without a PID namespace of our own (bare), `sessions` limits it to the task's sessions: the
    uid may then be the user's own."""
    uid = os.getuid()
    while True:
        live = _live_pids(protected, uid, sessions)
        if not live:
            return
        for pid in live:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.0005)


def signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        if signal.SIGRTMIN < number <= signal.SIGRTMAX:
            return f"SIGRTMIN+{number - signal.SIGRTMIN}"
        return f"SIG{number}"


def describe_status(status):
    """A wait status as {exitCode, signal}; None (never collected) reads as killed."""
    if status is None:
        return {"exitCode": None, "signal": "SIGKILL"}
    if os.WIFEXITED(status):
        return {"exitCode": os.WEXITSTATUS(status), "signal": None}
    if os.WIFSIGNALED(status):
        return {"exitCode": None, "signal": signal_name(os.WTERMSIG(status))}
    return {"exitCode": None, "signal": None}


def process_state(pid):
    """What a same-uid task could change about another process: its limits and scheduling."""
    return (
        tuple(resource.prlimit(pid, kind) for kind in TAMPER_RESOURCES),
        os.getpriority(os.PRIO_PROCESS, pid),
        frozenset(os.sched_getaffinity(pid)),
        os.sched_getscheduler(pid),
    )
