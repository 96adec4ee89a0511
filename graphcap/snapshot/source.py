"""The embedded snapshot source: a :class:`graphcap.source.GraphSource` over a ``.gcap`` file,
and the default snapshot the app opens when no Neo4j is connected."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from graphcap.config.connection import data_dir
from graphcap.errors import ExportError
from graphcap.i18n import Num, Text, lazy_gettext, shown
from graphcap.i18n import gettext as _
from graphcap.model import Network
from graphcap.model.schema import DEFAULT_SCHEMA, Schema
from graphcap.sample import generate_sample
from graphcap.snapshot.archive import (
    SUFFIX,
    read_manifest,
    read_snapshot,
    read_snapshot_frames,
    write_snapshot,
)

__all__ = ["SnapshotSource", "default_snapshot_path", "ensure_sample_snapshot"]


# -- the embedded store -------------------------------------------------------------------------


class SnapshotSource:
    """A :class:`graphcap.source.GraphSource` reading a snapshot file: the database-free default.

    The file is read once and kept while its size and modification time stay the same.
    ``version()`` is the snapshot's content hash, so caches keyed on it survive re-writing the
    same data and change when the data changes.
    """

    kind = "snapshot"

    def __init__(self, path: str | os.PathLike[str], *, schema: Schema = DEFAULT_SCHEMA) -> None:
        self.path = Path(path)
        self.schema = schema
        self._stamp: tuple[int, int] | None = None
        self._manifest: dict[str, Any] | None = None
        self._network: Network | None = None

    def _fresh(self) -> None:
        try:
            st = self.path.stat()
        except OSError as exc:
            raise ExportError(_("snapshot {path} does not exist").format(path=self.path)) from exc
        stamp = (st.st_size, st.st_mtime_ns)
        if stamp != self._stamp:
            self._manifest = read_manifest(self.path)
            self._network = None
            self._stamp = stamp

    def manifest(self) -> dict[str, Any]:
        self._fresh()
        assert self._manifest is not None
        return self._manifest

    def describe(self) -> Text:
        """``snapshot PATH (N stakeholders, ...; created ...)``. As a string it is English (the
        ``source`` value of exports); :func:`graphcap.i18n.shown` words it for people."""
        m = self.manifest()
        c = m["counts"]
        return lazy_gettext(
            "snapshot {path} ({nodes} stakeholders, {edges} relationships, {interactions} "
            "interactions; created {created})",
            path=str(self.path),
            nodes=Num(c["nodes"], "d"),
            edges=Num(c["edges"], "d"),
            interactions=Num(c["interactions"], "d"),
            created=m.get("created", "?"),
        )

    def describe_text(self) -> str:
        """:meth:`describe` in the current language, for people."""
        return shown(self.describe())

    def _load(self) -> Network:
        self._fresh()
        if self._network is None:
            self._network = read_snapshot(self.path)
        return self._network

    def read_network(
        self,
        *,
        node_types: Iterable[str] | None = None,
        rel_types: Iterable[str] | None = None,
    ) -> Network:
        """The network, or only the given stakeholder types and relationship types (checked
        against the schema as :class:`~graphcap.store.Neo4jStore` does: an unknown type is a
        :class:`~graphcap.errors.SchemaError`); edges and interactions whose ends are filtered
        out are dropped."""
        if node_types is not None:
            node_types = list(node_types)
            for t in node_types:
                self.schema.label_for(t)
        if rel_types is not None:
            rel_types = [self.schema.rel_type(r) for r in rel_types]
        net = self._load()
        nodes, edges, inter = net.nodes, net.edges, net.interactions
        if node_types is not None:
            nodes = nodes[nodes["type"].isin(node_types)]
        if rel_types is not None:
            edges = edges[edges["type"].isin(rel_types)]
        if node_types is not None:
            ids = nodes["id"]
            edges = edges[edges["source"].isin(ids) & edges["target"].isin(ids)]
            inter = inter[inter["source"].isin(ids) & inter["target"].isin(ids)]
        return Network(
            nodes=nodes.reset_index(drop=True).copy(),
            edges=edges.reset_index(drop=True).copy(),
            interactions=inter.reset_index(drop=True).copy(),
            meta=dict(net.meta),
        )

    def counts(self) -> dict[str, dict[str, int]]:
        c = self.manifest()["counts"]
        return {
            "nodes": dict(c["nodes_by_type"]),
            "edges": dict(c["edges_by_type"]),
            "interactions": {"total": int(c["interactions"])},
        }

    def version(self) -> str:
        return str(self.manifest()["content_hash"])

    def frames(self, names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
        """Extra frames stored with the snapshot (e.g. ``metrics``)."""
        return read_snapshot_frames(self.path, names)


# -- the default snapshot -----------------------------------------------------------------------


def default_snapshot_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the app finds its snapshot without Neo4j: ``GRAPHCAP_SNAPSHOT`` or
    ``<data dir>/sample.gcap``."""

    env = os.environ if env is None else env
    explicit = env.get("GRAPHCAP_SNAPSHOT")
    if explicit:
        return Path(explicit).expanduser()
    return data_dir() / f"sample{SUFFIX}"


def ensure_sample_snapshot(path: str | os.PathLike[str] | None = None) -> Path:
    """The default snapshot path, with the default sample network written there if missing.

    A file the user chose (``path`` or ``GRAPHCAP_SNAPSHOT``) is never overwritten. graphcap's
    own ``<data dir>/sample.gcap`` is written again when it cannot be read (damaged, or left by
    a graphcap with another snapshot format version).
    """
    chosen = path is not None or bool(os.environ.get("GRAPHCAP_SNAPSHOT"))
    target = Path(path) if path is not None else default_snapshot_path()
    if target.exists():
        if chosen:
            return target
        try:
            read_manifest(target)
            return target
        except ExportError:
            pass  # our own sample, unreadable: write it again

    write_snapshot(generate_sample(), target, meta={"source": "graphcap sample (default)"})
    return target
