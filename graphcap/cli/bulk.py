"""``graphcap import --bulk``: the first load of an empty local database by Neo4j's offline
importer (``neo4j-admin database import full``).

The network is checked and written as the importer's files first
(:func:`graphcap.store.bulk.write_bulk_files`: the same checks, labels, values and row
fingerprints as a normal import); only then is the server touched: it must be the local one
(``graphcap neo4j start``, not ``NEO4J_URI``) and its database must hold nothing but graphcap's
metadata. The server is stopped, the importer creates the database, the server is started
again, graphcap's constraints are created (their indexes populated) and the import's metadata
recorded (:meth:`~graphcap.store.Neo4jStore.record_import`). If the importer fails the server
is started again on what is left, which was an empty database.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from graphcap.errors import ImportFailed
from graphcap.i18n import gettext as _
from graphcap.i18n import shown
from graphcap.localdb import LocalNeo4j
from graphcap.model import Network, Schema
from graphcap.store import Neo4jStore
from graphcap.store.bulk import write_bulk_files
from graphcap.store.importer import ImportSummary

__all__ = ["bulk_load"]


def bulk_load(
    server: LocalNeo4j, network: Network, schema: Schema, *, work: Path | None = None
) -> tuple[ImportSummary, str]:
    """Load ``network`` into the empty database of the local ``server``; returns what was
    created and where. Raises :class:`ImportFailed` (nothing changed) when the network would be
    refused, cannot be expressed for the offline importer, or the database is not empty."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="graphcap-bulk-", dir=work) as tmp:
        files = write_bulk_files(network, schema, Path(tmp))
        server.start(timeout_s=600)
        with Neo4jStore(server.settings, schema=schema) as store:
            store.verify()
            where = store.describe()
            if store.holds_data():
                raise ImportFailed(
                    _(
                        "--bulk loads an empty database only, and {where} holds data; use the "
                        "normal import (without --bulk). Nothing was imported."
                    ).format(where=shown(where))
                )
        server.stop()
        try:
            server.import_offline(files["nodes"], files["edges"])
        finally:
            server.start(timeout_s=600)
    with Neo4jStore(server.settings, schema=schema) as store:
        store.ensure_schema()  # constraint creation waits for its index to be populated
        store.record_import(network, bump=True)
    summary = ImportSummary()
    summary.nodes.created = files["counts"]["nodes"]
    summary.edges.created = files["counts"]["edges"]
    summary.seconds = time.perf_counter() - started
    return summary, where
