"""One array computed in a forked child process while this process goes on with other work.

The sampled betweenness (igraph) and the pivot distances (scipy) are the biggest parts of an
analysis on a network of ten thousand stakeholders, and both hold the GIL for their whole run,
so a thread cannot overlap them (docs/PERFORMANCE.md, "h14m2"). A child process can: forked
after the projection, it computes the betweenness on its copy of the graph while this process
computes the index, the radar and the other measures, and hands back the array through a pipe.
On two free cores that hides the betweenness. On a busy machine the child only competes with
this process for the same cores and adds its copy-on-write pages (about 4 % more CPU on the
real-shaped network), so by default it forks only when the last minute left a core free (the
load average below the number of cores).

Only where the caller allows it (:func:`sidecars`, which ``graphcap metrics`` uses: a process of
its own) and only while the process runs a single thread, because a child forked beside other
threads may inherit a lock one of them holds. Anywhere else, or when ``os.fork`` is missing, the
work runs here when its result is asked for. A child that fails hands back nothing, and the work
then runs here, so its error is raised with this process's traceback. The child leaves with
``os._exit``: no atexit handler, no buffered output and no finalizer of this process runs twice.
"""

from __future__ import annotations

import os
import signal
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np

__all__ = ["Sidecar", "allowed", "core_free", "sidecars"]

#: inside sidecars(): "idle" (fork when a core is free) or "always"; outside: None
_MODE: ContextVar[str | None] = ContextVar("graphcap_sidecars", default=None)


@contextmanager
def sidecars(*, busy_too: bool = False) -> Iterator[None]:
    """Allow :class:`Sidecar` to fork inside this block (in this context): when a core is free,
    or with ``busy_too`` whatever the load (the tests, which must see a child).

    >>> allowed()
    False
    >>> with sidecars(busy_too=True):
    ...     allowed() == (hasattr(os, "fork") and threading.active_count() == 1)
    True
    """
    token = _MODE.set("always" if busy_too else "idle")
    try:
        yield
    finally:
        _MODE.reset(token)


def core_free() -> bool:
    """Whether the last minute left a core free: the 1-minute load average below the number of
    cores (True where the system does not tell)."""
    try:
        return os.getloadavg()[0] < (os.cpu_count() or 1)
    except OSError:
        return True


def allowed() -> bool:
    """Whether a :class:`Sidecar` started now would fork (see the module docstring)."""
    mode = _MODE.get()
    if mode is None or not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    return mode == "always" or core_free()


def _reap(pid: int, fd: int) -> None:
    """Close the pipe and end a child whose result nobody took (or that has ended)."""
    os.close(fd)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


class Sidecar:
    """``work()`` (returning a float64 array) started in a forked child when :func:`allowed`;
    :meth:`result` returns its array (computed here when there is no child or it failed).

    >>> job = Sidecar(lambda: np.arange(3.0))
    >>> job.result().tolist()
    [0.0, 1.0, 2.0]
    >>> with sidecars(busy_too=True):
    ...     forked = Sidecar(lambda: np.full(100_000, 0.5))
    >>> float(forked.result().sum())
    50000.0
    """

    def __init__(self, work: Callable[[], np.ndarray]) -> None:
        self._work = work
        self.pid: int | None = None
        self._fd = -1
        self._done: weakref.finalize | None = None
        if allowed():
            self._fork()

    def _fork(self) -> None:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, leave without running anything of the parent's
            code = 1
            try:
                os.close(read_fd)
                data = np.ascontiguousarray(self._work(), dtype=np.float64).tobytes()
                with os.fdopen(write_fd, "wb") as out:
                    out.write(len(data).to_bytes(8, "little") + data)
                code = 0
            finally:
                os._exit(code)
        os.close(write_fd)
        self.pid, self._fd = pid, read_fd
        self._done = weakref.finalize(self, _reap, pid, read_fd)

    def _receive(self) -> np.ndarray | None:
        """The child's array, or ``None`` when it sent none (it failed)."""
        with os.fdopen(os.dup(self._fd), "rb") as pipe:
            head = pipe.read(8)
            size = int.from_bytes(head, "little") if len(head) == 8 else -1
            data = pipe.read(size) if size >= 0 else b""
        if self._done is not None:
            self._done()  # the child has sent everything (or failed): reap it
        if size < 0 or len(data) != size:
            return None
        return np.frombuffer(data, dtype=np.float64).copy()

    def result(self) -> np.ndarray:
        """The array (waits for the child; runs the work here when there is none)."""
        if self.pid is not None:
            self.pid = None
            got = self._receive()
            if got is not None:
                return got
        return np.asarray(self._work(), dtype=np.float64)
