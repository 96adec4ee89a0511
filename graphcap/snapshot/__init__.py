"""Snapshot files (``.gcap``) and the embedded snapshot source.

A snapshot is the whole network frozen in one file, so the app, the CLI and fast tests run
without a database, and a report author can keep exactly what a report was made from.

File format (``format_version`` 1): a zip archive holding

``manifest.json``
    ``format`` (``"graphcap-snapshot"``), ``format_version``, ``graphcap_version``, ``created``
    (UTC, ISO 8601), ``counts`` (nodes, edges, interactions, and by type), ``meta`` (the network's
    meta merged with the provenance given when writing), ``content_hash`` (sha256 over the frame
    members and the meta: the same data gives the same hash whenever it was written) and
    ``members``: per frame member its ``sha256``, ``bytes``, ``rows`` and the exact pandas dtype
    of every column; ``frames``: the frame names in the order they were written.
``nodes.parquet``, ``edges.parquet``, ``interactions.parquet``
    the three frames of :class:`graphcap.model.Network` (Apache Parquet, written by pyarrow).
``<name>.parquet``
    any extra named frames (e.g. ``metrics.parquet``), read with :func:`read_snapshot_frames`.

Reading checks everything before trusting it: that the file is a zip, the manifest and its
format version, member names (no paths, no zip-slip), declared sizes and compression ratios
(no decompression bombs), each member's sha256. Any failure is an :class:`ExportError` that names
the file and says what is wrong. Column dtypes survive exactly (see :mod:`graphcap.snapshot.codec`).
"""

from graphcap.snapshot.archive import (
    FORMAT,
    FORMAT_VERSION,
    SUFFIX,
    read_manifest,
    read_snapshot,
    read_snapshot_frames,
    write_snapshot,
)
from graphcap.snapshot.source import SnapshotSource, default_snapshot_path, ensure_sample_snapshot

#: Deprecated name of :class:`SnapshotSource` (the Neo4j store is the only "store").
SnapshotStore = SnapshotSource

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "SUFFIX",
    "SnapshotSource",
    "SnapshotStore",
    "default_snapshot_path",
    "ensure_sample_snapshot",
    "read_manifest",
    "read_snapshot",
    "read_snapshot_frames",
    "write_snapshot",
]
