"""igraph without its matplotlib plotting: ``from graphcap.graph._igraph import ig``.

``import igraph`` imports ``matplotlib.pyplot`` when matplotlib is installed (its drawing
modules look for it at import time), which is most of the cost of importing igraph (0.6 s of
0.75 s on an idle machine; docs/PERFORMANCE.md) and a third of a `graphcap metrics` run's start.
graphcap uses igraph for arithmetic only, never for plotting, so while igraph is imported here a
finder at the front of ``sys.meta_path`` refuses ``matplotlib`` to igraph's own modules (and only
to them: the finder looks at who imports, so another thread importing matplotlib at the same
moment gets it). igraph then keeps its stand-in for a missing matplotlib: its ``plot`` with a
matplotlib backend is unavailable in this process, everything else is unchanged. When matplotlib
is already imported, igraph takes it as usual.
"""

from __future__ import annotations

import importlib.abc
import sys
import threading
from types import FrameType
from typing import TYPE_CHECKING, Any

__all__ = ["ig"]

_BOOTSTRAP = ("importlib._bootstrap", "importlib._bootstrap_external", "importlib")


def _importer(frame: FrameType | None) -> str:
    """The name of the module whose code runs the import being resolved."""
    while frame is not None:
        name = str(frame.f_globals.get("__name__", ""))
        if name not in _BOOTSTRAP and name != __name__:
            return name
        frame = frame.f_back
    return ""


class _NoMatplotlibForIgraph(importlib.abc.MetaPathFinder):
    """Refuses ``matplotlib`` (and its submodules) when an ``igraph`` module imports it."""

    def __init__(self, thread: int) -> None:
        self.thread = thread

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if (
            (fullname == "matplotlib" or fullname.startswith("matplotlib."))
            and threading.get_ident() == self.thread
            and _importer(sys._getframe(1)).split(".")[0] == "igraph"
        ):
            raise ImportError(f"graphcap imports igraph without {fullname} (no plotting)")
        return None


def _load() -> Any:
    if "igraph" in sys.modules or "matplotlib" in sys.modules:
        import igraph

        return igraph
    finder = _NoMatplotlibForIgraph(threading.get_ident())
    sys.meta_path.insert(0, finder)
    try:
        import igraph
    finally:
        sys.meta_path.remove(finder)
    return igraph


if TYPE_CHECKING:
    import igraph as ig
else:
    ig = _load()
