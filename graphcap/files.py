"""Where exports go: safe file names derived from snapshot names, and nothing outside the folder.

A report author names a snapshot "Q3 / board: Müller & Co." and exports it; the file written must
be a harmless name in the output folder the author chose, on Linux, macOS and Windows alike.

Two functions, two jobs:

:func:`safe_filename`
    *derives* a file name from free text (a snapshot name): anything that is not a letter, digit,
    ``-``, ``_``, ``.`` or space becomes ``_``; leading dots and trailing dots/spaces go; Windows'
    reserved device names (``CON``, ``NUL``, ``COM1`` ...) get a ``_`` prefix; the result is cut to
    at most :data:`MAX_NAME_BYTES` UTF-8 bytes (extension included). It never fails.
:func:`output_path`
    *checks* a file name the user typed (or :func:`safe_filename` made) and joins it to the output
    folder: absolute names, ``..``, path separators, NUL and other control characters, reserved
    names and overlong names are refused with :class:`~graphcap.errors.ExportError`; the joined path
    is resolved (symlinks followed) and must still lie inside the resolved folder.

>>> safe_filename("Q3 / board: Müller & Co.", ext=".pdf")
'Q3 _ board_ Müller _ Co.pdf'
>>> safe_filename("../../etc/passwd")
'_.._etc_passwd'
>>> safe_filename("con", ext=".csv")
'_con.csv'
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from graphcap.errors import ExportError, GraphcapError
from graphcap.i18n import gettext as _

__all__ = ["MAX_NAME_BYTES", "output_path", "safe_filename", "write_atomic"]

#: Longest file name written, in UTF-8 bytes (most file systems allow 255; keep room for suffixes).
MAX_NAME_BYTES = 150

_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(10)}
    | {f"LPT{i}" for i in range(10)}
    | {f"COM{c}" for c in "¹²³"}
    | {f"LPT{c}" for c in "¹²³"}
)
# Characters allowed in a derived name: Unicode letters and digits, space, '-', '_', '.'.
_UNSAFE = re.compile(r"[^\w\-. ]", re.UNICODE)
_FORBIDDEN_IN_NAME = set('<>:"/\\|?*')


def _is_reserved(name: str) -> bool:
    """Windows refuses these as file names whatever the extension (``nul.txt`` too)."""
    stem = name.split(".", 1)[0].rstrip(" ")
    return stem.upper() in _WINDOWS_RESERVED


def _cut_utf8(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def safe_filename(name: str, *, ext: str = "", default: str = "graphcap") -> str:
    """A file name made from free text (see the module doc); ``ext`` like ``".pdf"`` is appended.

    The result always passes :func:`output_path`'s checks.
    """
    if ext and not re.fullmatch(r"\.[A-Za-z0-9]{1,8}(\.[A-Za-z0-9]{1,8})?", ext):
        raise ExportError(
            _("file extension {ext} is not a plain extension like '.pdf'").format(ext=repr(ext))
        )
    text = unicodedata.normalize("NFC", str(name))
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" and ch != " " else ch for ch in text)
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" ")
    text = re.sub(r"\.{2,}", lambda m: "." if m.end() == len(text) else m.group(0), text)
    text = text.lstrip(".").rstrip(". ")
    if text.startswith("-"):  # never looks like a command-line option
        text = "_" + text
    if not text:
        text = default
    if _is_reserved(text):
        text = "_" + text
    text = _cut_utf8(text, MAX_NAME_BYTES - len(ext.encode())).rstrip(". ")
    return (text or default) + ext


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name:
        raise ExportError(_("the output file name is empty; give a name such as 'network.pdf'"))
    if "\x00" in name or any(unicodedata.category(ch) == "Cc" for ch in name):
        raise ExportError(
            _("the output file name {name} contains control characters (NUL ...)").format(
                name=repr(name)
            )
        )
    if os.path.isabs(name) or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise ExportError(
            _(
                "the output file name {name} is an absolute path; give a plain file name and "
                "choose the folder separately"
            ).format(name=repr(name))
        )
    parts = re.split(r"[/\\]", name)
    if ".." in parts:
        raise ExportError(
            _("the output file name {name} leads out of the output folder ('..')").format(
                name=repr(name)
            )
        )
    if len(parts) > 1 or _FORBIDDEN_IN_NAME & set(name):
        raise ExportError(
            _(
                "the output file name {name} contains a path separator or one of "
                '< > : " / \\ | ? *; give a plain file name'
            ).format(name=repr(name))
        )
    if name in (".", "..") or name.endswith((" ", ".")):
        raise ExportError(
            _("the output file name {name} may not end with a dot or a space").format(
                name=repr(name)
            )
        )
    if _is_reserved(name):
        raise ExportError(
            _(
                "the output file name {name} is a reserved device name on Windows; choose another"
            ).format(name=repr(name))
        )
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise ExportError(
            _("the output file name is {n} bytes long; at most {limit} are allowed").format(
                n=len(name.encode("utf-8")), limit=MAX_NAME_BYTES
            )
        )


def output_path(folder: str | os.PathLike[str], name: str, *, create: bool = True) -> Path:
    """The path of file ``name`` inside ``folder``, checked (see the module doc).

    ``folder`` is the user's chosen output folder (created when ``create``); ``name`` must be a
    plain file name. Raises :class:`ExportError` for anything that would write elsewhere.
    """
    _check_name(name)
    base = Path(folder).expanduser()
    if create:
        try:
            base.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(
                _("cannot create the output folder {folder}: {error}").format(
                    folder=base, error=exc.strerror
                )
            ) from exc
    if not base.is_dir():
        raise ExportError(
            _("the output folder {folder} does not exist or is not a folder").format(folder=base)
        )
    root = base.resolve()
    target = (root / name).resolve()
    if target.parent != root:
        raise ExportError(
            _(
                "the output file {name} would be written outside the output folder {folder} "
                "(a link points elsewhere); choose another name"
            ).format(name=repr(name), folder=root)
        )
    return target


def write_atomic(target: Path, write: Callable[[Path], object], *, what: str = "") -> Path:
    """Write ``target`` through ``write(tmp_path)`` into a temporary file beside it, then rename:
    graphcap's one atomic write (exports and snapshots).

    A failed write never leaves a half-written file, nor destroys an older file of that name; an
    :class:`OSError` or :class:`ValueError` becomes an :class:`ExportError` naming ``what`` and
    the target.
    """
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    except GraphcapError:
        tmp.unlink(missing_ok=True)
        raise
    except (OSError, ValueError) as exc:
        tmp.unlink(missing_ok=True)
        reason = getattr(exc, "strerror", None) or exc
        if what:
            message = _("cannot write {what} {target}: {reason}")
        else:
            message = _("could not write {target}: {reason}")
        raise ExportError(message.format(what=what, target=target, reason=reason)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
