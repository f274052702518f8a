"""The test process's I/O during a task: one select loop over every pipe of the task, each with a cap.

While the tests wait for an answer from the candidate, the candidate's stdout and stderr keep
draining (a full pipe must not stall it), and every read stops at a byte cap, so nothing a task
writes grows this process without bound.
"""
import io
import os
import select
import time

import wire

SWEEP_WAIT_S = 30.0


class Deadline(Exception):
    """The task's wall-clock limit passed while the tests waited."""


class Capture:
    """Bytes from one or more streams, sharing one cap; `on_exceeded` runs once when it is passed."""

    def __init__(self, cap, on_exceeded=None):
        self.cap = cap
        self.used = 0
        self.parts = {}
        self.exceeded = False
        self.on_exceeded = on_exceeded

    def sink(self, key):
        part = self.parts.setdefault(key, bytearray())

        def take(chunk):
            if not chunk:
                return
            room = self.cap - self.used
            if room > 0:
                part.extend(chunk[:room])
            self.used += len(chunk)
            if self.used > self.cap and not self.exceeded:
                self.exceeded = True
                if self.on_exceeded:
                    self.on_exceeded()

        return take

    def text(self, key):
        return bytes(self.parts.get(key, b""))


class TextCapture(io.TextIOBase):
    """sys.stdout for the tests: keeps the first `cap` characters."""

    def __init__(self, cap):
        self.cap = cap
        self.parts = []
        self.size = 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        if self.size < self.cap:
            self.parts.append(text[: self.cap - self.size])
        self.size += len(text)
        return len(text)

    def getvalue(self):
        return "".join(self.parts)


class TaskIo:
    """Owns every fd given to `watch` or `send` and closes each exactly once (at end of stream,
    on `close`, or in `drain`)."""

    def __init__(self, deadline, zygote):
        self.deadline = deadline
        self.zygote = zygote
        self.open = set()
        self.readers = {}
        self.writers = {}

    def adopt(self, fd):
        """Takes ownership of `fd` without watching it: closed by `close` or `drain`."""
        self.open.add(fd)

    def watch(self, fd, sink):
        """`sink(chunk)` gets each chunk read, and b"" at end of stream (when `fd` is closed)."""
        os.set_blocking(fd, False)
        self.open.add(fd)
        self.readers[fd] = sink

    def closed(self, fd):
        return fd not in self.open

    def send(self, fd, data, close_after=False):
        if fd not in self.writers:
            os.set_blocking(fd, False)
            self.open.add(fd)
            self.writers[fd] = [bytearray(), False]
        self.writers[fd][0].extend(data)
        self.writers[fd][1] |= close_after
        self._flush(fd)

    def close(self, fd):
        self.readers.pop(fd, None)
        self.writers.pop(fd, None)
        if fd in self.open:
            self.open.discard(fd)
            os.close(fd)

    def _flush(self, fd):
        pending, close_after = self.writers[fd]
        try:
            while pending:
                del pending[: os.write(fd, pending)]
        except BlockingIOError:
            return
        except OSError:  # the reader is gone; what it did not read does not matter any more
            pending.clear()
        if close_after:
            self.close(fd)

    def _read(self, fd):
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return
        except OSError:  # ECONNRESET from a socket whose peer exited unread: end of stream
            chunk = b""
        sink = self.readers[fd]
        if not chunk:
            self.close(fd)
        sink(chunk)

    def pump(self, done, deadline=None):
        """Runs the loop until `done()`; raises Deadline when the deadline passes first."""
        deadline = self.deadline if deadline is None else deadline
        sock = self.zygote.sock
        while not done():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Deadline()
            pending = [fd for fd, (data, _) in self.writers.items() if data]
            readable, writable, _ = select.select([*self.readers, sock], pending, [], remaining)
            for fd in writable:
                if fd in self.writers:
                    self._flush(fd)
            for fd in readable:
                if fd == sock:
                    self.zygote.handle(sock.recv(1 << 16))
                elif fd in self.readers:
                    self._read(fd)

    def drain(self, until, done):
        """After the task's processes are killed: read every pipe to its end (bounded by `until`),
        then close whatever is still open."""
        try:
            self.pump(lambda: done() and not self.readers, until)
        except Deadline:
            pass
        for fd in list(self.open):
            self.close(fd)


class LineChannel:
    """JSON lines over the test channel, each at most `cap` bytes."""

    def __init__(self, io_loop, fd, cap):
        self.io = io_loop
        self.fd = fd
        self.cap = cap
        self.buffer = bytearray()
        self.ended = False
        io_loop.watch(fd, self._take)

    def _take(self, chunk):
        if not chunk:
            self.ended = True
        elif len(self.buffer) <= self.cap:  # past the cap the next receive fails; the rest is dropped
            self.buffer.extend(chunk)

    def _has_line(self):
        return self.ended or b"\n" in self.buffer or len(self.buffer) > self.cap

    def send(self, message):
        self.io.send(self.fd, wire.dumps(message))

    def receive(self):
        """The next message, or None when the candidate closed the channel."""
        self.io.pump(self._has_line)
        end = self.buffer.find(b"\n")
        if end < 0:
            if len(self.buffer) > self.cap:
                raise wire.ProtocolError(f"the candidate sent a message over {self.cap} bytes")
            return None
        if end > self.cap:
            raise wire.ProtocolError(f"the candidate sent a message over {self.cap} bytes")
        line = bytes(self.buffer[:end])
        del self.buffer[: end + 1]
        try:
            return wire.loads(line)
        except (ValueError, RecursionError) as error:
            raise wire.ProtocolError(f"the candidate sent malformed data: {error}"[:300])

    def request(self, message):
        self.send(message)
        reply = self.receive()
        if reply is None:
            raise wire.ProtocolError("the candidate process ended before it answered")
        return reply


class LineReader:
    """Lines from the host, read as they arrive; None marks the end of the stream."""

    def __init__(self, fd):
        self.fd = fd
        self.buffer = b""

    def read_lines(self):
        chunk = os.read(self.fd, 1 << 20)
        if not chunk:
            return [None]
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        return lines
