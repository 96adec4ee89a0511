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

from collections.abc import Callable, Iterable
from contextlib import ExitStack
from datetime import date, datetime
from typing import Any, TypeVar

import pandas as pd
from neo4j import exceptions as neo4j_errors

from graphcap.config.connection import Neo4jSettings
from graphcap.errors import ImportFailed
from graphcap.i18n import Text, lazy_gettext, lazy_join, shown
from graphcap.i18n import gettext as _
from graphcap.model import Network
from graphcap.model.schema import DEFAULT_SCHEMA, STAKEHOLDER_LABEL, Schema
from graphcap.store import (
    audit,
    import_history,
    importer,
    journal,
    metric_writeback,
    network_reads,
)
from graphcap.store.connection import open_driver, translate, where
from graphcap.store.import_plan import plan_import
from graphcap.store.import_queries import (
    BUMP_VERSION,
    RECORD_AS_OF,
    RECORD_EGO_ONLY,
    data_date,
)
from graphcap.store.import_summary import ImportSummary
from graphcap.store.importer import Progress, run_import
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
        return metric_writeback.write_metrics(self, nodes, run=run, edges=edges)

    def metrics_run(self) -> dict[str, Any] | None:
        """The last metric write-back: metric names (``metrics``, ``edge_metrics``),
        parameters, seconds, computed_at and ``data_version`` (:meth:`version` of the data they
        were computed for)."""
        return metric_writeback.metrics_run(self)

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
        return network_reads.read_network(
            self,
            node_types=node_types,
            rel_types=rel_types,
            include_metrics=include_metrics,
        )

    def read_network_at(self, at: datetime) -> Network:
        """The whole network as it was at ``at`` (time-zone aware), rebuilt from the audit
        trail (:mod:`graphcap.store.asof`: exact for every time since the last import, refused
        with :class:`~graphcap.store.asof.AsOfRefused` before it). Without stored metrics;
        ``meta["as_of_time"]`` is ``at``."""
        return network_reads.read_network_at(self, at)

    def counts(self) -> dict[str, dict[str, int]]:
        """``{"nodes": {type: n}, "edges": {TYPE: n}, "interactions": {"total": n}}`` for every
        allow-listed type, without retired items (what :meth:`read_network` returns).

        A graph nobody has edited is counted from Neo4j's count store (cheap on any size); once
        the audit trail holds an event, an item may be retired and the counts filter (a scan of
        each label and type)."""
        return network_reads.counts(self)

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
        return self._read(network_reads._version_in, "reading the data version")


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
