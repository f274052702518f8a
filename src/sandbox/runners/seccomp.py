"""A seccomp filter for candidate processes: no System V IPC, no POSIX message queues, no keyrings.

Those objects outlive the process that made them, so one task could leave data for the next task
of its slot (same uid, same IPC namespace). Refusing them (EPERM) means nothing of the kind exists
between tasks, at no per-task cost. ptrace and process_vm_* are refused too. The filter is
inherited by every child and survives exec, and a process cannot remove it.
"""
import ctypes
import errno
import os
import struct

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
BPF_LD_W_ABS = 0x20
BPF_JEQ_K = 0x15
BPF_JGE_K = 0x35
BPF_RET_K = 0x06
X32_SYSCALL_BIT = 0x40000000

# name: (x86_64, aarch64 / asm-generic)
REFUSED = {
    "shmget": (29, 194), "shmat": (30, 196), "shmctl": (31, 195), "shmdt": (67, 197),
    "semget": (64, 190), "semop": (65, 193), "semctl": (66, 191), "semtimedop": (220, 192),
    "msgget": (68, 186), "msgsnd": (69, 189), "msgrcv": (70, 188), "msgctl": (71, 187),
    "mq_open": (240, 180), "mq_unlink": (241, 181), "mq_timedsend": (242, 182),
    "mq_timedreceive": (243, 183), "mq_notify": (244, 184), "mq_getsetattr": (245, 185),
    "add_key": (248, 217), "request_key": (249, 218), "keyctl": (250, 219),
    "ptrace": (101, 117), "process_vm_readv": (310, 270), "process_vm_writev": (311, 271),
}
ARCHES = {"x86_64": (0, 0xC000003E), "aarch64": (1, 0xC00000B7)}


def _instruction(code, jt, jf, k):
    return struct.pack("HBBI", code, jt, jf, k)


def build():
    """The filter for this machine's architecture, or None where there is no syscall table for it."""
    machine = os.uname().machine
    if machine not in ARCHES:
        return None
    column, audit_arch = ARCHES[machine]
    refuse = SECCOMP_RET_ERRNO | errno.EPERM
    numbers = sorted(numbers[column] for numbers in REFUSED.values())
    program = [
        _instruction(BPF_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        _instruction(BPF_JEQ_K, 1, 0, audit_arch),
        _instruction(BPF_RET_K, 0, 0, refuse),  # another ABI (i386 via int 0x80): refuse everything
        _instruction(BPF_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
    ]
    if machine == "x86_64":
        program += [_instruction(BPF_JGE_K, 0, 1, X32_SYSCALL_BIT), _instruction(BPF_RET_K, 0, 0, refuse)]
    for number in numbers:
        program += [_instruction(BPF_JEQ_K, 0, 1, number), _instruction(BPF_RET_K, 0, 0, refuse)]
    program.append(_instruction(BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW))
    return b"".join(program)


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


class Filter:
    """Built before forking; `install` in the child is then two prctl calls."""

    def __init__(self):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.program = build()
        self.struct = _Program(len(self.program) // 8, self.program) if self.program else None
        self.pointer = ctypes.byref(self.struct) if self.struct else None

    def install(self):
        """Raises OSError when refused, or where there is no syscall table for this machine:
        without the filter, tasks could leave IPC objects for each other, so none runs."""
        if self.pointer is None:
            raise OSError(errno.ENOSYS, f"no seccomp syscall table for {os.uname().machine}")
        if self.libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "PR_SET_NO_NEW_PRIVS failed")
        if self.libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, self.pointer, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "installing the seccomp filter failed")
