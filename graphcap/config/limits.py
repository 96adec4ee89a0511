"""The limits of the console and of file reading: each a :class:`Setting` with a default, a range
and a help text (:data:`LIMIT_SETTINGS`), read into :class:`Limits` from ``[limits]`` and the
environment (``GRAPHCAP_MAX_ROWS`` ...), checked by type and range, never unlimited.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphcap.errors import ConfigError
from graphcap.i18n import current_language, gettext

__all__ = ["LIMIT_SETTINGS", "Limits", "Setting"]


def _grouped(number: int | float) -> str:
    """``number`` with thousands grouped (``f"{number:,}"``), in German with German signs.

    >>> _grouped(86_400), _grouped(0.001)
    ('86,400', '0.001')
    """
    text = f"{number:,}"
    if current_language() == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


@dataclass(frozen=True)
class Setting:
    """One numeric limit: its default, the range it must lie in, and what it means.

    ``kind`` is ``int`` or ``float``; a value is accepted only when it is of that kind (an
    ``int`` is fine for a ``float``; a ``bool`` never is), finite, and within
    ``[minimum, maximum]``.
    """

    name: str
    default: int | float
    kind: type
    minimum: int | float
    maximum: int | float
    help: str

    @property
    def env(self) -> str:
        """The environment variable that overrides it (``GRAPHCAP_`` + upper-case name)."""
        return "GRAPHCAP_" + self.name.upper()

    def check(self, value: Any, *, source: str = "") -> int | float:
        """``value`` if it is valid for this setting, else :class:`ConfigError` with one clear
        message naming the setting, the value, the rule and where to change it."""
        where = gettext(" (from {source})").format(source=source) if source else ""
        kind_ok = not isinstance(value, bool) and (
            isinstance(value, int) if self.kind is int else isinstance(value, int | float)
        )
        what = gettext("a whole number") if self.kind is int else gettext("a number")
        ok = kind_ok and math.isfinite(value) and self.minimum <= value <= self.maximum
        if not ok:
            raise ConfigError(
                gettext(
                    "{name} must be {what} from {minimum} to {maximum}, got {value!r}{where}; set {env} or [limits] {name} (default {default})"
                ).format(
                    name=self.name,
                    what=what,
                    minimum=_grouped(self.minimum),
                    maximum=_grouped(self.maximum),
                    value=value,
                    where=where,
                    env=self.env,
                    default=_grouped(self.default),
                )
            )
        return float(value) if self.kind is float else int(value)

    def parse(self, raw: str, *, source: str) -> int | float:
        """A value given as text (environment variable): parsed strictly, then checked."""
        text = raw.strip()
        try:
            value: int | float = int(text) if self.kind is int else float(text)
        except ValueError:
            what = gettext("a whole number") if self.kind is int else gettext("a number")
            raise ConfigError(
                gettext(
                    "{name} must be {what} from {minimum} to {maximum}, got {raw!r} (from {source}); default {default}"
                ).format(
                    name=self.name,
                    what=what,
                    minimum=_grouped(self.minimum),
                    maximum=_grouped(self.maximum),
                    raw=raw,
                    source=source,
                    default=_grouped(self.default),
                )
            ) from None
        return self.check(value, source=source)


_MB = 1024 * 1024

#: The limits table: every limit of the console and of file reading, with default and help.
#: docs/SECURITY.md lists the same table (a test keeps them equal).
LIMIT_SETTINGS: tuple[Setting, ...] = (
    Setting("query_timeout_s", 10.0, float, 0.001, 86_400,
            "Time limit of one console query in seconds; the server stops the query."),
    Setting("max_rows", 5000, int, 1, 10_000_000, "Row cap of one console query."),
    Setting("max_result_bytes", 64 * _MB, int, 1024, 4096 * _MB,
            "Byte cap of one console result (approximate size of the values read)."),
    Setting("max_file_bytes", 512 * _MB, int, 1024, 64 * 1024 * _MB,
            "Largest input file (as stored, compressed or not)."),
    Setting("max_uncompressed_bytes", 256 * _MB, int, 1024, 64 * 1024 * _MB,
            "Largest uncompressed content of a zipped CSV or of one XLSX part."),
    Setting("max_compression_ratio", 200, int, 2, 100_000,
            "Largest ratio uncompressed / compressed of a zip member (zip bombs exceed it)."),
    Setting("max_cell_chars", 32_767, int, 16, 10_000_000,
            "Longest text of one cell (32,767 is Excel's own cell limit)."),
    Setting("max_table_rows", 2_000_000, int, 1, 1_000_000_000,
            "Most data rows of one input table or sheet."),
    Setting("max_import_memory_mb", 2048, int, 64, 1_048_576,
            "Memory one import may take in MiB: a file whose reading would need more is "
            "refused before it is read, and reading stops when the process grows by more."),
    Setting("app_full_analysis_max_relationships", 200_000, int, 0, 10_000_000_000,
            "Above this many relationships the app and `graphcap export` do not analyse the "
            "whole network: they read the stored metrics (`graphcap metrics --write`), "
            "aggregate in Neo4j and draw a capped view."),
)  # fmt: skip
_BY_NAME = {s.name: s for s in LIMIT_SETTINGS}


@dataclass(frozen=True)
class Limits:
    """Limits of the console and of file reading (:data:`LIMIT_SETTINGS`). Never unlimited:
    every value is checked by type and range when the object is made."""

    query_timeout_s: float = 10.0
    max_rows: int = 5000
    max_result_bytes: int = 64 * _MB
    max_file_bytes: int = 512 * _MB
    max_uncompressed_bytes: int = 256 * _MB
    max_compression_ratio: int = 200
    max_cell_chars: int = 32_767
    max_table_rows: int = 2_000_000
    max_import_memory_mb: int = 2048
    app_full_analysis_max_relationships: int = 200_000

    def __post_init__(self) -> None:
        for setting in LIMIT_SETTINGS:
            object.__setattr__(self, setting.name, setting.check(getattr(self, setting.name)))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **given: Any) -> Limits:
        """Limits from ``given`` (e.g. a config file's ``[limits]``), overridden by the
        environment (``GRAPHCAP_MAX_ROWS`` ...)."""
        env = os.environ if env is None else env
        unknown = set(given) - set(_BY_NAME)
        if unknown:
            raise ConfigError(
                gettext("unknown limit(s) {unknown}; known: {by_name}").format(
                    unknown=sorted(unknown), by_name=", ".join(_BY_NAME)
                )
            )
        values = dict(given)
        for setting in LIMIT_SETTINGS:
            raw = env.get(setting.env)
            if raw is not None and raw.strip():  # unset or blank: the file's value or default
                values[setting.name] = setting.parse(raw, source=setting.env)
        return cls(**values)
