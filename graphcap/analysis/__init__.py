"""The analysis facade: everything the pages, the CLI and the reports show, in one call.

``analyze(network)`` fills in relationship strength, projects the network to the undirected
strength graph, and computes position, brokerage, communities, value and concentration, the
at-risk radar, the power/interest grid and the Relational Capital Index. Results are cached per
network content and parameters, so calling it again on the same data is free.

``given`` (a :class:`~graphcap.metrics.suite.Given`) brings measures computed by another engine
(Neo4j Graph Data Science, :mod:`graphcap.compute`); they replace the local ones and
``params["engines"]`` says which engine computed which measure.

The result is an :class:`Analysis`; its frames are documented there and are the stable interface
of the metrics (docs/METRICS.md explains every figure). Every call hands out fresh copies of the
frames (the graph is frozen and shared), so code that changes ``a.nodes`` cannot change what the
next ``analyze()`` of the same data returns.

This module is the facade and its cache; :mod:`graphcap.analysis.result` holds
:class:`Analysis` and :mod:`graphcap.analysis.pipeline` computes one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from typing import Any

import networkx as nx

from graphcap.analysis.pipeline import _compute
from graphcap.analysis.result import Analysis
from graphcap.config import ProjectConfig
from graphcap.metrics.grid import GridConfig
from graphcap.metrics.rci import RCIWeights
from graphcap.metrics.risk import RiskConfig
from graphcap.metrics.strength import as_of_source, resolve_as_of
from graphcap.metrics.suite import Given, PendingGiven
from graphcap.model import Network
from graphcap.model.hashing import network_hash

__all__ = ["Analysis", "analyze", "clear_cache", "network_hash"]

CACHE_SIZE = 8


class _Job:
    """Hashable by its key only, so functools.lru_cache keys on content + parameters."""

    def __init__(self, key: str, args: tuple[Any, ...]) -> None:
        self.key = key
        self.args = args

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Job) and other.key == self.key


@functools.lru_cache(maxsize=CACHE_SIZE)
def _cached(job: _Job) -> Analysis:
    network, config, as_of, seed, risk, grid, weights, source, given = job.args
    result = _compute(network, config, as_of, seed, risk, grid, weights, job.key, source, given)
    nx.freeze(result.graph)
    return result.copy()  # the cache keeps its own copy; the caller's network is not held


_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget every cached analysis (e.g. after changing data in place).

    >>> clear_cache()
    >>> _cached.cache_info().currsize
    0
    """
    _cached.cache_clear()


def analyze(
    network: Network,
    *,
    config: ProjectConfig | None = None,
    as_of: Any = None,
    seed: int = 42,
    risk: RiskConfig | None = None,
    grid: GridConfig | None = None,
    weights: RCIWeights | None = None,
    given: Given | PendingGiven | None = None,
) -> Analysis:
    """Analyse ``network`` as of ``as_of`` (default ``network.meta["as_of"]``, else the data's own
    latest interaction or contact, else today; ``params["as_of_source"]`` says which).

    ``given``: measures another engine computed on the same graph (see the module docstring);
    a :class:`~graphcap.metrics.suite.PendingGiven` is waited for only when the structure
    needs it, after the index and the local measures (such a result is not cached).

    Cached per network content and parameters (the last :data:`CACHE_SIZE` results), so the
    same data analysed twice costs a hash and a copy: each call returns its own frames
    (:meth:`Analysis.copy`), so changing them never changes a later result. Raises
    :class:`~graphcap.errors.MetricError` for input the metrics cannot use (e.g. relationships
    whose ends are not stakeholders).

    >>> from graphcap.sample import sample_small
    >>> a = analyze(sample_small())
    >>> 0 <= a.rci.score <= 100, len(a.nodes) == len(a.network.nodes)
    (True, True)
    >>> b = analyze(sample_small())
    >>> b is a, b.nodes.equals(a.nodes), b.graph is a.graph
    (False, True, True)
    """
    config = config or ProjectConfig()
    as_of_ts = resolve_as_of(network, as_of)
    source = as_of_source(network, as_of)
    risk = risk or RiskConfig(cadence_days=dict(config.cadence_days))
    grid = grid or GridConfig(half_life_days=config.strength.half_life_days)
    weights = weights or RCIWeights()
    params = json.dumps(
        [
            as_of_ts.isoformat(),
            source,
            seed,
            repr(config.strength),
            repr(config.value),
            repr(risk),
            repr(grid),
            repr(weights),
            # declared with the data, not in its frames: two declarations, two results
            bool(network.meta.get("ego_only", False)),
        ]
    )
    key = network_hash(network, exact=True) + ":" + hashlib.sha256(params.encode()).hexdigest()
    if isinstance(given, PendingGiven):  # its values are not known yet: computed, not cached
        result = _compute(network, config, as_of_ts, seed, risk, grid, weights, key, source, given)
        nx.freeze(result.graph)
        return result
    if given is not None:
        key += ":" + given.fingerprint()
    with _LOCK:
        cached = _cached(
            _Job(key, (network, config, as_of_ts, seed, risk, grid, weights, source, given))
        )
    return cached.copy()
