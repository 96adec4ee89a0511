"""Metric results cached per graph version and parameters.

The app recomputes on every filter change; a filter the user returns to, or a page that asks for
the same table, should cost nothing. A result is stored under ``(version, name, parameters)``:

- ``version`` names the data: :meth:`graphcap.source.GraphSource.version` (changes whenever the
  data changes) or :func:`network_version`, a content hash of the frames;
- ``name`` names the computation (``"node_metrics"``);
- parameters are everything else that changes the result (filter, seed, k, ...), any hashable
  values (dicts, lists and sets are frozen into tuples).

Least recently used entries go first when more than ``max_entries`` are held. Values are returned
as stored; frames come back as shallow copies (pandas copy-on-write keeps the cached one intact).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

import pandas as pd

from graphcap.model import Network

__all__ = ["DEFAULT_CACHE", "MetricCache", "cache_key", "cached_node_metrics", "network_version"]

T = TypeVar("T")


def _freeze(value: Any) -> Hashable:
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted((_freeze(v) for v in value), key=repr))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    hash(value)  # refuse unhashable leftovers early, with Python's own message
    return value


def cache_key(version: str, name: str, **params: Any) -> tuple:
    """The key of one result.

    >>> cache_key("v1", "node_metrics", seed=0, focal=["o"]) == cache_key(
    ...     "v1", "node_metrics", focal=("o",), seed=0)
    True
    """
    return (str(version), name, _freeze(params))


def network_version(network: Network) -> str:
    """A content hash of the network's frames (for sources without a version token).

    Equal frames give equal versions; any changed cell, row or column gives another.

    >>> from graphcap.model import empty_network
    >>> network_version(empty_network()) == network_version(empty_network())
    True
    """
    digest = hashlib.sha256()
    for frame in (network.nodes, network.edges, network.interactions):
        digest.update(",".join(map(str, frame.columns)).encode())
        if len(frame):
            hashed = pd.util.hash_pandas_object(frame.astype(str), index=False)
            digest.update(hashed.to_numpy().tobytes())
        digest.update(b"|")
    return digest.hexdigest()[:24]


class MetricCache:
    """A thread-safe LRU map from :func:`cache_key` to results.

    >>> cache = MetricCache(max_entries=2)
    >>> calls = []
    >>> cache.get_or_compute(("v", "x", ()), lambda: calls.append(1) or 42)
    42
    >>> cache.get_or_compute(("v", "x", ()), lambda: calls.append(1) or 42), len(calls)
    (42, 1)
    """

    def __init__(self, max_entries: int = 32) -> None:
        self.max_entries = max_entries
        self._data: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: tuple, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return _handout(self._data[key])
            self.misses += 1
        value = compute()  # outside the lock: other keys stay served meanwhile
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)
        return _handout(value)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


def _handout(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        out = value.copy(deep=False)
        out.attrs = dict(value.attrs)
        return out
    return value


#: The process-wide cache the analysis facade and the app share.
DEFAULT_CACHE = MetricCache()


def cached_node_metrics(
    network: Network,
    *,
    version: str | None = None,
    cache: MetricCache | None = None,
    **params: Any,
) -> pd.DataFrame:
    """:func:`graphcap.metrics.suite.node_metrics` of ``network``, computed once per version and
    parameters. ``version`` defaults to :func:`network_version` (plus the network's filter)."""
    from graphcap.metrics.suite import node_metrics

    if version is None:
        version = network_version(network)
    key = cache_key(version, "node_metrics", filter=network.meta.get("filter"), **params)
    target = DEFAULT_CACHE if cache is None else cache  # an empty cache is falsy (len 0)
    return target.get_or_compute(key, lambda: node_metrics(network, **params))
