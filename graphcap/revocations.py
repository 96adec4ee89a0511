"""Logged-out session tokens, kept in a small file so a restart of the app does not forget them.

A built-in user's session token (:mod:`graphcap.session_token`) is valid until it expires; logging
out revokes its random id. Kept in memory only, a restart of the app would accept a copy of the
logged-out cookie again. :class:`RevocationFile` keeps the ids in a JSON file instead --
``{"v": 1, "revoked": {token_id: expires}}`` in the app's data folder
(``<data dir>/sessions/revoked.json``, :func:`graphcap.config.connection.data_dir`, i.e.
``GRAPHCAP_DATA_DIR``):

- **Bounded.** Every write drops the entries whose token has expired anyway, so the file holds
  only the logouts of one session lifetime (``session_ttl_s``); beyond :data:`MAX_ENTRIES` the
  ones expiring first are dropped (about 60 bytes each: 100,000 entries are 6 MB).
- **Shared and safe.** Writes hold an exclusive lock (``fcntl``) on a lock file beside it, read
  the current file, and replace it atomically (temporary file + rename, mode 0600), so several
  app processes on one host keep each other's revocations and a crash never leaves half a file.
- **Fail closed.** A file that exists but cannot be read or parsed refuses every saved token
  (the user logs in with the password again) instead of accepting revoked ones.
- A write that fails (read-only folder) keeps the revocation in memory for this process and
  raises :class:`~graphcap.errors.ExportError` (or :class:`OSError` for the folder) for the
  caller to report.

Why a file and not Neo4j: the login gate runs before any page and must refuse a revoked token
also when the app serves the embedded snapshot or Neo4j is down; only :mod:`graphcap.store`
speaks Neo4j, and the gate reads no data before login.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from pathlib import Path

from graphcap.config.connection import data_dir
from graphcap.files import write_atomic
from graphcap.i18n import gettext as _
from graphcap.session_token import Claims, TokenRefused

__all__ = ["MAX_ENTRIES", "RevocationFile", "default_path"]

#: At most this many revoked ids are kept (the ones expiring first are dropped beyond it).
MAX_ENTRIES = 100_000


def default_path() -> Path:
    """``<data dir>/sessions/revoked.json``."""
    return data_dir() / "sessions" / "revoked.json"


class RevocationFile:
    """Revoked token ids in ``path`` (see the module text); thread-safe within a process."""

    def __init__(self, path: Path, *, max_entries: int = MAX_ENTRIES) -> None:
        self.path = Path(path)
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._memory: dict[str, float] = {}  # also holds what could not be written
        self._seen: tuple[int, int] | None = None  # (mtime_ns, size) of the file last read
        self._cached: dict[str, float] = {}

    # -- reading -------------------------------------------------------------------------------

    def _read(self) -> dict[str, float]:
        """The file's entries (cached while its mtime and size do not change); ``{}`` when it
        does not exist; :class:`ValueError` when it cannot be read or parsed."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            self._seen, self._cached = None, {}
            return {}
        except OSError as exc:
            raise ValueError(str(exc)) from exc
        stamp = (st.st_mtime_ns, st.st_size)
        if stamp == self._seen:
            return self._cached
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            entries = {str(k): float(v) for k, v in doc["revoked"].items()}
        except (OSError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(str(exc)) from exc
        self._seen, self._cached = stamp, entries
        return entries

    def check(self, claims: Claims, now: float) -> None:
        """:class:`TokenRefused` when ``claims`` was logged out (or the file is unreadable)."""
        with self._lock:
            if self._memory.get(claims.token_id, 0.0) > now:
                raise TokenRefused(_("the session was logged out"))
            try:
                entries = self._read()
            except ValueError:
                raise TokenRefused(
                    _("the list of logged-out sessions cannot be read; log in again")
                ) from None
            if entries.get(claims.token_id, 0.0) > now:
                raise TokenRefused(_("the session was logged out"))

    # -- writing -------------------------------------------------------------------------------

    def revoke(self, claims: Claims, now: float) -> None:
        """Record ``claims`` as logged out (until it expires), dropping expired entries."""
        with self._lock:
            self._memory = {k: v for k, v in self._memory.items() if v > now}
            self._memory[claims.token_id] = claims.expires
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            lock_path = self.path.with_name(self.path.name + ".lock")
            with open(lock_path, "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    entries = dict(self._read())
                except ValueError:
                    entries = {}  # unreadable: replaced by what this process knows
                entries.update(self._memory)
                kept = {k: v for k, v in entries.items() if v > now}
                if len(kept) > self.max_entries:
                    newest = sorted(kept.items(), key=lambda kv: kv[1])[-self.max_entries :]
                    kept = dict(newest)
                self._write(kept)

    def _write(self, entries: dict[str, float]) -> None:
        text = json.dumps({"v": 1, "revoked": entries}, separators=(",", ":"))

        def write(tmp: Path) -> None:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())

        write_atomic(self.path, write, what="the list of logged-out sessions")
        self._seen = None  # read it again next time (another process may write meanwhile)
