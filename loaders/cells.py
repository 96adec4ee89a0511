"""Reading numbers and dates the way real exports write them.

Numbers: ``1234.5``, ``1,234.5``, ``1.234,56`` (German), ``1 234,5``, ``1,5E+03``, ``-0.25``,
``80 %`` (for scores: 0.8), a currency sign around the number (``€ 1.200``). Which character is the
decimal separator is decided once per column (:func:`sniff_decimal`): from values that can only be
read one way (``0,8``, ``1.234,56``, ``0.25``), else from the file's hint (``;``-separated files
come from German Excel and use a decimal comma). ``inf``, ``nan`` and hex are not numbers here.

Dates: ISO (``2024-07-04``, ``2024-07-04T10:30:00Z``), German (``04.07.2024``, ``4.7.24``),
English (``Mar 25, 2015``, ``25 March 2015``), spelled German (``4. Juli 2024``, ``3. Mär. 2021``),
epoch seconds and milliseconds, slashes (``2024/07/04``; ``07/04/2024`` is read day-first or
month-first as the column's unambiguous values show, and is an error if nothing in the column
tells). ``31.12.9999`` (SAP's "no end") is read as missing. A cell none of these read that
spells a month (``4.Juli 2024``, ``Donnerstag, 4. Juli 2024 14:30``, ``Juli 4, 2024``,
``4 juillet 2024``) goes to dateparser last (German, English, French; absolute dates with day,
month and year only, so ``gestern`` or ``Mai 2024`` stay errors); cells of digits only never
do, so the column's day/month decision is never overridden. After
:data:`SPELLED_FALLBACK_TRIES` failed tries in one column it stops trying (a text column is not
read cell by cell through it).

Missing: an empty cell is missing everywhere; ``NULL`` also in other text columns; in number and
date columns also ``null``, ``NA``, ``N/A``, ``None``, ``nan``, ``-``, ``#N/A``. Ids and names
keep ``NA``, ``None``, ``null``, ``N/A`` as the text they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, TypeGuard

import numpy as np
import pandas as pd

from graphcap.i18n import lazy_gettext as _l

__all__ = [
    "FAST_COMMA",
    "FAST_POINT",
    "MISSING_NUMBER",
    "MISSING_TEXT",
    "SPELLED_FALLBACK_TRIES",
    "DateReader",
    "fast_dates",
    "fast_numbers",
    "is_missing",
    "parse_number",
    "sniff_decimal",
]

#: Tokens that mean "no value" in text columns other than id and name.
MISSING_TEXT = frozenset({"", "NULL"})
#: Tokens that mean "no value" in number and date columns.
MISSING_NUMBER = frozenset(
    {
        "",
        "NULL",
        "null",
        "Null",
        "NA",
        "N/A",
        "n/a",
        "na",
        "None",
        "none",
        "nan",
        "NaN",
        "-",
        "--",
        "#N/A",
        "NaT",
    }
)

_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_CURRENCY = re.compile(r"^(?:€|\$|£|EUR|USD|CHF|GBP)\s*|\s*(?:€|\$|£|EUR|USD|CHF|GBP)$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
#: how many values with a separator decide a column's decimal separator
SNIFF_ENOUGH = 5000
#: plain numbers (no grouping, currency or percent) with a decimal point / comma
FAST_POINT = re.compile(r"^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")
FAST_COMMA = re.compile(r"^[+-]?\d+(?:,\d+)?(?:[eE][+-]?\d+)?$")
_COMMA_ONLY_DECIMAL = re.compile(r"^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$")
_GROUPS_POINT = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+$")
_GROUPS_COMMA = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+$")


def is_missing(value: object, tokens: frozenset[str] = MISSING_NUMBER) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and value.strip() in tokens


def _strip(text: str) -> tuple[str, bool]:
    text = text.strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    text = _CURRENCY.sub("", text)
    return _SPACES.sub("", text), percent


def is_decisive(value: object) -> TypeGuard[str]:
    """Whether ``value`` counts for :func:`sniff_decimal` (non-empty text, not only digits):
    the first ``SNIFF_ENOUGH`` such values of a column decide it, wherever they stand."""
    return isinstance(value, str) and bool(value) and not value.isdigit()


def sniff_decimal(values: Iterable[object], hint: str | None = None) -> str:
    """The decimal separator of a column: ``","`` or ``"."``.

    >>> sniff_decimal(["1.234", "0,5"])
    ','
    >>> sniff_decimal(["1,234", "2.5"])
    '.'
    >>> sniff_decimal(["1.234"], hint=",")
    ','
    """
    comma = point = decisive = 0
    for value in values:
        if decisive >= SNIFF_ENOUGH:
            break
        if not is_decisive(value):
            continue
        decisive += 1
        if "," in value and FAST_COMMA.match(value) and not _GROUPS_COMMA.match(value):
            comma += 1
            continue
        if "." in value and FAST_POINT.match(value) and not _GROUPS_POINT.match(value):
            point += 1
            continue
        text, _ = _strip(value)
        if not text:
            continue
        if "," in text and "." in text:
            if text.rfind(",") > text.rfind("."):
                comma += 1
            else:
                point += 1
        elif _COMMA_ONLY_DECIMAL.match(text) and not _GROUPS_COMMA.match(text):
            comma += 1
        elif _PLAIN.match(text) and "." in text and not _GROUPS_POINT.match(text):
            point += 1
    if comma > point:
        return ","
    if point > comma:
        return "."
    return hint or "."


def parse_number(value: object, decimal: str = ".") -> tuple[float, bool]:
    """``(number, was_percent)`` for a cell, or ValueError saying why it is not a number.

    >>> parse_number("1.234,56", ",")
    (1234.56, False)
    >>> parse_number("1,5E+03", ",")
    (1500.0, False)
    >>> parse_number("80 %")
    (80.0, True)
    """
    if isinstance(value, bool):
        raise ValueError(_l("is a yes/no value, not a number"))
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_l("is not a finite number"))
        return float(value), False
    if not isinstance(value, str):
        raise ValueError(_l("is a {kind}, not a number", kind=type(value).__name__))
    if decimal == "," and FAST_COMMA.match(value):  # the common cases, without the regexes below
        return float(value.replace(",", ".")), False
    if decimal == "." and FAST_POINT.match(value):
        return float(value), False
    text, percent = _strip(value)
    if decimal == ",":
        if _GROUPS_POINT.match(text) or re.match(r"^[+-]?\d{1,3}(?:\.\d{3})+,", text):
            text = text.replace(".", "")
        text = text.replace(",", ".")
    elif _GROUPS_COMMA.match(text) or re.match(r"^[+-]?\d{1,3}(?:,\d{3})+\.", text):
        text = text.replace(",", "")
    if not _PLAIN.match(text):
        if decimal == ",":
            raise ValueError(_l("is not a number (read with a decimal comma)"))
        raise ValueError(_l("is not a number (read with a decimal point)"))
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(_l("is too large to be a number"))
    return number, percent


_DATE_FORMATS = (
    "%d.%m.%Y",
    "%d.%m.%y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%Y/%m/%d",
    "%Y%m%d",
)
_GERMAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_SPELLED = re.compile(r"^(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})$")
_MONTHS = {
    "januar": 1,
    "jänner": 1,
    "jaenner": 1,
    "jan": 1,
    "january": 1,
    "februar": 2,
    "feb": 2,
    "february": 2,
    "feber": 2,
    "märz": 3,
    "maerz": 3,
    "mär": 3,
    "mrz": 3,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "dezember": 12,
    "dez": 12,
    "december": 12,
    "dec": 12,
}
_EPOCH = re.compile(r"^\d{9,13}$")
#: whole numbers in these ranges are epoch seconds (1973-2096) or milliseconds
_EPOCH_SECONDS = (100_000_000, 4_000_000_000)
_EPOCH_MILLIS = (100_000_000_000, 4_000_000_000_000)
#: a column whose cells failed this often in dateparser is not tried further (each try of a
#: text that is no date costs milliseconds)
SPELLED_FALLBACK_TRIES = 20
_SPELLED_HINT = re.compile(r"[^\W\d_]{3,}.*\d|\d.*[^\W\d_]{3,}")
_MIN = datetime(1677, 9, 22)
_MAX = datetime(2262, 4, 11)


class DateReader:
    """Reads one column's dates; decides day-first for ``a/b/yyyy`` once for the whole column.

    >>> r = DateReader(["13/01/2024", "02/03/2024"])
    >>> r.parse("02/03/2024")
    Timestamp('2024-03-02 00:00:00')
    >>> DateReader([]).parse("Mar 25, 2015")
    Timestamp('2015-03-25 00:00:00')
    >>> DateReader([]).parse("4. Juli 2024"), DateReader([]).parse("25 März 2015")
    (Timestamp('2024-07-04 00:00:00'), Timestamp('2015-03-25 00:00:00'))
    >>> DateReader([]).parse("1720051200"), DateReader([]).parse(1720051200000)
    (Timestamp('2024-07-04 00:00:00'), Timestamp('2024-07-04 00:00:00'))
    """

    def __init__(self, values: Iterable[object]) -> None:
        day_first = month_first = False
        for value in values:
            if isinstance(value, str) and "/" in value:
                m = _SLASH.match(value.strip())
                if m:
                    a, b = int(m.group(1)), int(m.group(2))
                    day_first |= a > 12
                    month_first |= b > 12
        self.day_first: bool | None = None
        if day_first != month_first:
            self.day_first = day_first
        self._fallback_failures = 0

    def parse(self, value: object) -> pd.Timestamp | None:
        """A timestamp (no time zone), ``None`` for the open end 9999-12-31, or ValueError."""
        if isinstance(value, pd.Timestamp | datetime | date):
            return self._checked(pd.Timestamp(value).to_pydatetime())
        if isinstance(value, int | float) and not isinstance(value, bool):
            epoch = _epoch(value)
            if epoch is None:
                raise ValueError(
                    _l(
                        "is a number, not a date; format the cell as a date or write "
                        "2024-07-04 (epoch seconds and milliseconds are read too)"
                    )
                )
            return self._checked(epoch)
        if not isinstance(value, str):
            raise ValueError(_l("is a {kind}, not a date", kind=type(value).__name__))
        text = " ".join(value.strip().split())
        if text.startswith(("9999-12-31", "31.12.9999", "9999/12/31", "12/31/9999")):
            return None
        if _EPOCH.match(text):
            epoch = _epoch(int(text))
            if epoch is not None:
                return self._checked(epoch)
        spelled = _SPELLED.match(text)
        if spelled and spelled.group(2).casefold() in _MONTHS:
            day, year = int(spelled.group(1)), int(spelled.group(3))
            try:
                return self._checked(datetime(year, _MONTHS[spelled.group(2).casefold()], day))
            except ValueError:
                raise ValueError(_l("is not a valid date (no such day)")) from None
        german = _GERMAN.match(text)
        if german:
            day, month, year = (int(g) for g in german.groups())
            try:
                return self._checked(datetime(year, month, day))
            except ValueError as exc:
                if "outside" in str(exc):
                    raise
                raise ValueError(_l("is not a valid date (no such day)")) from None
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            parsed = self._parse_other(text)
        return self._checked(parsed)

    def _parse_other(self, text: str) -> datetime:
        m = _SLASH.match(text)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            day_first = self.day_first
            if a > 12:
                day_first = True
            elif b > 12:
                day_first = False
            if day_first is None and a != b:
                raise ValueError(
                    _l(
                        "is ambiguous (day/month or month/day?) and no other date in the column "
                        "tells; write it as 2024-07-04"
                    )
                )
            year = "%Y" if len(m.group(3)) == 4 else "%y"
            fmt = ("%d/%m/" if day_first or day_first is None else "%m/%d/") + year
            try:
                return datetime.strptime(text.split(" ")[0], fmt)
            except ValueError:
                raise ValueError(_l("is not a valid date")) from None
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        spelled = self._spelled_fallback(text)
        if spelled is not None:
            return spelled
        raise ValueError(_l("is not a date; use 2024-07-04, 04.07.2024 or Jul 4, 2024"))

    def _spelled_fallback(self, text: str) -> datetime | None:
        """dateparser, last: only for text with a word and a number (a spelled month), and only
        until the column has failed :data:`SPELLED_FALLBACK_TRIES` times."""
        if (
            self._fallback_failures >= SPELLED_FALLBACK_TRIES
            or len(text) > 60
            or not _SPELLED_HINT.search(text)
        ):
            return None
        found = _dateparser_read(text)
        if found is None:
            self._fallback_failures += 1
        return found

    @staticmethod
    def _checked(moment: datetime) -> pd.Timestamp | None:
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        if moment.year == 9999:
            return None
        if not (_MIN <= moment <= _MAX):
            raise ValueError(_l("is outside the supported years 1678-2261"))
        return pd.Timestamp(moment)


_DATEPARSER: list[object] = []


def _dateparser_read(text: str) -> datetime | None:
    """``text`` as an absolute date with day, month and year in German, English or French."""
    if not _DATEPARSER:
        from dateparser.date import DateDataParser

        _DATEPARSER.append(
            DateDataParser(
                languages=["de", "en", "fr"],
                settings={
                    "PARSERS": ["absolute-time"],
                    "REQUIRE_PARTS": ["day", "month", "year"],
                    "STRICT_PARSING": True,
                    "RETURN_AS_TIMEZONE_AWARE": False,
                },
            )
        )
    parser: Any = _DATEPARSER[0]
    try:
        found = parser.get_date_data(text).date_obj
    except (ValueError, OverflowError, TypeError):
        return None
    return found if isinstance(found, datetime) else None


def _epoch(value: float) -> datetime | None:
    """Epoch seconds or milliseconds (UTC) as a naive UTC datetime; None when out of range or
    not whole."""
    if value != int(value):
        return None
    number = int(value)
    if _EPOCH_SECONDS[0] <= number < _EPOCH_SECONDS[1]:
        return datetime.fromtimestamp(number, UTC).replace(tzinfo=None)
    if _EPOCH_MILLIS[0] <= number < _EPOCH_MILLIS[1]:
        return datetime.fromtimestamp(number / 1000, UTC).replace(tzinfo=None)
    return None


_FAST_DATES = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d"),
    (re.compile(r"^\d{2}\.\d{2}\.\d{4}$"), "%d.%m.%Y"),
)


def _all_text(cells: list[object]) -> pd.Series | None:
    if not cells or not all(type(c) is str for c in cells):
        return None
    return pd.Series(cells, dtype="string")


def fast_numbers(cells: list[object], decimal: str) -> tuple[np.ndarray, np.ndarray]:
    """(positions, values) of the cells that are plain numbers, read in one vectorised pass; every
    other cell is left to :func:`parse_number` (which also explains what is wrong)."""
    text = _all_text(cells)
    if text is None:
        return np.empty(0, dtype=np.int64), np.empty(0)
    pattern = (FAST_COMMA if decimal == "," else FAST_POINT).pattern
    plain = text.str.fullmatch(pattern).to_numpy(dtype=bool, na_value=False)
    positions = np.flatnonzero(plain)
    chosen = [str(cells[i]) for i in positions.tolist()]
    if decimal == ",":
        chosen = [c.replace(",", ".") for c in chosen]
    return positions, np.array(chosen, dtype=np.float64)


def fast_dates(cells: list[object]) -> tuple[np.ndarray, np.ndarray]:
    """(positions, timestamps) of the cells in the column's dominant plain form (``2024-07-04``
    or ``04.07.2024``) that are valid dates in the supported range; the rest is left to
    :class:`DateReader`."""
    none = np.empty(0, dtype=np.int64), np.empty(0, dtype="datetime64[ns]")
    text = _all_text(cells)
    if text is None:
        return none
    sample = next((c for c in cells if isinstance(c, str) and c.strip()), "")
    for regex, fmt in _FAST_DATES:
        if regex.match(sample):
            plain = text.str.fullmatch(regex.pattern).to_numpy(dtype=bool, na_value=False)
            parsed = pd.to_datetime(text[plain], format=fmt, errors="coerce")
            ok = (
                parsed.notna()
                & (parsed >= pd.Timestamp(_MIN))
                & (parsed < pd.Timestamp(datetime(9999, 1, 1)))
                & (parsed <= pd.Timestamp(_MAX))
            ).to_numpy(dtype=bool)
            return np.flatnonzero(plain)[ok], parsed[ok].to_numpy(dtype="datetime64[ns]")
    return none
