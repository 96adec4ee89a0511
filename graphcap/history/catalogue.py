"""Snapshots over time: the catalogue (create, list, open), the diff of two, and trend series.

Where snapshots are kept (docs/SNAPSHOTS.md)
--------------------------------------------
As ``.gcap`` files (:mod:`graphcap.snapshot`: a zip of ``manifest.json`` + parquet frames) in one
folder, by default ``<data dir>/snapshots`` (``GRAPHCAP_DATA_DIR``), or any folder the user
chooses (``--folder``). The catalogue is the folder: listing reads each file's manifest (a few KB,
not the frames), so snapshots can be copied, mailed, archived or deleted like any file, and the
embedded default source (:class:`graphcap.snapshot.SnapshotSource`) opens any of them read-only.

What a snapshot holds
---------------------
The network (or the filtered view of it) and, as extra frames, its metrics: ``node_metrics``
(per stakeholder), ``edge_metrics`` (per relationship, the derived strength), ``risks``,
``rci_dimensions`` and ``rci_by_type``. Its meta records the provenance: ``snapshot_name``,
``created``, ``source`` (what it was read from), ``source_hash`` (sha256 of the network's frames:
the same data gives the same hash), ``filters``, ``graphcap_version``, ``metric_settings``,
``as_of`` (the date the figures are computed for), ``data_as_of`` (the data's own date) and the
``rci`` score; whether the data is declared ego-only stays in the network's meta (``ego_only``).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from graphcap.analysis import analyze
from graphcap.config.connection import data_dir
from graphcap.errors import ExportError, GraphcapError
from graphcap.files import safe_filename
from graphcap.graph.projection import NetworkFilter, apply_filter
from graphcap.history.diff import (
    DEFAULT_STRENGTH_THRESHOLD,
    SnapshotContent,
    SnapshotDiff,
    diff_contents,
)
from graphcap.history.stored import (
    METRIC_FRAMES,
    StoredAnalysis,
    filter_description,
    metric_frames,
    metric_settings,
    plain_mapping,
    stored_analysis,
)
from graphcap.i18n import format_number
from graphcap.i18n import gettext as _
from graphcap.model import Network, data_reference_date
from graphcap.model.hashing import network_hash
from graphcap.snapshot import SUFFIX, read_manifest, read_snapshot_frames, write_snapshot
from graphcap.snapshot.codec import decode_value
from graphcap.version import __version__

__all__ = [
    "SnapshotInfo",
    "StoredAnalysis",
    "create_snapshot",
    "diff_snapshots",
    "filter_description",
    "find_snapshot",
    "list_snapshots",
    "load_content",
    "metric_frames",
    "network_hash",
    "previous_snapshot",
    "snapshot_before_replace",
    "snapshots_dir",
    "stored_analysis",
    "trend_from_interactions",
    "trend_from_snapshots",
]

TREND_COLUMNS = ["created", "name", "rci", "type", "strength"]


def snapshots_dir(folder: str | os.PathLike[str] | None = None) -> Path:
    """The snapshot folder: ``folder`` if given, else ``<data dir>/snapshots``."""
    if folder is not None:
        return Path(folder).expanduser()

    return data_dir() / "snapshots"


@dataclass(frozen=True)
class SnapshotInfo:
    """One catalogue entry, from the manifest only. ``problem`` is set for an unreadable file."""

    path: Path
    name: str
    created: str
    counts: Mapping[str, Any] = field(default_factory=dict)
    rci: float | None = None
    filters: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""
    source_hash: str = ""
    problem: str | None = None

    def label(self) -> str:
        """``Q4 (2026-12-01 04:22, 82 stakeholders, 255 relationships, RCI 35.4)`` in the
        current language."""
        c = self.counts
        rci = (
            _(", RCI {rci}").format(rci=format_number(self.rci, decimals=1))
            if self.rci is not None
            else ""
        )
        return _("{name} ({created}, {nodes} stakeholders, {edges} relationships{rci})").format(
            name=self.name,
            created=self.created[:16].replace("T", " "),
            nodes=c.get("nodes", "?"),
            edges=c.get("edges", "?"),
            rci=rci,
        )


def create_snapshot(
    network: Network,
    *,
    name: str | None = None,
    folder: str | os.PathLike[str] | None = None,
    filters: Mapping[str, Any] | None = None,
    source: str = "",
    analysis: Any = None,
    config: Any = None,
    as_of: Any = None,
) -> SnapshotInfo:
    """Freeze ``network`` and its metrics with provenance into a new file in the snapshot folder.

    ``analysis`` is a :class:`graphcap.analysis.Analysis` of exactly this network; without it the
    metrics are computed here (``config``, ``as_of`` passed on). ``filters`` describes the view
    (a :class:`~graphcap.graph.projection.NetworkFilter` or a mapping such as
    ``{"node_types": ["customer"]}``; default: the filter recorded in ``network.meta`` by
    :func:`~graphcap.graph.projection.apply_filter`), ``source`` what the data came from.
    """
    created = datetime.now(UTC)
    name = (name or f"Snapshot {created:%Y-%m-%d %H:%M}").strip()
    if analysis is None:
        kwargs = {k: v for k, v in (("config", config), ("as_of", as_of)) if v is not None}
        analysis = analyze(network, **kwargs)
    frames, score = metric_frames(analysis)
    meta = {
        "snapshot_name": name,
        "created": created.isoformat(timespec="seconds"),
        "source": source,
        "source_hash": network_hash(network),
        "filters": filter_description(
            filters if filters is not None else network.meta.get("filter")
        ),
        "graphcap_version": __version__,
        "metric_settings": metric_settings(analysis, config),
        "concentration": plain_mapping(getattr(analysis, "concentration", None)),
        "rci": score,
    }
    # ``as_of``: the date the stored figures are computed for, which a reopened snapshot's
    # analyses default to (so they reproduce the stored figures); ``data_as_of``: the data's
    # own date (recorded at import, else its latest interaction or contact), kept even when
    # the figures were computed for another date; ``ego_only`` travels in the network's meta.
    data_as_of = network.meta.get("as_of") or data_reference_date(network)
    figures_as_of = as_of or (getattr(analysis, "params", None) or {}).get("as_of") or data_as_of
    for key, value in (("as_of", figures_as_of), ("data_as_of", data_as_of)):
        if value is not None and str(value) != "":
            meta[key] = pd.Timestamp(value).date().isoformat()
    base = snapshots_dir(folder)
    stem = f"{created:%Y%m%dT%H%M%S}_{safe_filename(name).replace(' ', '-')}"[:120]
    path = base / f"{stem}{SUFFIX}"
    n = 1
    while path.exists():
        n += 1
        path = base / f"{stem}-{n}{SUFFIX}"
    # the view's own meta may hold objects (e.g. the NetworkFilter): keep plain data only
    plain = plain_mapping({k: v for k, v in network.meta.items() if k != "filter"})
    stored = Network(
        nodes=network.nodes, edges=network.edges, interactions=network.interactions, meta=plain
    )
    write_snapshot(stored, path, meta=meta, extra_frames=frames)
    return _info(path)


def snapshot_before_replace(
    store: Any, *, what: str, folder: str | os.PathLike[str] | None = None
) -> SnapshotInfo:
    """Freeze the graph ``store`` holds before a replace by ``what`` (a file name): the one
    step ``graphcap import --replace`` and the Import page's replace take before
    ``store.import_network(network, replace=True)``. The stored types are loaded first, so a
    failed replace can put back every type the graph holds."""
    store.load_stored_types()
    return create_snapshot(
        store.read_network(),
        name=_("Before replace by {name}").format(name=what),
        source=store.describe(),
        folder=folder,
    )


def _info(path: Path) -> SnapshotInfo:
    try:
        manifest = read_manifest(path)
    except GraphcapError as exc:
        return SnapshotInfo(path=path, name=path.stem, created="", problem=str(exc))
    meta = manifest.get("meta") or {}
    rci = meta.get("rci")
    return SnapshotInfo(
        path=path,
        name=str(meta.get("snapshot_name") or path.stem),
        created=str(meta.get("created") or manifest.get("created") or ""),
        counts=manifest.get("counts") or {},
        rci=float(rci) if isinstance(rci, int | float) else None,
        filters=filters if isinstance(filters := meta.get("filters"), dict) else {},
        source=str(meta.get("source") or ""),
        source_hash=str(meta.get("source_hash") or ""),
    )


def list_snapshots(folder: str | os.PathLike[str] | None = None) -> list[SnapshotInfo]:
    """Every snapshot in the folder, oldest first; unreadable files are listed with ``problem``."""
    base = snapshots_dir(folder)
    if not base.is_dir():
        return []
    infos = [_info(p) for p in base.glob(f"*{SUFFIX}") if p.is_file()]
    return sorted(infos, key=lambda i: (i.created, i.path.name))


def find_snapshot(
    ref: str | os.PathLike[str], folder: str | os.PathLike[str] | None = None
) -> SnapshotInfo:
    """A snapshot by path, by file name in the folder, or by name (the newest of that name)."""
    candidate = Path(ref)
    if candidate.suffix == SUFFIX and candidate.is_file():
        info = _info(candidate)
    else:
        infos = [i for i in list_snapshots(folder) if i.problem is None]
        by_name = [i for i in infos if ref in (i.name, i.path.name, i.path.stem)]
        if not by_name:
            names = [i.name for i in infos]
            close = difflib.get_close_matches(str(ref), names, n=3)
            hint = (
                _("; did you mean {names}?").format(names=", ".join(map(repr, close)))
                if close
                else (
                    _("; there are: {names}").format(names=", ".join(map(repr, names[-10:])))
                    if names
                    else _("; {folder} holds none (create one: graphcap snapshot create)").format(
                        folder=snapshots_dir(folder)
                    )
                )
            )
            raise ExportError(_("no snapshot named {ref!r}{hint}").format(ref=str(ref), hint=hint))
        info = by_name[-1]
    if info.problem:
        raise ExportError(info.problem)
    return info


def previous_snapshot(
    info: SnapshotInfo, folder: str | os.PathLike[str] | None = None
) -> SnapshotInfo | None:
    """The newest readable snapshot created before ``info`` in the same folder, if any."""
    older = [
        i
        for i in list_snapshots(folder if folder is not None else info.path.parent)
        if i.problem is None and (i.created, i.path.name) < (info.created, info.path.name)
    ]
    return older[-1] if older else None


def load_content(info: SnapshotInfo | str | os.PathLike[str]) -> SnapshotContent:
    """The network and stored metrics of a snapshot, ready for :func:`diff_snapshots`."""
    if not isinstance(info, SnapshotInfo):
        info = find_snapshot(info)
    frames = read_snapshot_frames(info.path)
    names = [n for n in METRIC_FRAMES if n in frames]
    net = Network(
        nodes=frames["nodes"],
        edges=frames["edges"],
        interactions=frames["interactions"],
        meta=dict(_meta_of(info.path)),
    )
    known = ("node_metrics", "edge_metrics", "rci_dimensions", "rci_by_type")
    return SnapshotContent(
        name=info.name,
        created=info.created,
        network=net,
        rci=info.rci,
        meta=net.meta,
        frames={n: frames[n] for n in names},
        **{n: frames[n] for n in names if n in known},
    )


def _meta_of(path: Path) -> Mapping[str, Any]:

    meta = decode_value(read_manifest(path).get("meta") or {})
    return meta if isinstance(meta, dict) else {}


def diff_snapshots(
    before: SnapshotInfo | SnapshotContent | str,
    after: SnapshotInfo | SnapshotContent | str,
    *,
    strength_threshold: float = DEFAULT_STRENGTH_THRESHOLD,
) -> SnapshotDiff:
    """What changed from ``before`` to ``after`` (see :mod:`graphcap.history.diff`)."""
    a = before if isinstance(before, SnapshotContent) else load_content(before)
    b = after if isinstance(after, SnapshotContent) else load_content(after)
    return diff_contents(a, b, strength_threshold=strength_threshold)


def trend_from_snapshots(infos: Iterable[SnapshotInfo]) -> pd.DataFrame:
    """One row per snapshot and stakeholder type: ``created name rci type strength`` where
    ``strength`` is the value-weighted tie strength of that type (``type`` ``all`` = overall)."""
    rows = []
    for info in infos:
        if info.problem:
            continue
        frames = read_snapshot_frames(
            info.path, [n for n in ("rci_dimensions", "rci_by_type") if _has_frame(info, n)]
        )
        when = pd.Timestamp(info.created) if info.created else pd.NaT
        rows += _trend_rows(when, info.name, info.rci, frames)
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


def _trend_rows(
    when: Any, label: str, score: float | None, frames: Mapping[str, pd.DataFrame]
) -> list[tuple]:
    dims = frames.get("rci_dimensions")
    overall = None
    if dims is not None and {"dimension", "value"} <= set(dims.columns):
        hit = dims.loc[dims["dimension"] == "strength", "value"]
        overall = float(hit.iloc[0]) if len(hit) and pd.notna(hit.iloc[0]) else None
    rows = [(when, label, score, "all", overall)]
    by_type = frames.get("rci_by_type")
    if by_type is not None and "strength" in by_type.columns:
        rows += [
            (when, label, score, str(t), float(s))
            for t, s in zip(by_type["type"], by_type["strength"], strict=True)
            if pd.notna(s)
        ]
    return rows


def _has_frame(info: SnapshotInfo, name: str) -> bool:
    return f"{name}.parquet" in read_manifest(info.path).get("members", {})


def trend_from_interactions(
    network: Network, *, periods: int = 6, freq: str = "QE", config: Any = None
) -> pd.DataFrame:
    """RCI and value-weighted strength at the end of each of the last ``periods`` periods of the
    interaction log (``freq``: pandas offset, quarter ends by default): the network as it stood
    then (:class:`graphcap.graph.projection.NetworkFilter` ``end``), analysed ``as_of`` that date.
    Same columns as :func:`trend_from_snapshots`."""

    log = network.interactions
    if log.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    dates = pd.to_datetime(log["date"])
    ends = pd.date_range(
        dates.min(), dates.max() + pd.tseries.frequencies.to_offset(freq), freq=freq
    )[-periods:]
    rows = []
    for end in ends:
        view = apply_filter(network, NetworkFilter(end=end))
        if view.nodes.empty:
            continue
        kwargs = {"config": config} if config is not None else {}
        analysis = analyze(view, as_of=end, **kwargs)
        frames, score = metric_frames(analysis)
        rows += _trend_rows(end, f"{end:%Y-%m-%d}", score, frames)
    return pd.DataFrame(rows, columns=TREND_COLUMNS)
