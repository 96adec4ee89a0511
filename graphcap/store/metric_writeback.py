"""Metric write-back: analysis results stored in Neo4j as ``m_<metric>`` properties of the
stakeholders and relationships, and the run that computed them on
``(:GraphcapMeta {key:'metrics'})``, stamped with the data version it was computed for.

The bodies of :meth:`Neo4jStore.write_metrics <graphcap.store.Neo4jStore.write_metrics>` and
:meth:`~graphcap.store.Neo4jStore.metrics_run`: one transaction up to
:data:`ONE_TRANSACTION_ROWS` rows, batches of :data:`METRIC_BATCH` rows above.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

import pandas as pd

from graphcap.errors import StoreError
from graphcap.i18n import gettext as _
from graphcap.model.schema import EDGE_REQUIRED, STAKEHOLDER_LABEL
from graphcap.store.import_queries import BOTH_ENDS
from graphcap.store.network_reads import _version_in
from graphcap.store.properties import to_python

if TYPE_CHECKING:
    from graphcap.store.neo4j_store import Neo4jStore

__all__ = ["METRIC_BATCH", "ONE_TRANSACTION_ROWS", "metrics_run", "write_metrics"]

#: Above this many rows (stakeholders + relationships) :meth:`Neo4jStore.write_metrics` writes
#: in batches of METRIC_BATCH rows, a transaction each, instead of one transaction.
ONE_TRANSACTION_ROWS = 200_000
METRIC_BATCH = 10_000
_METRIC_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def write_metrics(
    store: Neo4jStore,
    nodes: pd.DataFrame,
    *,
    run: dict[str, Any],
    edges: pd.DataFrame | None = None,
) -> int:
    """The body of :meth:`Neo4jStore.write_metrics`."""
    if "id" not in nodes.columns:
        raise StoreError(_("write_metrics needs an 'id' column with the stakeholder ids"))
    metrics = [c for c in nodes.columns if c != "id"]
    edge_metrics = [] if edges is None else [c for c in edges.columns if c not in EDGE_REQUIRED]
    for m in [*metrics, *edge_metrics]:
        if not isinstance(m, str) or not _METRIC_RE.match(m):
            raise StoreError(
                _(
                    "metric name {m!r} is not allowed; use lower-case ASCII letters, digits, '_'"
                ).format(m=m)
            )
    if len(nodes) + (0 if edges is None else len(edges)) > ONE_TRANSACTION_ROWS:
        return _write_metrics_batched(store, nodes, metrics, edges, edge_metrics, run)
    edge_rows: dict[str, list[dict[str, Any]]] = {}
    if edges is not None and len(edges):
        for rel, part in edges.groupby("type", sort=True):
            rel_type = store.schema.rel_type(str(rel))  # SchemaError before any query
            edge_rows[rel_type] = _edge_rows(part, edge_metrics)
    rows = _node_rows(nodes, metrics)
    meta = _metrics_record(metrics, run)

    def work(tx: Any) -> int:
        blank = {f"m_{m}": None for m in metrics}
        tx.run(
            f"MATCH (n:{STAKEHOLDER_LABEL}) WHERE NOT n.id IN $ids SET n += $blank",
            ids=[r["id"] for r in rows],
            blank=blank,
        ).consume()
        done = 0
        for start in range(0, len(rows), METRIC_BATCH):
            done += _set_node_metrics(tx, rows=rows[start : start + METRIC_BATCH])
        if edge_metrics:
            blank_e = {f"m_{m}": None for m in edge_metrics}
            for rel_type in store.schema.relationship_types:
                tx.run(f"MATCH ()-[e:{rel_type}]->() SET e += $blank", blank=blank_e).consume()
            for rel_type, erows in edge_rows.items():
                for start in range(0, len(erows), METRIC_BATCH):
                    _set_edge_metrics(
                        tx, rel_type=rel_type, rows=erows[start : start + METRIC_BATCH]
                    )
            meta["edge_metrics"] = edge_metrics
        _set_metrics_record(tx, meta=meta)
        return done

    return store._write(work, "writing metrics")


def _write_metrics_batched(
    store: Neo4jStore,
    nodes: pd.DataFrame,
    metrics: list[str],
    edges: pd.DataFrame | None,
    edge_metrics: list[str],
    run: dict[str, Any],
) -> int:
    """:func:`write_metrics` of a big network: a transaction per :data:`METRIC_BATCH` rows
    (one transaction for a million stakeholders and five million relationships outgrows
    the server's transaction memory, and their parameter rows at once gigabytes of the
    client's). Not atomic, so the metrics record goes first and comes back last: a write
    that stops half-way leaves no record claiming the metrics are complete. Stakeholders
    and relationships the analysis did not cover lose their metric properties (in batches
    too); when it covered all of them, every one is overwritten anyway."""
    rel_types = {}
    if edges is not None and len(edges):
        rel_types = {rel: store.schema.rel_type(str(rel)) for rel in pd.unique(edges["type"])}
    store._auto("MATCH (m:GraphcapMeta {key: 'metrics'}) DELETE m", "writing metrics")
    stored = store._auto(f"MATCH (n:{STAKEHOLDER_LABEL}) RETURN count(n) AS n", "writing metrics")[
        0
    ]["n"]
    if int(stored) != len(nodes):
        store._auto(
            f"MATCH (n:{STAKEHOLDER_LABEL}) WHERE NOT n.id IN $ids "
            f"CALL (n) {{ SET n += $blank }} IN TRANSACTIONS OF {METRIC_BATCH} ROWS",
            "writing metrics",
            ids=nodes["id"].astype(str).tolist(),
            blank={f"m_{m}": None for m in metrics},
        )
    done = 0
    for start in range(0, len(nodes), METRIC_BATCH):
        rows = _node_rows(nodes.iloc[start : start + METRIC_BATCH], metrics)
        done += store._write(partial(_set_node_metrics, rows=rows), "writing metrics")
    meta: dict[str, Any] = {}
    if edge_metrics and edges is not None:
        typed = list(dict.fromkeys(store.schema.relationship_types))
        total = store._auto(
            f"MATCH (:{STAKEHOLDER_LABEL})-[e]->(:{STAKEHOLDER_LABEL}) "
            "WHERE type(e) IN $types RETURN count(e) AS n",
            "writing metrics",
            types=typed,
        )[0]["n"]
        if int(total) != len(edges):
            for rel_type in typed:
                store._auto(
                    f"MATCH ()-[e:{rel_type}]->() "
                    f"CALL (e) {{ SET e += $blank }} IN TRANSACTIONS OF {METRIC_BATCH} ROWS",
                    "writing metrics",
                    blank={f"m_{m}": None for m in edge_metrics},
                )
        for rel, group in edges.groupby("type", sort=True):
            rel_type = rel_types[rel]
            for start in range(0, len(group), METRIC_BATCH):
                rows = _edge_rows(group.iloc[start : start + METRIC_BATCH], edge_metrics)
                store._write(
                    partial(_set_edge_metrics, rel_type=rel_type, rows=rows),
                    "writing metrics",
                )
        meta["edge_metrics"] = edge_metrics
    meta.update(_metrics_record(metrics, run))
    store._write(partial(_set_metrics_record, meta=meta), "writing metrics")
    return done


def metrics_run(store: Neo4jStore) -> dict[str, Any] | None:
    """The body of :meth:`Neo4jStore.metrics_run`."""
    rec = store._read(
        lambda tx: tx.run(
            "MATCH (m:GraphcapMeta {key: 'metrics'}) RETURN properties(m) AS p"
        ).single(),
        "reading the metrics record",
    )
    if rec is None:
        return None
    p = dict(rec["p"])
    p["parameters"] = json.loads(p.get("parameters") or "{}")
    p["run"] = json.loads(p.get("run") or "{}")
    if hasattr(p.get("computed_at"), "to_native"):
        p["computed_at"] = p["computed_at"].to_native()
    p.pop("key", None)
    return p


def _node_rows(nodes: pd.DataFrame, metrics: list[str]) -> list[dict[str, Any]]:
    """The parameter rows of :meth:`Neo4jStore.write_metrics` for these stakeholders."""
    return [
        {
            "id": str(i),
            "m": {f"m_{m}": _metric_value(v) for m, v in zip(metrics, vals, strict=True)},
        }
        for i, *vals in nodes[["id", *metrics]].itertuples(index=False, name=None)
    ]


def _edge_rows(edges: pd.DataFrame, metrics: list[str]) -> list[dict[str, Any]]:
    """The parameter rows for these relationships (``source``, ``target`` + ``metrics``)."""
    return [
        {
            "s": str(a),
            "t": str(b),
            "m": {f"m_{m}": _metric_value(v) for m, v in zip(metrics, vals, strict=True)},
        }
        for a, b, *vals in edges[["source", "target", *metrics]].itertuples(index=False, name=None)
    ]


def _metrics_record(metrics: list[str], run: dict[str, Any]) -> dict[str, Any]:
    """The ``(:GraphcapMeta {key:'metrics'})`` properties of a write-back (without
    ``data_version``, read in the transaction that writes the record)."""
    return {
        "metrics": metrics,
        "parameters": json.dumps(run.get("parameters", {}), sort_keys=True, default=str),
        "seconds": float(run.get("seconds", math.nan)),
        "computed_at": datetime.now(UTC),
        "run": json.dumps(run, sort_keys=True, default=str),
    }


def _set_metrics_record(tx: Any, *, meta: dict[str, Any]) -> None:
    """Write the metrics record, stamped with the data version it was computed for."""
    meta["data_version"] = _version_in(tx)
    tx.run(
        "MERGE (m:GraphcapMeta {key: 'metrics'}) SET m = $meta, m.key = 'metrics'", meta=meta
    ).consume()


def _set_node_metrics(tx: Any, *, rows: list[dict[str, Any]]) -> int:
    """One batch of :meth:`Neo4jStore.write_metrics`' stakeholder rows; returns how many."""
    rec = tx.run(
        f"UNWIND $rows AS row MATCH (n:{STAKEHOLDER_LABEL} {{id: row.id}}) "
        "SET n += row.m RETURN count(n) AS n",
        rows=rows,
    ).single()
    return int(rec["n"])


def _set_edge_metrics(tx: Any, *, rel_type: str, rows: list[dict[str, Any]]) -> None:
    """One batch of relationship rows of one (allow-listed) type."""
    tx.run(
        f"UNWIND $rows AS row {BOTH_ENDS} "
        f"CALL (row, a, b) {{ MATCH (a)-[e:{rel_type}]->(b) SET e += row.m }}",
        rows=rows,
    ).consume()


def _metric_value(v: Any) -> Any:
    v = to_python(v)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v
