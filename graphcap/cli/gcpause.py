"""Fewer garbage collections while a command builds its data in one burst.

Reading a stored network and analysing it allocates a few hundred thousand Python objects
(frames of strings and dates, graphs, dicts per stakeholder) that mostly live until the
command ends. With Python's default thresholds (700, 10, 10) the cyclic collector ran about
700 times in one `graphcap metrics` of the real-shaped network, four of them full collections
that walk every object: 0.3 s of its 3.9 s of CPU on the shared machine (docs/PERFORMANCE.md,
"2026-12-01 (h14m2)"). Inside :func:`fewer_collections` the young generation is collected
every :data:`THRESHOLDS` allocations instead (about 50 collections in that run, none full);
reference counting still frees everything that is not in a cycle at once, so memory stays
what the data needs. The previous thresholds come back when the outermost use ends.

At the end of the process, Python walks every object once more in a last full collection
before it frees them; :func:`freeze_at_exit` moves them out of the collector's reach first
(:func:`gc.freeze`), so they are freed without that walk: 0.1 s of CPU at the end of a
`graphcap metrics` of the real-shaped network (docs/PERFORMANCE.md, "hmet").
"""

from __future__ import annotations

import atexit
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["THRESHOLDS", "fewer_collections", "freeze_at_exit"]

#: gc thresholds inside :func:`fewer_collections` (young, middle, old generation)
THRESHOLDS = (10_000, 50, 100)

_LOCK = threading.Lock()
_depth = 0
_saved: tuple[int, int, int] | None = None
_freezing = False


def freeze_at_exit() -> None:
    """Have the process freeze its objects when it exits (once, however often called), so the
    collection at exit does not walk them. Nothing changes before the exit.

    >>> import graphcap.cli.gcpause as gcpause
    >>> gcpause.freeze_at_exit(); gcpause.freeze_at_exit()
    >>> gcpause._freezing
    True
    """
    global _freezing
    with _LOCK:
        if not _freezing:
            atexit.register(gc.freeze)
            _freezing = True


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the body with :data:`THRESHOLDS` (nested or concurrent uses share one change).

    >>> import gc
    >>> before = gc.get_threshold()
    >>> with fewer_collections():
    ...     gc.get_threshold() == THRESHOLDS
    True
    >>> gc.get_threshold() == before
    True
    """
    global _depth, _saved
    with _LOCK:
        if _depth == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(*THRESHOLDS)
        _depth += 1
    try:
        yield
    finally:
        with _LOCK:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
