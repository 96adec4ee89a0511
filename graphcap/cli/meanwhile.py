"""Work that waits on a server, done in a thread while the command imports what comes next.

`graphcap metrics` spends about a second waiting for Neo4j to send the network, and about as
long importing networkx, igraph, scipy and the metrics before it can analyse it. Done one
after the other, the two add up; :func:`meanwhile` starts the first in a thread, so the
server works while this process imports (docs/PERFORMANCE.md, "2026-12-01 (h14m3)").

The thread only talks to the server and builds frames (modules already imported); the command
imports in its own thread, so the two never import the same new modules at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Meanwhile", "meanwhile"]

T = TypeVar("T")


class Meanwhile(Generic[T]):
    """The result of a call running in a daemon thread (see :func:`meanwhile`)."""

    def __init__(self, work: Callable[[], T], name: str) -> None:
        self._work = work
        self._value: list[T] = []
        self._error: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value.append(self._work())
        except BaseException as exc:  # handed to the caller by result()
            self._error.append(exc)

    def wait(self) -> None:
        """Wait until the call has ended (returned or raised)."""
        self._thread.join()

    def result(self) -> T:
        """Wait for the call; its return value, or its exception raised here."""
        self.wait()
        if self._error:
            raise self._error[0]
        return self._value[0]


def meanwhile(work: Callable[[], T], *, name: str = "graphcap-meanwhile") -> Meanwhile[T]:
    """Start ``work()`` in a daemon thread now; ``.result()`` waits for it and returns its
    value or raises its exception in the caller's thread.

    >>> job = meanwhile(lambda: sum(range(10)))
    >>> job.result()
    45
    >>> failing = meanwhile(lambda: 1 / 0)
    >>> failing.result()
    Traceback (most recent call last):
    ...
    ZeroDivisionError: division by zero
    """
    return Meanwhile(work, name)
