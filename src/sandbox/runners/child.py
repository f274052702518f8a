"""What a process forked by the zygote does before it runs anything of the task (see zygote.py).

fd 0: the program (or the tests, for a test runner), 1 and 2: output, 3: the test channel,
4: a close-on-exec pipe on which a failure to set up is reported (end of file = set up fine).
"""
import fcntl
import io
import json
import os
import resource
import sys

import procs
import seccomp

MB = 1024 * 1024
STATUS_FD = 4


class Prepared:
    """Built once in the zygote, so a forked child only has to use it. The seccomp filter is
    installed on the zygote itself (zygote.py): every task process inherits it."""

    def __init__(self):
        self.filter = seccomp.Filter()
        self.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))
        self.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False))
        self.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), line_buffering=True)


def apply_limits(limits, address_space_mb):
    def cap(kind, value):
        _, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, value))

    cap(resource.RLIMIT_CPU, int(limits["cpuSeconds"]))
    cap(resource.RLIMIT_AS, int(address_space_mb) * MB)
    cap(resource.RLIMIT_FSIZE, int(limits["fileSizeMb"]) * MB)
    cap(resource.RLIMIT_NOFILE, int(limits["openFiles"]))
    cap(resource.RLIMIT_NPROC, int(limits["processes"]))
    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_MSGQUEUE, 0)


def become(message, fds, prepared):
    """In the forked child; never returns. `message` (JSON) says what to become: the candidate
    (Python in this process, node by exec), the in-process harness, or a JavaScript test runner."""
    try:
        command = json.loads(message)
        os.setsid()
        # Out of the way first: a descriptor received as 3 must not be overwritten before it moves.
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 64) for fd in fds]
        for target, fd in enumerate(high):
            os.dup2(fd, target, inheritable=target != STATUS_FD)
        os.closerange(len(fds), 1 << 20)
        os.chdir(command["cwd"])
        if command.get("userNamespace"):
            # Its /proc files (uid_map) must be its own; Python candidates stay non-dumpable.
            procs.make_private(False)
            procs.enter_user_namespace()
        apply_limits(command["limits"], command["addressSpaceMb"])
        role = command["role"]
        if role in ("python-candidate", "python-harness"):
            sys.stdin, sys.stdout, sys.stderr = prepared.stdin, prepared.stdout, prepared.stderr
            os.close(STATUS_FD)
            if role == "python-candidate":
                import candidate_server

                candidate_server.serve()
            else:
                import harness

                harness.main()
        else:
            argv = command["argv"]
            os.execv(argv[0], argv)
    except BaseException as error:
        try:
            os.write(STATUS_FD, f"could not start the task process: {error!r}".encode())
        except OSError:
            pass
        os._exit(127)
    os._exit(1)
