"""graphcap's Neo4j I/O -- the only package that imports ``neo4j``.

- :class:`Neo4jStore`: connect and verify, constraints and indexes, the atomic idempotent
  import (:mod:`graphcap.store.importer`), reads as canonical frames, counts, data version
  (:mod:`graphcap.store.network_reads`), metric write-back (:mod:`graphcap.store.metric_writeback`).
- :mod:`graphcap.store.connection`: driver errors -> :class:`~graphcap.errors.ConnectionFailed`,
  :class:`~graphcap.errors.AuthFailed`, :class:`~graphcap.errors.StoreError`.
- :mod:`graphcap.store.readonly`: execution of analyst Cypher (the console).
"""

from graphcap.store.import_summary import ImportSummary
from graphcap.store.neo4j_store import Neo4jStore

__all__ = ["ImportSummary", "Neo4jStore"]
