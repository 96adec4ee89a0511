"""Bounded reading of input files: sizes, zip bombs, cells and rows.

Every limit is a setting of :class:`graphcap.config.Limits` (defaults, ranges and environment
variables in one table there; docs/SECURITY.md lists them):

- ``max_file_bytes``: the file as stored (checked with ``stat`` before anything is read);
- ``max_uncompressed_bytes``: what one zip member (a CSV in a zip, a part of an ``.xlsx``)
  and all members together unpack to, from the zip's directory, before anything is unpacked;
- ``max_compression_ratio``: unpacked / packed size of a member larger than 1 MiB unpacked (a
  zip bomb packs a gigabyte of one repeated byte into a megabyte: ratio ~1000);
- ``max_cell_chars``, ``max_table_rows``: one cell, one table.

The zip's directory can lie about sizes, so members are also read through
:func:`read_member`, which stops at the declared size (and at the limit) whatever the stream
says. Nothing here reads a whole file before its size is known to be within the limits.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from graphcap.config import Limits
from graphcap.errors import LoaderError

__all__ = ["check_file", "check_zip", "read_member", "too_long"]

_RATIO_FLOOR = 1024 * 1024  # members smaller than this unpacked are not judged by ratio
_CHUNK = 1024 * 1024


def _mib(n: int) -> str:
    return f"{n:,} bytes" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MiB ({n:,} bytes)"


def check_file(path: Path, limits: Limits) -> None:
    """Refuse ``path`` (a file; folders are checked file by file) larger than
    ``max_file_bytes``."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # the loader reports a missing or unreadable file itself
    if path.is_file() and size > limits.max_file_bytes:
        raise LoaderError(
            f"{path.name}: the file is {_mib(size)}, more than the limit of "
            f"{_mib(limits.max_file_bytes)} (setting max_file_bytes / GRAPHCAP_MAX_FILE_BYTES); "
            "split it or raise the limit",
            file=path.name,
        )


def check_zip(zf: zipfile.ZipFile, limits: Limits, *, file: str) -> None:
    """Refuse a zip (or ``.xlsx``) whose directory shows a member or a total beyond the limits,
    or a member packed more densely than ``max_compression_ratio``. Nothing is unpacked."""
    total = 0
    for info in zf.infolist():
        if info.is_dir():
            continue
        size, packed = info.file_size, max(info.compress_size, 1)
        total += size
        where = f"{file}: the member {info.filename!r}"
        if size > _RATIO_FLOOR and size / packed > limits.max_compression_ratio:
            raise LoaderError(
                f"{where} is packed {size / packed:,.0f} to 1 ({_mib(packed)} unpacking to "
                f"{_mib(size)}), more than the limit of {limits.max_compression_ratio} to 1 "
                "(setting max_compression_ratio / GRAPHCAP_MAX_COMPRESSION_RATIO): this looks "
                "like a zip bomb and was refused without unpacking it",
                file=file,
            )
        if size > limits.max_uncompressed_bytes:
            raise LoaderError(
                f"{where} unpacks to {_mib(size)}, more than the limit of "
                f"{_mib(limits.max_uncompressed_bytes)} (setting max_uncompressed_bytes / "
                "GRAPHCAP_MAX_UNCOMPRESSED_BYTES); refused without unpacking it",
                file=file,
            )
    if total > limits.max_uncompressed_bytes:
        raise LoaderError(
            f"{file}: the members unpack to {_mib(total)} together, more than the limit of "
            f"{_mib(limits.max_uncompressed_bytes)} (setting max_uncompressed_bytes / "
            "GRAPHCAP_MAX_UNCOMPRESSED_BYTES); refused without unpacking",
            file=file,
        )


def read_member(zf: zipfile.ZipFile, name: str, limits: Limits, *, file: str) -> bytes:
    """The bytes of one member, read in chunks and never more than its declared size or
    ``max_uncompressed_bytes`` (a member whose stream is longer is refused)."""
    info = zf.getinfo(name)
    cap = min(info.file_size, limits.max_uncompressed_bytes)
    parts: list[bytes] = []
    got = 0
    with zf.open(info) as stream:
        while True:
            chunk = stream.read(min(_CHUNK, cap + 1 - got))
            if not chunk:
                break
            got += len(chunk)
            if got > cap:
                raise LoaderError(
                    f"{file}: the member {name!r} unpacks to more than the {_mib(cap)} its "
                    "directory entry declares or the limit allows; refused",
                    file=file,
                )
            parts.append(chunk)
    return b"".join(parts)


def too_long(value: object, limits: Limits) -> str | None:
    """Why a cell is too long to be read, or ``None``."""
    if isinstance(value, str) and len(value) > limits.max_cell_chars:
        return (
            f"the cell has {len(value):,} characters, more than the limit of "
            f"{limits.max_cell_chars:,} (setting max_cell_chars / GRAPHCAP_MAX_CELL_CHARS)"
        )
    return None
