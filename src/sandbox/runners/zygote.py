"""PID 2 of a slot sandbox: forks every task process, and does nothing else.

It is forked from the test process (judge.py) before the first task, so its memory holds the
pre-imported interpreter and no task's program, test, output or verdict: a candidate forked from
it finds nothing of any other task in its copy of this memory. It receives a command and the new
process's file descriptors from the test process, forks, and reports the child's pid and, when it
exits, its wait status. It does as little as possible per fork: on this kind of machine every page
a forking process touches afterwards costs a copy-on-write fault.
"""
import gc
import os
import select
import socket

import child
import procs


def main(sock):
    """Messages: in, "<seq> <command JSON>" with the child's fds; out, "forked <seq> <pid>" (pid -1:
    the fork failed) and "exited <pid> <wait status>". The command is parsed by the child, after
    the fork: the fewer pages this loop touches, the fewer it copies."""
    procs.make_private()
    prepared = child.Prepared()
    # Every task process inherits the filter (across exec too), so no child has to install it.
    prepared.filter.install()
    # Objects that exist now are never collected: a forked child's collector does not touch (and copy) their pages.
    gc.freeze()
    children = {}
    watched = [sock]
    while True:
        readable = select.select(watched, [], [])[0]
        for pidfd in readable:
            if pidfd is sock:
                continue
            pid = children.pop(pidfd)
            watched.remove(pidfd)
            status = os.waitpid(pid, 0)[1]
            os.close(pidfd)
            sock.send(b"exited %d %d" % (pid, status))
        if sock not in readable:
            continue
        message, fds, _, _ = socket.recv_fds(sock, 1 << 16, 8)
        if not message:
            os._exit(0)
        seq, _, command = message.partition(b" ")
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:
            sock.close()
            child.become(command, fds, prepared)
        for fd in fds:
            os.close(fd)
        if pid > 0:
            pidfd = os.pidfd_open(pid)
            children[pidfd] = pid
            watched.append(pidfd)
        sock.send(b"forked %s %d" % (seq, pid))
