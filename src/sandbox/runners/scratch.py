"""The scratch file systems of a slot, emptied after every task whatever the task did to them."""
import os
import stat

DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


class Scratch:
    """Under bubblewrap: the private tmpfs at /tmp (the task runs in /tmp/task) and /dev/shm.
    Bare (no bubblewrap): the host work directory given to this sandbox."""

    def __init__(self, work_root, bare):
        self.roots = [work_root] if bare else ["/tmp", "/dev/shm"]
        self.task_dir = os.path.join(self.roots[0], "task")
        self.modes = {root: stat.S_IMODE(os.lstat(root).st_mode) for root in self.roots}

    def prepare(self):
        if os.path.lexists(self.task_dir):
            self.wipe()
        os.mkdir(self.task_dir, 0o755)

    def wipe(self):
        for root in self.roots:
            # A task may have chmod-ed the root itself (to 0, say); it is ours, so it can be reset.
            os.chmod(root, self.modes[root])
            empty_directory(root)


def empty_directory(path):
    """Removes everything under `path` without following symlinks, making each directory
    searchable first: a task that leaves a mode-0 (or 0500) directory must not survive the wipe.
    Iterative, through directory fds, so neither depth nor path length stops it."""
    stack = [os.open(path, DIR_FLAGS)]
    names = [None]
    while stack:
        fd = stack[-1]
        with os.scandir(fd) as listing:
            entries = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in listing]
        subdir = None
        for name, is_dir in entries:
            if is_dir:
                subdir = name
            else:
                os.unlink(name, dir_fd=fd)
        if subdir is not None:
            os.chmod(subdir, 0o700, dir_fd=fd)
            stack.append(os.open(subdir, DIR_FLAGS, dir_fd=fd))
            names.append(subdir)
            continue
        os.close(stack.pop())
        name = names.pop()
        if stack:
            os.rmdir(name, dir_fd=stack[-1])
