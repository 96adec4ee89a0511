"""``Neo4jStore``: the stakeholder network in Neo4j, read and written as frames.

Layout in Neo4j (docs/ARCHITECTURE.md):

- ``(:Stakeholder:<TypeLabel> {id, name, type, ...})``, ``Stakeholder.id`` unique, indexes on
  ``name`` and ``type``;
- ``(a)-[:<REL_TYPE> {...}]->(b)``, one per (a, type, b);
- ``(:Interaction {key, date, channel, value, sentiment})-[:FROM]->(a)``, ``-[:TO]->(b)``;
- ``m_<metric>`` node properties and ``(:GraphcapMeta {key:'metrics'})`` for metric write-back;
- ``(:GraphcapMeta {key:'version'})`` whose ``token`` changes with every import or clear that
  changes data (see :meth:`Neo4jStore.version`).

Every read runs in ``execute_read`` and every write in ``execute_write`` (transaction functions:
transient failures are retried), except the schema commands and :meth:`clear`, which Neo4j runs
only in auto-commit transactions.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from datetime import UTC, date, datetime
from functools import partial
from typing import Any, TypeVar

import pandas as pd
from neo4j import exceptions as neo4j_errors

from graphcap.config import Neo4jSettings
from graphcap.errors import ImportFailed, StoreError
from graphcap.i18n import Text, lazy_gettext, lazy_join, shown
from graphcap.i18n import gettext as _
from graphcap.model import (
    DEFAULT_SCHEMA,
    EDGE_OPTIONAL,
    EDGE_REQUIRED,
    INTERACTION_OPTIONAL,
    INTERACTION_REQUIRED,
    NODE_OPTIONAL,
    NODE_REQUIRED,
    STAKEHOLDER_LABEL,
    Network,
    Schema,
)
from graphcap.store import asof, audit, import_history, importer, journal
from graphcap.store.connection import open_driver, translate, where
from graphcap.store.import_plan import plan_import
from graphcap.store.import_queries import (
    BOTH_ENDS,
    BUMP_VERSION,
    RECORD_AS_OF,
    RECORD_EGO_ONLY,
    data_date,
)
from graphcap.store.import_summary import ImportSummary
from graphcap.store.importer import Progress, run_import
from graphcap.store.properties import columns_to_frame, to_frame, to_python
from graphcap.store.read_pages import Columns, read_pages
from graphcap.store.stored_types import (
    extended_by_stored,
    read_stored_types,
    write_stored_types,
)

__all__ = ["Neo4jStore"]

T = TypeVar("T")

SCHEMA_STATEMENTS = (
    f"CREATE CONSTRAINT stakeholder_id IF NOT EXISTS FOR (n:{STAKEHOLDER_LABEL}) REQUIRE n.id IS UNIQUE",
    f"CREATE INDEX stakeholder_name IF NOT EXISTS FOR (n:{STAKEHOLDER_LABEL}) ON (n.name)",
    f"CREATE INDEX stakeholder_type IF NOT EXISTS FOR (n:{STAKEHOLDER_LABEL}) ON (n.type)",
    "CREATE CONSTRAINT interaction_key IF NOT EXISTS FOR (i:Interaction) REQUIRE i.key IS UNIQUE",
    "CREATE CONSTRAINT graphcap_meta_key IF NOT EXISTS FOR (m:GraphcapMeta) REQUIRE m.key IS UNIQUE",
    "CREATE INDEX graphcap_undo_import IF NOT EXISTS FOR (u:GraphcapUndo) ON (u.__gc_import, u.__gc_kind)",
    *import_history.SCHEMA,
)

#: Above this many rows (stakeholders + relationships) :meth:`Neo4jStore.write_metrics` writes
#: in batches of METRIC_BATCH rows, a transaction each, instead of one transaction.
ONE_TRANSACTION_ROWS = 200_000
METRIC_BATCH = 10_000
_METRIC_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def _version_in(tx: Any) -> str:
    """:meth:`Neo4jStore.version` inside transaction ``tx``."""
    rec = tx.run(
        "OPTIONAL MATCH (m:GraphcapMeta {key: 'version'}) "
        "RETURN m.token AS t, COUNT { MATCH (n:Stakeholder) } + COUNT { MATCH (i:Interaction) } AS n, "
        "COUNT { MATCH ()-[r]->() } AS r"
    ).single()
    return f"{rec['t'] or 'none'}-{rec['n']}-{rec['r']}"


class Neo4jStore:
    """The stakeholder network in a Neo4j database (a :class:`~graphcap.source.GraphSource`).

    Usage (needs a server, so tested in tests/store rather than as a doctest)::

        with Neo4jStore.from_env() as store:
            store.verify(); store.ensure_schema()
            print(store.import_network(network))
            net = store.read_network(node_types=["customer", "organization"])

    No connection is made until the first call that needs one; :meth:`verify` checks it with an
    error a user can act on. ``retry_s`` bounds how long transient failures are retried.
    """

    kind = "neo4j"

    def __init__(
        self, settings: Neo4jSettings, *, schema: Schema = DEFAULT_SCHEMA, retry_s: float = 30.0
    ) -> None:
        self.settings = settings
        self.schema = schema
        self._driver = open_driver(settings, retry_s=retry_s)
        self._server: str | None = None
        self._schema_done = False
        self._types_read = False
        self._audit_done = False

    @classmethod
    def from_env(cls, *, schema: Schema = DEFAULT_SCHEMA) -> Neo4jStore:
        """A store for ``NEO4J_URI`` / ``NEO4J_USER`` / ``NEO4J_PASSWORD`` / ``NEO4J_DATABASE``,
        or the local server of ``graphcap neo4j start`` when ``NEO4J_URI`` is unset."""
        return cls(Neo4jSettings.from_env(), schema=schema)

    # -- life cycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def driver(self) -> Any:
        """The underlying ``neo4j.Driver`` (for graphcap.store.readonly only)."""
        return self._driver

    @property
    def database(self) -> str:
        return self.settings.database

    def _session(self, **kw: Any) -> Any:
        return self._driver.session(database=self.settings.database, **kw)

    def _read(self, work: Callable[[Any], T], doing: str) -> T:
        try:
            with self._session() as session:
                return session.execute_read(work)
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            raise translate(exc, self.settings, doing=doing) from exc

    def _write(self, work: Callable[[Any], T], doing: str) -> T:
        try:
            with self._session() as session:
                return session.execute_write(work)
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            raise translate(exc, self.settings, doing=doing) from exc

    def _auto(self, query: str, doing: str, **params: Any) -> list[Any]:
        try:
            with self._session() as session:
                return list(session.run(query, **params))
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            raise translate(exc, self.settings, doing=doing) from exc

    def verify(self) -> str:
        """Check that Neo4j answers with these credentials and has the database; returns the
        server's version. :class:`ConnectionFailed` / :class:`AuthFailed` otherwise."""
        try:
            self._driver.verify_connectivity()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            raise translate(exc, self.settings, doing="connecting") from exc
        return self.version_of_server()

    def version_of_server(self) -> str:
        if self._server is None:
            rec = self._read(
                lambda tx: tx.run(
                    "CALL dbms.components() YIELD name, versions, edition "
                    "RETURN name, versions[0] AS version, edition"
                ).single(),
                "asking for the server version",
            )
            self._server = f"{rec['name']} {rec['version']} {rec['edition']}"
        return self._server

    def describe(self) -> Text:
        """``Neo4j at neo4j://127.0.0.1:7687 (database 'neo4j')`` plus the server version once
        known. Never the password. As a string it is English (the ``source`` value of JSON
        documents and snapshots); :func:`graphcap.i18n.shown` words it for people."""
        server = f" -- {self._server}" if self._server else ""
        return lazy_join("", [lazy_gettext("Neo4j at {where}", where=where(self.settings)), server])

    def describe_text(self) -> str:
        """:meth:`describe` in the current language, for human output (``Neo4j unter
        neo4j://127.0.0.1:7687 (Datenbank 'neo4j')``)."""
        return shown(self.describe())

    # -- schema and writes ----------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the uniqueness constraints and indexes if missing (idempotent), and wait until
        they are online."""
        for statement in (*SCHEMA_STATEMENTS, *audit.EVENT_SCHEMA):
            self._auto(statement, "creating constraints and indexes")
        self._auto("CALL db.awaitIndexes(300)", "waiting for indexes")
        self._schema_done = True
        self._audit_done = True

    def ensure_audit_schema(self) -> None:
        """Constraints and indexes of the audit trail and assessments (once per store object)."""
        if self._audit_done:
            return
        for statement in audit.EVENT_SCHEMA:
            self._auto(statement, "creating the audit trail's indexes")
        self._audit_done = True

    def import_network(
        self,
        network: Network,
        *,
        batch_size: int = 10_000,
        progress: Progress | None = None,
        on_missing: str = "fail",
        replace: bool = False,
        compare_all: bool = False,
    ) -> ImportSummary:
        """Write ``network`` all-or-nothing; see :mod:`graphcap.store.importer` for the design.

        ``replace``: the network becomes the whole graph -- stakeholders, relationships and
        interactions it does not hold are deleted, in the same all-or-nothing import
        (:mod:`graphcap.store.replace`; counted as *removed*).

        ``on_missing``: ``"fail"`` (default) refuses the whole import when an edge or interaction
        refers to a stakeholder that is neither in the import nor in the graph; ``"skip"``
        leaves such rows out and counts them as *rejected*.
        ``progress(done, total)`` is called after every batch.
        Rows the graph already holds unchanged (same stored row fingerprint) are counted as
        unchanged without being sent; ``compare_all`` sends every row for the server to compare.
        """
        if on_missing not in ("fail", "skip"):
            raise ImportFailed(
                _("on_missing must be 'fail' or 'skip', got {on_missing!r}").format(
                    on_missing=on_missing
                )
            )
        plan = plan_import(network, self.schema, batch_size=batch_size)  # before any query
        if not self._schema_done:
            self.ensure_schema()
        try:
            with ExitStack() as sessions:
                session, lock_session, *writers = (
                    sessions.enter_context(self._session())
                    for _ in range(1 + max(1, importer.WRITERS))
                )
                summary = run_import(
                    session,
                    plan,
                    self.schema.labels,
                    on_missing=on_missing,
                    progress=progress,
                    lock_session=lock_session,
                    rel_types=self._rel_types(),
                    replace=replace,
                    compare_all=compare_all,
                    writers=writers,
                )
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            raise translate(exc, self.settings, doing="importing") from exc
        self.record_import(network, replace=replace)
        return summary

    def holds_data(self) -> bool:
        """Whether the database holds anything but graphcap's metadata (an offline load,
        ``graphcap import --bulk``, would replace it)."""
        return self._read(
            lambda tx: (
                tx.run("MATCH (n) WHERE NOT n:GraphcapMeta RETURN 1 LIMIT 1").single() is not None
            ),
            "checking that the database is empty",
        )

    def record_import(self, network: Network, *, replace: bool = False, bump: bool = False) -> None:
        """What every import stores with the data: the project types, the data's date, whether
        it is ego-only; with ``bump`` a new version token (an import's journal sets it at its
        commit point). Called by :meth:`import_network` and after an offline load
        (``graphcap import --bulk``)."""
        if bump:
            self._write(lambda tx: tx.run(BUMP_VERSION).consume(), "recording the import")
        as_of = data_date(network)
        # project types live with the data, so readers without graphcap.toml still see them
        self._write(lambda tx: write_stored_types(tx, self.schema), "storing the project types")
        if as_of is not None:
            self._write(
                lambda tx: tx.run(RECORD_AS_OF, as_of=as_of[0], given=as_of[1]).consume(),
                "recording the data's date",
            )
        ego = bool(network.meta.get("ego_only", False)) if network.meta else False
        self._write(
            lambda tx: tx.run(RECORD_EGO_ONLY, ego=ego, replace=replace).consume(),
            "recording whether the data is ego-only",
        )

    def _rel_types(self) -> list[str]:
        """The allow-listed relationship types, checked as identifiers (they enter query text)."""
        return sorted({self.schema.rel_type(t) for t in self.schema.relationship_types})

    def data_as_of(self) -> date | None:
        """The data's reference date recorded at import (``(:GraphcapMeta {key: 'data'})``)."""
        rows = self._auto(
            "MATCH (m:GraphcapMeta {key: 'data'}) RETURN m.as_of AS d", "reading the data's date"
        )
        value = rows[0]["d"] if rows else None
        return value.to_native() if value is not None and hasattr(value, "to_native") else value

    def recover(self) -> str | None:
        """Undo an import that was interrupted (process or server killed); returns its id, or
        None when there was nothing to undo. Imports do this by themselves first."""
        try:
            with self._session() as session, self._session() as lock_session:
                lock_tx = journal.lock(lock_session)
                try:
                    return journal.recover(
                        session.execute_write, self.schema.labels, self._rel_types()
                    )
                finally:
                    lock_tx.close()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
            raise translate(exc, self.settings, doing="recovering an interrupted import") from exc

    def pending_import(self) -> str | None:
        """The id of an interrupted import that :meth:`recover` would undo, if any."""
        rec = self._read(
            lambda tx: tx.run(
                "MATCH (s:GraphcapMeta {key: 'import', state: 'running'}) RETURN s.id AS id"
            ).single(),
            "checking for an interrupted import",
        )
        return None if rec is None else str(rec["id"])

    def clear(self) -> None:
        """Delete every stakeholder, relationship, interaction and metric record graphcap wrote,
        the audit trail and the assessments included (in batches, so it is not atomic). Changes
        :meth:`version`. Back up the audit trail first (docs/TEAM.md).

        Relationships go first, 10,000 per transaction, then the nodes: a ``DETACH DELETE`` of
        10,000 nodes deletes all their relationships in the same transaction, which ran out of
        transaction memory on a hub holding 100k relationships."""
        for statement in _CLEAR:
            self._auto(statement, "clearing the graph")
        self._write(lambda tx: tx.run(BUMP_VERSION).consume(), "clearing the graph")

    def write_metrics(
        self, nodes: pd.DataFrame, *, run: dict[str, Any], edges: pd.DataFrame | None = None
    ) -> int:
        """Store metric columns of ``nodes`` (``id`` + one column per metric) as ``m_<metric>``
        node properties, and the run (``parameters``, ``seconds``, anything else) on
        ``(:GraphcapMeta {key:'metrics'})``. Stakeholders not in ``nodes`` lose these metric
        properties, so no stale value survives. Does not change :meth:`version` (metrics are
        derived from the data, not data). Returns the number of stakeholders updated.

        ``edges`` (``source``, ``target``, ``type`` + metric columns, e.g. ``strength``) puts
        relationship metrics as ``m_<metric>`` on each (source)-[:TYPE]->(target), in the same
        transaction; the type goes through the allow-list like an import's."""
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
            return self._write_metrics_batched(nodes, metrics, edges, edge_metrics, run)
        edge_rows: dict[str, list[dict[str, Any]]] = {}
        if edges is not None and len(edges):
            for rel, part in edges.groupby("type", sort=True):
                rel_type = self.schema.rel_type(str(rel))  # SchemaError before any query
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
                for rel_type in self.schema.relationship_types:
                    tx.run(f"MATCH ()-[e:{rel_type}]->() SET e += $blank", blank=blank_e).consume()
                for rel_type, erows in edge_rows.items():
                    for start in range(0, len(erows), METRIC_BATCH):
                        _set_edge_metrics(
                            tx, rel_type=rel_type, rows=erows[start : start + METRIC_BATCH]
                        )
                meta["edge_metrics"] = edge_metrics
            _set_metrics_record(tx, meta=meta)
            return done

        return self._write(work, "writing metrics")

    def _write_metrics_batched(
        self,
        nodes: pd.DataFrame,
        metrics: list[str],
        edges: pd.DataFrame | None,
        edge_metrics: list[str],
        run: dict[str, Any],
    ) -> int:
        """:meth:`write_metrics` of a big network: a transaction per :data:`METRIC_BATCH` rows
        (one transaction for a million stakeholders and five million relationships outgrows
        the server's transaction memory, and their parameter rows at once gigabytes of the
        client's). Not atomic, so the metrics record goes first and comes back last: a write
        that stops half-way leaves no record claiming the metrics are complete. Stakeholders
        and relationships the analysis did not cover lose their metric properties (in batches
        too); when it covered all of them, every one is overwritten anyway."""
        rel_types = {}
        if edges is not None and len(edges):
            rel_types = {rel: self.schema.rel_type(str(rel)) for rel in pd.unique(edges["type"])}
        self._auto("MATCH (m:GraphcapMeta {key: 'metrics'}) DELETE m", "writing metrics")
        stored = self._auto(
            f"MATCH (n:{STAKEHOLDER_LABEL}) RETURN count(n) AS n", "writing metrics"
        )[0]["n"]
        if int(stored) != len(nodes):
            self._auto(
                f"MATCH (n:{STAKEHOLDER_LABEL}) WHERE NOT n.id IN $ids "
                f"CALL (n) {{ SET n += $blank }} IN TRANSACTIONS OF {METRIC_BATCH} ROWS",
                "writing metrics",
                ids=nodes["id"].astype(str).tolist(),
                blank={f"m_{m}": None for m in metrics},
            )
        done = 0
        for start in range(0, len(nodes), METRIC_BATCH):
            rows = _node_rows(nodes.iloc[start : start + METRIC_BATCH], metrics)
            done += self._write(partial(_set_node_metrics, rows=rows), "writing metrics")
        meta: dict[str, Any] = {}
        if edge_metrics and edges is not None:
            typed = list(dict.fromkeys(self.schema.relationship_types))
            total = self._auto(
                f"MATCH (:{STAKEHOLDER_LABEL})-[e]->(:{STAKEHOLDER_LABEL}) "
                "WHERE type(e) IN $types RETURN count(e) AS n",
                "writing metrics",
                types=typed,
            )[0]["n"]
            if int(total) != len(edges):
                for rel_type in typed:
                    self._auto(
                        f"MATCH ()-[e:{rel_type}]->() "
                        f"CALL (e) {{ SET e += $blank }} IN TRANSACTIONS OF {METRIC_BATCH} ROWS",
                        "writing metrics",
                        blank={f"m_{m}": None for m in edge_metrics},
                    )
            for rel, group in edges.groupby("type", sort=True):
                rel_type = rel_types[rel]
                for start in range(0, len(group), METRIC_BATCH):
                    rows = _edge_rows(group.iloc[start : start + METRIC_BATCH], edge_metrics)
                    self._write(
                        partial(_set_edge_metrics, rel_type=rel_type, rows=rows),
                        "writing metrics",
                    )
            meta["edge_metrics"] = edge_metrics
        meta.update(_metrics_record(metrics, run))
        self._write(partial(_set_metrics_record, meta=meta), "writing metrics")
        return done

    def metrics_run(self) -> dict[str, Any] | None:
        """The last metric write-back: metric names (``metrics``, ``edge_metrics``),
        parameters, seconds, computed_at and ``data_version`` (:meth:`version` of the data they
        were computed for)."""
        rec = self._read(
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

    # -- reads ----------------------------------------------------------------------------------

    def read_network(
        self,
        *,
        node_types: Iterable[str] | None = None,
        rel_types: Iterable[str] | None = None,
        include_metrics: bool = False,
    ) -> Network:
        """The network (or the given stakeholder types / relationship types) as canonical
        frames, sorted by key. Edges and interactions whose ends are filtered out are dropped.
        ``include_metrics`` adds the stored ``m_`` columns to the nodes frame."""
        self.load_stored_types()
        types = list(self.schema.node_types) if node_types is None else list(node_types)
        for t in types:
            self.schema.label_for(t)
        rels = (
            list(self.schema.rel_types)
            if rel_types is None
            else [self.schema.rel_type(r) for r in rel_types]
        )

        def work(tx: Any) -> tuple[Columns, Columns, Columns, dict]:
            nodes, edges, inter = read_pages(tx, types, list(dict.fromkeys(rels)))
            meta = tx.run("MATCH (m:GraphcapMeta {key: 'version'}) RETURN m.token AS t").single()
            data = tx.run(
                "MATCH (m:GraphcapMeta {key: 'data'}) RETURN m.as_of AS d, m.ego_only AS e"
            ).single()
            as_of = data["d"] if data else None
            ego_only = bool(data["e"]) if data else False
            as_of = (
                as_of.to_native() if as_of is not None and hasattr(as_of, "to_native") else as_of
            )
            return (
                nodes,
                edges,
                inter,
                {
                    "version": meta["t"] if meta else None,
                    **({"as_of": as_of} if as_of is not None else {}),
                    **({"ego_only": True} if ego_only else {}),
                },
            )

        nodes, edges, inter, meta = self._read(work, "reading the network")
        return self._frames(
            columns_to_frame(
                nodes.columns,
                nodes.length,
                required=NODE_REQUIRED,
                optional=NODE_OPTIONAL,
                drop_prefix=None if include_metrics else "m_",
            ),
            columns_to_frame(
                edges.columns, edges.length, required=EDGE_REQUIRED, optional=EDGE_OPTIONAL
            ),
            columns_to_frame(
                inter.columns,
                inter.length,
                required=INTERACTION_REQUIRED,
                optional=INTERACTION_OPTIONAL,
                drop=("key",),
            ),
            meta,
        )

    def read_network_at(self, at: datetime) -> Network:
        """The whole network as it was at ``at`` (time-zone aware), rebuilt from the audit
        trail (:mod:`graphcap.store.asof`: exact for every time since the last import, refused
        with :class:`~graphcap.store.asof.AsOfRefused` before it). Without stored metrics;
        ``meta["as_of_time"]`` is ``at``."""
        self.load_stored_types()
        rels = self._rel_types()
        types = set(self.schema.node_types)
        self.ensure_audit_schema()
        nodes, edges, inter = self._read(
            lambda tx: asof.rebuild(tx, at, rels), "rebuilding the network at a past time"
        )
        nodes = [_public(p) for p in nodes if p.get("type") in types]
        kept = {p["id"] for p in nodes}
        edges = [_public(p) for p in edges if p["source"] in kept and p["target"] in kept]
        inter = [_public(p) for p in inter if p["source"] in kept and p["target"] in kept]
        return self._frames_of(nodes, edges, inter, {"as_of_time": at}, include_metrics=False)

    def _frames_of(
        self, nodes: list, edges: list, inter: list, meta: dict, *, include_metrics: bool
    ) -> Network:
        """:meth:`_frames` of property maps (one per entity)."""
        return self._frames(
            to_frame(
                nodes,
                required=NODE_REQUIRED,
                optional=NODE_OPTIONAL,
                drop_prefix=None if include_metrics else "m_",
            ),
            to_frame(edges, required=EDGE_REQUIRED, optional=EDGE_OPTIONAL),
            to_frame(
                inter, required=INTERACTION_REQUIRED, optional=INTERACTION_OPTIONAL, drop=("key",)
            ),
            meta,
        )

    def _frames(
        self,
        node_frame: pd.DataFrame,
        edge_frame: pd.DataFrame,
        inter_frame: pd.DataFrame,
        meta: dict,
    ) -> Network:
        node_frame = node_frame.sort_values("id", kind="stable", ignore_index=True)
        edge_frame = edge_frame.sort_values(list(EDGE_REQUIRED), kind="stable", ignore_index=True)
        inter_frame = inter_frame.sort_values(
            [*INTERACTION_REQUIRED, *INTERACTION_OPTIONAL], kind="stable", ignore_index=True
        )
        meta.update(source=self.describe())
        return Network(nodes=node_frame, edges=edge_frame, interactions=inter_frame, meta=meta)

    def counts(self) -> dict[str, dict[str, int]]:
        """``{"nodes": {type: n}, "edges": {TYPE: n}, "interactions": {"total": n}}`` for every
        allow-listed type, without retired items (what :meth:`read_network` returns).

        A graph nobody has edited is counted from Neo4j's count store (cheap on any size); once
        the audit trail holds an event, an item may be retired and the counts filter (a scan of
        each label and type)."""
        self.load_stored_types()
        labels = list(self.schema.node_types.items())
        rels = list(self.schema.rel_types)

        def work(tx: Any) -> dict[str, dict[str, int]]:
            out: dict[str, dict[str, int]] = {"nodes": {}, "edges": {}, "interactions": {}}
            edited = tx.run("MATCH (e:GraphcapEvent) RETURN count(e) AS c").single()["c"] > 0
            live = "WHERE n.__gc_retired_at IS NULL " if edited else ""
            for name, label in labels:
                out["nodes"][name] = tx.run(
                    f"MATCH (n:{label}) {live}RETURN count(n) AS c"
                ).single()["c"]
            ends, active = ("()", "()"), ""
            if edited:
                ends = (f"(a:{STAKEHOLDER_LABEL})", f"(b:{STAKEHOLDER_LABEL})")
                active = f"WHERE {_ACTIVE} "
            for r in rels:
                out["edges"][r] = tx.run(
                    f"MATCH {ends[0]}-[r:{r}]->{ends[1]} {active}RETURN count(r) AS c"
                ).single()["c"]
            out["interactions"]["total"] = tx.run(
                f"MATCH (a:{STAKEHOLDER_LABEL})<-[:FROM]-(r:Interaction)-[:TO]->"
                f"(b:{STAKEHOLDER_LABEL}) WHERE {_ACTIVE} RETURN count(r) AS c"
                if edited
                else "MATCH (i:Interaction) RETURN count(i) AS c"
            ).single()["c"]
            return out

        return self._read(work, "counting")

    def stakeholder_ids(self) -> set[str]:
        """The ids of every stakeholder in the graph (for an import onto it)."""
        return set(
            self._read(
                lambda tx: [
                    r["id"] for r in tx.run(f"MATCH (n:{STAKEHOLDER_LABEL}) RETURN n.id AS id")
                ],
                "reading the stakeholder ids",
            )
        )

    def load_stored_types(self) -> Schema:
        """Extend :attr:`schema` by the project types stored with the data (once per store)."""
        if not self._types_read:
            stored = self._read(read_stored_types, "reading the project types")
            self.schema = extended_by_stored(self.schema, stored)
            self._types_read = True
        return self.schema

    def version(self) -> str:
        """A token that changes whenever an import or clear changes the data: the random token
        of ``(:GraphcapMeta {key:'version'})`` plus the node and relationship totals (which also
        catch writes made outside graphcap that add or delete)."""
        return self._read(_version_in, "reading the data version")


#: a relationship and both its ends are not retired (graphcap.store.edits)
_ACTIVE = "r.__gc_retired_at IS NULL AND a.__gc_retired_at IS NULL AND b.__gc_retired_at IS NULL"


_CLEARED = (
    "(n:Stakeholder OR n:Interaction OR n:GraphcapUndo OR n:GraphcapEvent OR n:Assessment "
    "OR n:GraphcapImportRun OR n:GraphcapImportTrail "
    "OR (n:GraphcapMeta AND n.key <> 'version'))"
)
_CLEAR = (
    # outgoing first, then what still comes in (from nodes graphcap does not clear): each
    # relationship is matched once, so no batch deletes one a batch before it deleted
    f"MATCH (n)-[r]->() WHERE {_CLEARED} CALL (r) {{ DELETE r }} IN TRANSACTIONS OF 10000 ROWS",
    f"MATCH (n)<-[r]-() WHERE {_CLEARED} CALL (r) {{ DELETE r }} IN TRANSACTIONS OF 10000 ROWS",
    f"MATCH (n) WHERE {_CLEARED} CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 10000 ROWS",
)


def _public(props: dict[str, Any]) -> dict[str, Any]:
    """Properties without graphcap's bookkeeping (``__gc_version``, ``__gc_retired_at``)."""
    return {k: v for k, v in props.items() if not k.startswith("__gc_")}


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
