"""The metrics engine switch: analyse a stored network locally or with Neo4j Graph Data Science.

It sits above the analysis and the store (it calls both; neither knows the other), below the CLI
and the app, which call :func:`analyze_stored`.

``metrics.engine`` (``graphcap.toml`` ``[metrics] engine``, ``GRAPHCAP_METRICS_ENGINE``, or
``graphcap metrics --engine``) picks who computes the position and community measures:

- ``local`` (default): everything in this process (:func:`graphcap.analysis.analyze`).
- ``gds``: the relationship strengths are computed here and written back to Neo4j
  (``m_strength``; only those that changed since the last write), then PageRank, betweenness,
  Leiden communities, k-core, articulation points and bridges run in GDS on a projection of the
  stored graph (:mod:`graphcap.store.gds`) and come back into the same columns; the measures
  GDS lacks or defines differently stay local. The GDS part runs in a worker thread while this
  process computes the local part (the index, the radar, closeness, ...); the analysis waits
  for the GDS measures only in its structure stage (:class:`~graphcap.metrics.suite.PendingGiven`).
  ``analysis.params["engines"]`` says which engine computed which measure.

:func:`write_back` stores an analysis in Neo4j (``graphcap metrics --write``): every computed
stakeholder metric as ``m_<metric>`` (money by kind included: ``m_revenue``, ``m_spend``,
``m_flow``, ``m_value_kind``, ``m_value``) and the relationship strength as ``m_strength``, which
the Cypher library reads (``// needs: metrics``).
"""

from __future__ import annotations

import time
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pandas as pd

from graphcap.analysis import Analysis, analyze
from graphcap.config import METRICS_ENGINES, ProjectConfig
from graphcap.config.metric_params import VALUE_KINDS
from graphcap.errors import ConfigError
from graphcap.i18n import gettext as _
from graphcap.metrics.pivots import pivot_count
from graphcap.metrics.strength import compute_strength, resolve_as_of
from graphcap.metrics.suite import Given, PendingGiven
from graphcap.model import Network
from graphcap.store import gds

__all__ = [
    "EDGE_METRICS",
    "ENGINES",
    "GDS_COLUMNS",
    "analyze_stored",
    "metric_columns",
    "write_back",
]

ENGINES = METRICS_ENGINES
#: The analysis columns the GDS engine supplies (node_metrics names) and bridges.
GDS_COLUMNS = ("pagerank", "betweenness", "community", "core_number", "is_articulation")
#: The relationship metrics :func:`write_back` stores.
EDGE_METRICS = ("strength", "strength_quality", "strength_interaction", "is_bridge")


def metric_columns(analysis: Analysis) -> list[str]:
    """The per-stakeholder metric columns that :func:`write_back` stores: the computed ones,
    not input properties, except money by kind, which is always graphcap's own reading (a
    customer's ``revenue`` column may be empty and its revenue come from its relationships).

    >>> from graphcap.sample import sample_small
    >>> cols = metric_columns(analyze(sample_small()))
    >>> "pagerank" in cols and "revenue" in cols and "rci" not in cols and "name" not in cols
    True
    """
    given = set(analysis.network.nodes.columns) - set(VALUE_KINDS)
    return [c for c in analysis.nodes.columns if c != "id" and c not in given and c != "via"]


def write_back(store: Any, analysis: Analysis, *, run: dict[str, Any]) -> tuple[int, list[str]]:
    """Store ``analysis`` in ``store`` (:meth:`~graphcap.store.Neo4jStore.write_metrics`):
    stakeholder metrics (:func:`metric_columns`) and :data:`EDGE_METRICS`; ``run`` describes the
    computation (parameters, seconds, ...). Returns the number of stakeholders written and the
    metric names."""
    cols = metric_columns(analysis)
    edges = analysis.edges[["source", "target", "type", *EDGE_METRICS]]
    run = {"parameters": analysis.params, "timings": analysis.timings, **run}
    return store.write_metrics(analysis.nodes[["id", *cols]], run=run, edges=edges), cols


#: The relationship columns the strength write-back needs (the stored value to compare).
_WRITTEN = ("source", "target", "type", "strength", "m_strength")


def _stale_strength(edges: pd.DataFrame) -> pd.DataFrame:
    """The relationships whose stored ``m_strength`` (read with the network) is not their
    ``strength`` now: only those need writing before the GDS projection. An unchanged network
    analysed again writes nothing (16k relationships took ~1 s to write on the real-shaped
    network).

    >>> e = pd.DataFrame({"strength": [0.5, 0.25, 0.75], "m_strength": [0.5, 0.2, None]})
    >>> _stale_strength(e).index.tolist()
    [1, 2]
    """
    if "m_strength" not in edges.columns:
        return edges
    stored = pd.to_numeric(edges["m_strength"], errors="coerce").to_numpy(dtype=float)
    return edges[~(stored == edges["strength"].to_numpy(dtype=float))]


def analyze_stored(
    store: Any,
    network: Network,
    *,
    engine: str = "local",
    config: ProjectConfig | None = None,
    as_of: Any = None,
    seed: int = 42,
    node_types: Collection[str] | None = None,
) -> Analysis:
    """:func:`~graphcap.analysis.analyze` of ``network`` (read from ``store``) on ``engine``.

    With ``gds``, ``node_types`` must be the filter ``network`` was read with, so both engines
    see the same stakeholders. Raises :class:`~graphcap.store.gds.GdsUnavailable` when the server
    has no GDS.
    """
    if engine not in ENGINES:
        raise ConfigError(
            _("metrics engine must be one of {engines}, got {engine!r}").format(
                engines=", ".join(ENGINES), engine=engine
            )
        )
    config = config or ProjectConfig()
    if engine == "local":
        return analyze(network, config=config, as_of=as_of, seed=seed)
    gds.gds_version(store)  # one clear message before any work when GDS is missing
    as_of_ts = resolve_as_of(network, as_of)
    strong = compute_strength(network, config.strength, as_of=as_of_ts).edges
    # only what the write needs, and not after it (five million relationships with every
    # column and component: a gigabyte held through the whole analysis)
    pending = [strong[[c for c in _WRITTEN if c in strong.columns]]]
    del strong

    def remote() -> Given:
        clock = time.perf_counter()
        stale = _stale_strength(pending.pop())
        written = gds.write_strength(store, stale) if len(stale) else 0
        del stale
        wrote_s = time.perf_counter() - clock
        result = gds.node_measures(
            store,
            measures=GDS_COLUMNS,
            node_types=node_types,
            k=None,
            sample_above=pivot_count,
            seed=seed,
        )
        info = {
            "version": result.version,
            "graph": result.graph,
            "sampled": result.sampled,
            "strength_written": written,
            "timings": {"write_strength": wrote_s, **result.timings},
        }
        return Given(nodes=result.nodes, bridges=result.bridges, engine="gds", info=info)

    # GDS works on the server while this process computes what stays local; the analysis
    # waits for the GDS measures only when its structure stage needs them. Leaving the block
    # waits for the GDS call too, so its projection is dropped before an error surfaces.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphcap-gds") as pool:
        future = pool.submit(remote)

        def check() -> None:
            if future.done() and future.exception() is not None:
                future.result()  # raises the server's error now, not after the local measures

        given = PendingGiven(measures=GDS_COLUMNS, result=future.result, engine="gds", check=check)
        return analyze(network, config=config, as_of=as_of_ts, seed=seed, given=given)
