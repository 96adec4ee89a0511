"""Bounded reading of input files: sizes, zip bombs, cells and rows.

Every limit is a setting of :class:`graphcap.config.limits.Limits` (defaults, ranges and environment
variables in one table there; docs/SECURITY.md lists them):

- ``max_file_bytes``: the file as stored (checked with ``stat`` before anything is read);
- ``max_uncompressed_bytes``: what one zip member (a CSV in a zip, a part of an ``.xlsx``)
  and all members together unpack to, from the zip's directory, before anything is unpacked;
- ``max_compression_ratio``: unpacked / packed size of a member larger than 1 MiB unpacked (a
  zip bomb packs a gigabyte of one repeated byte into a megabyte: ratio ~1000);
- ``max_cell_chars``, ``max_table_rows``: one cell, one table;
- ``max_import_memory_mb``: the memory one import may take (:class:`MemoryBudget`). Before a
  file or member is read, its size times what reading it costs (:data:`READ_COST`, measured)
  must fit; while it is read, the process's resident memory may not grow by more (sampled
  every few thousand rows and after each table). The first check refuses a file that would not
  fit before any memory is spent; the second catches what the first could not foresee.

The zip's directory can lie about sizes, so members are also read through
:func:`read_member`, which stops at the declared size (and at the limit) whatever the stream
says. Nothing here reads a whole file before its size is known to be within the limits.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from graphcap.config.limits import Limits
from graphcap.errors import LoaderError
from graphcap.i18n import Num
from graphcap.i18n import lazy_gettext as _l

__all__ = [
    "READ_COST",
    "MemoryBudget",
    "check_file",
    "check_zip",
    "read_member",
    "rss_bytes",
    "too_long",
]

_RATIO_FLOOR = 1024 * 1024  # members smaller than this unpacked are not judged by ratio
_CHUNK = 1024 * 1024


def _mib(n: int) -> str:
    if n < 1024 * 1024:
        return _l("{n} bytes", n=Num(n))
    return _l("{mib} MiB ({n} bytes)", mib=Num(n / 1024 / 1024, ",.1f"), n=Num(n))


def check_file(path: Path, limits: Limits) -> None:
    """Refuse ``path`` (a file; folders are checked file by file) larger than
    ``max_file_bytes``."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # the loader reports a missing or unreadable file itself
    if path.is_file() and size > limits.max_file_bytes:
        raise LoaderError(
            _l(
                "{file}: the file is {size}, more than the limit of {limit} (setting "
                "max_file_bytes / GRAPHCAP_MAX_FILE_BYTES); split it or raise the limit",
                file=path.name,
                size=_mib(size),
                limit=_mib(limits.max_file_bytes),
            ),
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
        where = _l("{file}: the member {name!r}", file=file, name=info.filename)
        if size > _RATIO_FLOOR and size / packed > limits.max_compression_ratio:
            raise LoaderError(
                _l(
                    "{where} is packed {ratio} to 1 ({packed} unpacking to {size}), more than the "
                    "limit of {limit} to 1 (setting max_compression_ratio / "
                    "GRAPHCAP_MAX_COMPRESSION_RATIO): this looks like a zip bomb and was refused "
                    "without unpacking it",
                    where=where,
                    ratio=Num(size / packed, ",.0f"),
                    packed=_mib(packed),
                    size=_mib(size),
                    limit=limits.max_compression_ratio,
                ),
                file=file,
            )
        if size > limits.max_uncompressed_bytes:
            raise LoaderError(
                _l(
                    "{where} unpacks to {size}, more than the limit of {limit} (setting "
                    "max_uncompressed_bytes / GRAPHCAP_MAX_UNCOMPRESSED_BYTES); refused without "
                    "unpacking it",
                    where=where,
                    size=_mib(size),
                    limit=_mib(limits.max_uncompressed_bytes),
                ),
                file=file,
            )
    if total > limits.max_uncompressed_bytes:
        raise LoaderError(
            _l(
                "{file}: the members unpack to {size} together, more than the limit of {limit} "
                "(setting max_uncompressed_bytes / GRAPHCAP_MAX_UNCOMPRESSED_BYTES); refused "
                "without unpacking",
                file=file,
                size=_mib(total),
                limit=_mib(limits.max_uncompressed_bytes),
            ),
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
                    _l(
                        "{file}: the member {name!r} unpacks to more than the {cap} its directory "
                        "entry declares or the limit allows; refused",
                        file=file,
                        name=name,
                        cap=_mib(cap),
                    ),
                    file=file,
                )
            parts.append(chunk)
    return b"".join(parts)


def too_long(value: object, limits: Limits) -> str | None:
    """Why a cell is too long to be read, or ``None``."""
    if isinstance(value, str) and len(value) > limits.max_cell_chars:
        return _l(
            "the cell has {n} characters, more than the limit of {limit} (setting "
            "max_cell_chars / GRAPHCAP_MAX_CELL_CHARS)",
            n=Num(len(value)),
            limit=Num(limits.max_cell_chars),
        )
    return None


#: Bytes of memory reading one byte of input costs, up to validated frames (measured with
#: VmHWM on 2026-12-01: a 17 MB CSV of short cells +330 MB, 19x; a 12.7 MB GraphML +200 MB,
#: 16x; an .xlsx unpacking to 47 MB +145 MB, 3x), rounded up.
READ_COST: dict[str, int] = {"text": 20, "xlsx": 4}

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int:
    """The resident memory of this process now (``/proc/self/statm``; where there is none, the
    peak from ``resource``, which only rises and so errs on the safe side)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class MemoryBudget:
    """The memory one import may take: ``max_import_memory_mb`` of :class:`Limits`.

    Made when reading starts (it notes the process's resident memory then). :meth:`plan`
    refuses, before anything is read, input whose reading would need more than the budget (its
    size times :data:`READ_COST`, added up over the files of one import); :meth:`check` refuses
    once the process has grown by more than the budget since the start. In the app, sessions
    share the process: another session's growth counts too, so the budget errs on refusing.
    """

    def __init__(self, limits: Limits) -> None:
        self.cap = limits.max_import_memory_mb * 1024 * 1024
        self.start = rss_bytes()
        self.planned = 0

    def _refuse(self, file: str, what: str) -> LoaderError:
        return LoaderError(
            _l(
                "{file}: {what}, more than the limit of {limit} for one import (setting "
                "max_import_memory_mb / GRAPHCAP_MAX_IMPORT_MEMORY_MB); split the input or raise "
                "the limit",
                file=file,
                what=what,
                limit=_mib(self.cap),
            ),
            file=file,
        )

    def plan(self, nbytes: int, *, file: str, kind: str = "text") -> None:
        """Count ``nbytes`` of input of ``kind`` (a key of :data:`READ_COST`) about to be read;
        refuse it when the import's reading would then need more than the budget."""
        need = nbytes * READ_COST[kind]
        self.planned += need
        if self.planned > self.cap:
            if self.planned == need:
                what = _l(
                    "reading {size} of input needs about {need} of memory",
                    size=_mib(nbytes),
                    need=_mib(self.planned),
                )
            else:
                what = _l(
                    "reading {size} of input needs about {need} of memory (with the files read "
                    "before it)",
                    size=_mib(nbytes),
                    need=_mib(self.planned),
                )
            raise self._refuse(file, what)

    def check(self, *, file: str) -> None:
        """Refuse when the process has grown by more than the budget since reading started."""
        grown = rss_bytes() - self.start
        if grown > self.cap:
            raise self._refuse(
                file, _l("reading it took {size} of memory so far", size=_mib(grown))
            )
