"""The ``.gcap`` file: writing it atomically, reading it back with every check.

See :mod:`graphcap.snapshot` for the format.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _pkg_version
from pathlib import Path
from typing import Any

import pandas as pd

from graphcap.errors import ExportError, GraphcapError
from graphcap.files import write_atomic
from graphcap.i18n import gettext as _
from graphcap.model import Network
from graphcap.snapshot.codec import decode_frame, decode_value, encode_frame, encode_value

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "SUFFIX",
    "read_manifest",
    "read_snapshot",
    "read_snapshot_frames",
    "write_snapshot",
]

FORMAT = "graphcap-snapshot"
FORMAT_VERSION = 1
SUFFIX = ".gcap"
MANIFEST = "manifest.json"
CORE_FRAMES = ("nodes", "edges", "interactions")

#: Largest uncompressed member a reader accepts (bytes); a bigger one is refused unread.
MAX_MEMBER_BYTES = 2 * 1024**3
#: Members bigger than ``RATIO_CHECK_BYTES`` may not expand more than this (zip bombs).
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_BYTES = 16 * 1024**2
MAX_MANIFEST_BYTES = 16 * 1024**2

_FRAME_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def _graphcap_version() -> str:
    try:
        return _pkg_version("graphcap")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


# -- writing ------------------------------------------------------------------------------------


def write_snapshot(
    network: Network,
    path: str | os.PathLike[str],
    *,
    meta: Mapping[str, Any] | None = None,
    extra_frames: Mapping[str, pd.DataFrame] | None = None,
) -> Path:
    """Write ``network`` (and any ``extra_frames``) to the snapshot file ``path``.

    ``meta`` (provenance: source, user, note, ...) is merged over ``network.meta``. Values may be
    JSON types, dates, datetimes and timestamps; they come back as the same types. The write is
    atomic: a temporary file next to ``path`` is renamed over it only when complete, so a reader
    never sees half a snapshot and a failed write leaves an older snapshot as it was.
    """
    target = Path(path)
    extras = dict(extra_frames or {})
    for name in extras:
        if not isinstance(name, str) or not _FRAME_NAME_RE.match(name) or name in CORE_FRAMES:
            raise ExportError(
                _(
                    "cannot write snapshot {target}: extra frame name {name!r} is not allowed; use lower-case ASCII letters, digits and '_' and none of nodes/edges/interactions"
                ).format(target=target, name=name)
            )
    frames = {
        "nodes": network.nodes,
        "edges": network.edges,
        "interactions": network.interactions,
        **extras,
    }
    merged_meta = {**(network.meta or {}), **(meta or {})}
    try:
        meta_json = encode_value(merged_meta)
        members: dict[str, dict[str, Any]] = {}
        blobs: dict[str, bytes] = {}
        for name, frame in frames.items():
            blob, columns = encode_frame(frame, what=_("frame {name!r}").format(name=name))
            member = f"{name}.parquet"
            blobs[member] = blob
            members[member] = {
                "frame": name,
                "sha256": hashlib.sha256(blob).hexdigest(),
                "bytes": len(blob),
                "rows": len(frame),
                "columns": columns,
            }
    except GraphcapError as exc:
        raise ExportError(
            _("cannot write snapshot {target}: {exc}").format(target=target, exc=exc)
        ) from exc
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "graphcap_version": _graphcap_version(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "counts": {**network.counts, **_counts_by_type(network)},
        "meta": meta_json,
        "content_hash": _content_hash(members, meta_json),
        "members": members,
        "frames": list(frames),
    }
    _atomic_zip(target, manifest, blobs)
    return target


def _counts_by_type(network: Network) -> dict[str, dict[str, int]]:
    by_type = network.counts_by_type()
    return {"nodes_by_type": by_type["nodes"], "edges_by_type": by_type["edges"]}


def _content_hash(members: Mapping[str, Mapping[str, Any]], meta_json: Any) -> str:
    h = hashlib.sha256()
    for member in sorted(members):
        h.update(member.encode() + b"\0" + members[member]["sha256"].encode() + b"\0")
    h.update(json.dumps(meta_json, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def _file_mode(target: Path) -> int:
    """The mode a plain new file would get (umask), or the mode of the file being replaced."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _atomic_zip(target: Path, manifest: dict[str, Any], blobs: Mapping[str, bytes]) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            _("cannot write snapshot {target}: {value}").format(
                target=target, value=exc.strerror or exc
            )
        ) from exc

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w") as zf:
            text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True)
            zf.writestr(MANIFEST, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
            for member, blob in blobs.items():  # parquet is compressed already
                zf.writestr(member, blob, compress_type=zipfile.ZIP_STORED)
        os.chmod(tmp, _file_mode(target))

    write_atomic(target, write, what="snapshot")


# -- reading ------------------------------------------------------------------------------------


class _Reader:
    """An opened, checked snapshot: the manifest now, frame members on demand."""

    def __init__(self, path: str | os.PathLike[str], *, max_member_bytes: int = MAX_MEMBER_BYTES):
        self.path = Path(path)
        self.max_member_bytes = max_member_bytes
        try:
            self._zip = zipfile.ZipFile(self.path)
        except FileNotFoundError as exc:
            raise ExportError(_("snapshot {path} does not exist").format(path=self.path)) from exc
        except IsADirectoryError as exc:
            raise ExportError(
                _("snapshot {path} is a directory, not a .gcap file").format(path=self.path)
            ) from exc
        except zipfile.BadZipFile as exc:
            raise ExportError(
                _(
                    "{path} is not a graphcap snapshot (not a zip archive, or truncated): {exc}"
                ).format(path=self.path, exc=exc)
            ) from exc
        except OSError as exc:
            raise ExportError(
                _("cannot read snapshot {path}: {value}").format(
                    path=self.path, value=exc.strerror or exc
                )
            ) from exc
        try:
            self._check_names()
            self.manifest = self._read_manifest()
        except BaseException:
            self._zip.close()
            raise

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> _Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fail(self, why: str) -> ExportError:
        return ExportError(
            _("snapshot {path} is not usable: {why}").format(path=self.path, why=why)
        )

    def _check_names(self) -> None:
        for info in self._zip.infolist():
            name = info.filename
            if name != MANIFEST and not (
                name.endswith(".parquet") and _FRAME_NAME_RE.match(name[: -len(".parquet")])
            ):
                raise self._fail(
                    _(
                        "unexpected member {name!r} (a snapshot holds only manifest.json and <name>.parquet; paths such as '../x' are refused)"
                    ).format(name=name)
                )
            limit = MAX_MANIFEST_BYTES if name == MANIFEST else self.max_member_bytes
            if info.file_size > limit:
                raise self._fail(
                    _(
                        "member {name!r} would expand to {file_size} bytes, more than the limit of {limit}"
                    ).format(name=name, file_size=info.file_size, limit=limit)
                )
            if info.file_size > RATIO_CHECK_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
                info.compress_size, 1
            ):
                raise self._fail(
                    _(
                        "member {name!r} expands {file_size}x (more than {max_compression_ratio}x): refused as a possible zip bomb"
                    ).format(
                        name=name,
                        file_size=info.file_size // max(info.compress_size, 1),
                        max_compression_ratio=MAX_COMPRESSION_RATIO,
                    )
                )

    def _member(self, name: str, limit: int) -> bytes:
        try:
            with self._zip.open(name) as fh:
                data = fh.read(limit + 1)
        except KeyError as exc:
            raise self._fail(_("member {name!r} is missing").format(name=name)) from exc
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise self._fail(
                _("member {name!r} is damaged or truncated ({exc})").format(name=name, exc=exc)
            ) from exc
        if len(data) > limit:
            raise self._fail(
                _("member {name!r} is larger than the limit of {limit} bytes").format(
                    name=name, limit=limit
                )
            )
        return data

    def _read_manifest(self) -> dict[str, Any]:
        raw = self._member(MANIFEST, MAX_MANIFEST_BYTES)
        try:
            manifest = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise self._fail(
                _("manifest.json is not valid UTF-8 JSON ({exc})").format(exc=exc)
            ) from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise self._fail(_("manifest.json does not describe a graphcap snapshot"))
        version = manifest.get("format_version")
        if version != FORMAT_VERSION:
            raise self._fail(
                _(
                    "format version {version!r} is not supported (this graphcap reads version {format_version}; written by graphcap {get!r}) - open it with a matching graphcap or write the snapshot again"
                ).format(
                    version=version,
                    format_version=FORMAT_VERSION,
                    get=manifest.get("graphcap_version"),
                )
            )
        members = manifest.get("members")
        if not isinstance(members, dict) or any(f"{f}.parquet" not in members for f in CORE_FRAMES):
            raise self._fail(_("manifest.json lacks the nodes, edges or interactions member"))
        for member, spec in members.items():
            if (
                not isinstance(spec, dict)
                or not isinstance(spec.get("sha256"), str)
                or not isinstance(spec.get("columns"), list)
                or spec.get("frame") != member.removesuffix(".parquet")
            ):
                raise self._fail(
                    _("manifest.json entry for {member!r} is malformed").format(member=member)
                )
        return manifest

    @property
    def frame_names(self) -> list[str]:
        order = self.manifest.get("frames")
        known = [spec["frame"] for spec in self.manifest["members"].values()]
        return order if isinstance(order, list) and sorted(order) == sorted(known) else known

    def frame(self, name: str) -> pd.DataFrame:
        member = f"{name}.parquet"
        spec = self.manifest["members"].get(member)
        if spec is None:
            raise ExportError(
                _("snapshot {path} has no frame {name!r}; it has: {frame_names}").format(
                    path=self.path, name=name, frame_names=", ".join(self.frame_names)
                )
            )
        blob = self._member(member, self.max_member_bytes)
        if hashlib.sha256(blob).hexdigest() != spec["sha256"]:
            raise self._fail(
                _("member {member!r} does not match its checksum (file was altered)").format(
                    member=member
                )
            )
        try:
            return decode_frame(blob, spec["columns"])
        except Exception as exc:  # pyarrow raises many types for malformed parquet
            raise self._fail(
                _("member {member!r} cannot be decoded ({exc})").format(member=member, exc=exc)
            ) from exc

    def meta(self) -> dict[str, Any]:
        try:
            meta = decode_value(self.manifest.get("meta") or {})
        except (TypeError, ValueError, KeyError) as exc:
            raise self._fail(_("manifest meta cannot be decoded ({exc})").format(exc=exc)) from exc
        return dict(meta) if isinstance(meta, dict) else {}

    def network(self) -> Network:
        frames = {name: self.frame(name) for name in CORE_FRAMES}
        try:
            return Network(**frames, meta=self.meta())
        except GraphcapError as exc:
            raise self._fail(str(exc)) from exc


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The checked manifest of a snapshot (counts, meta as stored, members, content hash)."""
    with _Reader(path) as reader:
        return reader.manifest


def read_snapshot(
    path: str | os.PathLike[str], *, max_member_bytes: int = MAX_MEMBER_BYTES
) -> Network:
    """The network stored in snapshot ``path``; its meta (with provenance) is ``network.meta``."""
    with _Reader(path, max_member_bytes=max_member_bytes) as reader:
        return reader.network()


def read_snapshot_frames(
    path: str | os.PathLike[str], names: Iterable[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Frames of a snapshot by name (all of them, or ``names``), including extra frames such as
    ``metrics``; an unknown name is an :class:`ExportError` listing the ones there are."""
    with _Reader(path) as reader:
        wanted = list(names) if names is not None else reader.frame_names
        return {name: reader.frame(name) for name in wanted}
