"""Uploaded files onto disk: graphcap's one upload path (the Import page, the recipe wizard and
:func:`loaders.load_bytes` all save through :func:`save_upload`).

An upload is written into a folder the caller owns (a temporary one), under its own file name
when that name is harmless, else under a neutral one with the same suffix; it is refused before
anything is written when it is larger than ``max_file_bytes``.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath

from graphcap.config.limits import Limits
from graphcap.errors import LoaderError
from graphcap.i18n import Num
from graphcap.i18n import lazy_gettext as _l

__all__ = ["safe_upload_name", "save_upload"]

#: A harmless file name: no path separators, control or shell characters, no leading dot or dash.
_HARMLESS = re.compile(r'^[^\x00-\x1f\x7f/\\:*?"<>|.\-][^\x00-\x1f\x7f/\\:*?"<>|]{0,119}$')


def safe_upload_name(filename: str, *, fallback: str = "upload") -> str:
    """``filename`` without any folder part when it is harmless, else ``fallback`` + its suffix.

    >>> safe_upload_name("C:\\\\exports\\\\Kunden ü.csv"), safe_upload_name("../../etc/passwd")
    ('Kunden ü.csv', 'passwd')
    >>> safe_upload_name(".hidden.xlsx", fallback="upload3"), safe_upload_name("a\\x00b.csv")
    ('upload3.xlsx', 'upload.csv')
    """
    name = PurePath(str(filename).replace("\\", "/")).name
    if _HARMLESS.match(name):
        return name
    return fallback + PurePath(name).suffix.lower()[:10]


def save_upload(
    data: bytes,
    filename: str,
    folder: Path,
    *,
    fallback: str = "upload",
    limits: Limits | None = None,
) -> Path:
    """Write ``data`` into ``folder`` under :func:`safe_upload_name`; refuse it (nothing written)
    when it is over ``limits.max_file_bytes``."""
    limits = limits if limits is not None else Limits()
    name = safe_upload_name(filename, fallback=fallback)
    if len(data) > limits.max_file_bytes:
        raise LoaderError(
            _l(
                "{name}: the upload is {size} MiB, more than the limit of {limit} MiB (setting "
                "max_file_bytes / GRAPHCAP_MAX_FILE_BYTES)",
                name=name,
                size=Num(len(data) / 1024 / 1024, ",.1f"),
                limit=Num(limits.max_file_bytes / 1024 / 1024, ",.1f"),
            ),
            file=name,
        )
    target = Path(folder) / name
    target.write_bytes(data)
    return target
