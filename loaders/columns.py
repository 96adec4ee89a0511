"""Typed columns: a column of raw cells read as dates or numbers, one problem per bad cell.

The bulk of a real file is plain (``2024-07-04``, ``04.07.2024``, ``1234,5``) and is read in one
vectorised pass (:func:`loaders.cells.fast_dates`, :func:`loaders.cells.fast_numbers`); every
other cell goes through the careful readers (:class:`loaders.cells.DateReader`,
:func:`loaders.cells.parse_number`), which also say what is wrong. Range checks (scores in
[0, 1], sentiment in [-1, 1], whole non-negative counts) run on the whole column at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from graphcap.i18n import lazy_gettext as _l
from loaders.cells import MISSING_NUMBER, DateReader, fast_dates, fast_numbers, parse_number

__all__ = ["is_missing_cell", "read_dates", "read_numbers", "type_extra"]

#: ``error(position, value, why)``: report one bad cell
ErrorSink = Callable[[int, Any, str], None]


def is_missing_cell(cell: Any) -> bool:
    """An empty cell, or a missing-value token of number and date columns (``NULL``, ``NA``...)."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return True
    return isinstance(cell, str) and cell.strip() in MISSING_NUMBER


def _typed_dates(cells: list[Any]) -> tuple[list[int], np.ndarray]:
    """Cells that already are timestamps without a time zone (a recipe's SQL, a workbook):
    taken as they are, to the microsecond as :class:`loaders.cells.DateReader` takes them;
    9999 (the open end) and zoned ones are left to the reader."""
    positions = [
        i
        for i, c in enumerate(cells)
        if type(c) is pd.Timestamp and c.tzinfo is None and c.year != 9999
    ]
    if not positions:
        return [], np.array([], dtype="datetime64[ns]")
    stamps = pd.DatetimeIndex([cells[i] for i in positions]).floor("us")
    return positions, stamps.to_numpy(dtype="datetime64[ns]")


def read_dates(cells: list[Any], *, required: bool, error: ErrorSink) -> np.ndarray:
    """Dates of a column (``datetime64[ns]``, NaT where missing or wrong)."""
    out = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[ns]")
    done = np.zeros(len(cells), dtype=bool)
    for positions, stamps in (fast_dates(cells), _typed_dates(cells)):
        out[positions] = stamps
        done[positions] = True
    reader = DateReader(cells)
    seen: dict[Any, Any] = {}
    for i, cell in enumerate(cells):
        if done[i]:
            continue
        if is_missing_cell(cell):
            if required:
                error(i, None, _l("empty date; every interaction needs one"))
            continue
        key = cell if isinstance(cell, str) else None
        found = seen.get(key) if key is not None else None
        if found is None:
            try:
                found = reader.parse(cell)
            except ValueError as exc:
                found = exc
            if key is not None and found is not None:
                seen[key] = found
        if isinstance(found, ValueError):
            error(i, cell, _l("value {why}", why=found.args[0]))
        elif found is not None:
            out[i] = found.to_datetime64()
    return out


def read_numbers(cells: list[Any], kind: str, decimal: str, *, error: ErrorSink) -> np.ndarray:
    """Numbers of a column (float, NaN where missing or wrong). ``kind``: ``number``, ``unit``
    ([0, 1]; ``80 %`` is 0.8), ``signed_unit`` ([-1, 1]) or ``count`` (whole, not negative)."""
    n = len(cells)
    values = np.full(n, np.nan)
    ok = np.zeros(n, dtype=bool)
    percent = np.zeros(n, dtype=bool)
    positions, numbers = fast_numbers(cells, decimal)
    values[positions], ok[positions] = numbers, True
    typed = [  # numbers already (a recipe's SQL, a workbook): as parse_number takes them
        i
        for i, c in enumerate(cells)
        if (type(c) is float and math.isfinite(c)) or (type(c) is int and abs(c) < 2**1000)
    ]
    values[typed] = [float(cells[i]) for i in typed]
    ok[typed] = True
    for i, cell in enumerate(cells):
        if ok[i] or is_missing_cell(cell):
            continue
        try:
            values[i], percent[i] = parse_number(cell, decimal)
            ok[i] = True
        except ValueError as exc:
            error(i, cell, _l("value {why}", why=exc.args[0]))
    if kind in ("unit", "signed_unit"):
        values[percent] /= 100
    low = {"unit": 0.0, "signed_unit": -1.0, "count": 0.0}.get(kind, -np.inf)
    high = 1.0 if kind in ("unit", "signed_unit") else np.inf
    with np.errstate(invalid="ignore"):
        bad = ok & ~((values >= low) & (values <= high) & np.isfinite(values))
        if kind == "count":
            bad |= ok & (values != np.floor(values))
        if kind not in ("unit", "signed_unit"):
            bad |= percent
    for i in np.flatnonzero(bad).tolist():
        number = values[i]
        if not np.isfinite(number):
            why = _l("value is too large to be a number")
        elif percent[i] and kind not in ("unit", "signed_unit"):
            why = _l("is a percentage; this column takes a plain number")
        elif kind == "unit" and 1 < number <= 100:
            why = _l("must be between 0 and 1 (for a percentage write 80 %)")
        elif kind == "unit":
            why = _l("must be between 0 and 1")
        elif kind == "signed_unit":
            why = _l("must be between -1 and 1")
        else:
            why = _l("must be a whole number, 0 or more")
        error(i, cells[i], why)
    values[~ok | bad] = np.nan
    return values


_PLAIN_NUMBER = {
    ".": re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$"),
    ",": re.compile(r"^-?(?:0|[1-9]\d*)(?:,\d+)?$"),
}
_BOOLEAN = {"true": True, "false": False}


def type_extra(cells: list[Any], decimal: str | None) -> list[Any] | np.ndarray:
    """An extra column (one the model does not know) as numbers or booleans when every cell
    says so, else unchanged: ``"42"``, ``"0.5"`` become numbers (Cypher can add them up),
    ``"True"``/``"false"`` booleans. Text with leading zeros (``"00123"``) stays text: it is an
    id, not a number. Missing cells are ``None`` already."""
    present = [c for c in cells if c is not None]
    if not present or not all(isinstance(c, str) for c in present):
        return cells
    folded = [c.strip().casefold() for c in present]
    if all(c in _BOOLEAN for c in folded):
        return [None if c is None else _BOOLEAN[c.strip().casefold()] for c in cells]
    pattern = _PLAIN_NUMBER[decimal or "."]
    if not all(pattern.match(c.strip()) for c in present):
        return cells
    numbers = [None if c is None else float(c.strip().replace(",", ".")) for c in cells]
    if all(n is not None for n in numbers) and all(
        "." not in c and "," not in c and "e" not in c for c in folded
    ):
        return np.array(numbers, dtype=np.int64)
    return np.array([np.nan if n is None else n for n in numbers], dtype=np.float64)
