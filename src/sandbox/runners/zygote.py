"""PID 2 of a slot sandbox: forks every task process, and does nothing else.

It is forked from the test process (judge.py) before the first task, so its memory holds the
pre-imported interpreter and no task's program, test, output or verdict: a candidate forked from
it finds nothing of any other task in its copy of this memory. It receives a command and the new
process's file descriptors from the test process, forks, and reports the child's pid and, when it
exits, its wait status. It does as little as possible per fork: on this kind of machine every page
a forking process touches afterwards costs a copy-on-write fault.
"""
import gc
import json
import os
import select
import socket

import child
import procs


def main(sock):
    procs.make_private()
    prepared = child.Prepared()
    # Objects that exist now are never collected: a forked child's collector does not touch (and copy) their pages.
    gc.freeze()
    children = {}
    while True:
        readable, _, _ = select.select([sock, *children], [], [])
        for pidfd in readable:
            if pidfd is sock:
                continue
            pid = children.pop(pidfd)
            _, status = os.waitpid(pid, 0)
            os.close(pidfd)
            sock.send(json.dumps({"pid": pid, "status": status}).encode())
        if sock not in readable:
            continue
        message, fds, _, _ = socket.recv_fds(sock, 1 << 16, 8)
        if not message:
            os._exit(0)
        command = json.loads(message)
        try:
            pid = os.fork()
        except OSError as error:
            for fd in fds:
                os.close(fd)
            sock.send(json.dumps({"seq": command.get("seq"), "forked": None, "error": repr(error)}).encode())
            continue
        if pid == 0:
            sock.close()
            child.become(command, fds, prepared)
        for fd in fds:
            os.close(fd)
        children[os.pidfd_open(pid)] = pid
        sock.send(json.dumps({"seq": command.get("seq"), "forked": pid}).encode())
