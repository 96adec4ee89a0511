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
from typing import Any

from graphcap.errors import ImportFailed
from graphcap.i18n import gettext as _
from graphcap.i18n import shown
from graphcap.localdb.server import LocalNeo4j
from graphcap.model import Network
from graphcap.model.schema import Schema
from graphcap.store import Neo4jStore
from graphcap.store.bulk import BulkFiles, BulkWriter, write_bulk_files
from graphcap.store.import_summary import ImportSummary
from loaders.csv_files import CsvLoader
from loaders.raw import LoadResult
from loaders.stream import StreamedCsv

__all__ = ["bulk_load", "validate_streamed"]


def validate_streamed(
    loader: CsvLoader, schema: Schema, folder: Path | None
) -> tuple[LoadResult, BulkFiles | None, dict[str, int]]:
    """Validate ``loader``'s CSV input part by part (:mod:`loaders.stream`) and, with a
    ``folder``, write the offline importer's files into it while reading (the stakeholders
    first, then each part of the relationships). Memory is bounded by a part and the
    stakeholders, not by the relationships. Returns the result (its network: the stakeholders
    and the relationship with the latest contact, which the data's date comes from), the files
    and the counts. Raises :class:`~graphcap.errors.ValidationError` with the normal loader's
    problems, or :class:`ImportFailed`; Neo4j is not touched here."""
    stream = StreamedCsv(loader)
    writer = BulkWriter(schema, folder) if folder is not None else None
    written: list[bool] = []

    def on_edges(frame: Any) -> None:
        if writer is None:
            return
        if not written:  # the stakeholders are valid and complete before the first part
            writer.nodes(stream.nodes_network())
            written.append(True)
        writer.edges(frame)

    try:
        found = stream.validate(on_edges)
    finally:
        if writer is not None:
            writer.close()
    files = None
    if writer is not None:
        if not written:
            writer.nodes(found.network())
        files = writer.finish()
    result = LoadResult(network=found.network(), problems=found.problems, source=found.source)
    return result, files, found.counts


def bulk_load(
    server: LocalNeo4j,
    network: Network,
    schema: Schema,
    *,
    work: Path | None = None,
    files: BulkFiles | None = None,
) -> tuple[ImportSummary, str]:
    """Load ``network`` into the empty database of the local ``server``; returns what was
    created and where. Raises :class:`ImportFailed` (nothing changed) when the network would be
    refused, cannot be expressed for the offline importer, or the database is not empty.
    ``files``: written already (:func:`validate_streamed`; ``network`` is then what recording
    the import needs)."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="graphcap-bulk-", dir=work) as tmp:
        if files is None:
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
