"""Typed, portable values for every export format.

Each exported column gets one *kind* — ``string``, ``double``, ``long``, ``boolean`` or ``date`` —
taken from the domain model where the column is known (``revenue`` is a number, ``since`` a date)
and from the pandas dtype otherwise. Each value becomes a plain Python value of that kind, or
``None`` when it is missing or not finite (NaN, ±Infinity): formats then leave it out (GraphML,
GEXF) or write ``null`` (JSON) / an empty cell (CSV, XLSX). Dates are ISO 8601 text
(``2024-03-01``, or with the time when there is one), which every target tool reads.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from graphcap.model.schema import DATE_COLUMNS, EDGE_OPTIONAL, INTERACTION_OPTIONAL, NODE_OPTIONAL

__all__ = ["column_kinds", "iter_records", "plain_column", "plain_columns", "to_python"]

_SPEC_KIND = {
    "text": "string",
    "date": "date",
    "number": "double",
    "unit": "double",
    "signed_unit": "double",
    "count": "long",
}
_KNOWN: dict[str, str] = {
    **{c: _SPEC_KIND[k] for c, k in NODE_OPTIONAL.items()},
    **{c: _SPEC_KIND[k] for c, k in EDGE_OPTIONAL.items()},
    **{c: _SPEC_KIND[k] for c, k in INTERACTION_OPTIONAL.items()},
    **{c: "string" for c in ("id", "name", "type", "source", "target")},
    **{c: "date" for c in DATE_COLUMNS},
}


def _dtype_kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series.dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(series.dtype):
        return "long"
    if pd.api.types.is_float_dtype(series.dtype):
        return "double"
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return "date"
    values = series.dropna()
    if len(values) and all(isinstance(v, bool | np.bool_) for v in values):
        return "boolean"
    if len(values) and all(
        isinstance(v, int | np.integer) and not isinstance(v, bool) for v in values
    ):
        return "long"
    if len(values) and all(
        isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)
        for v in values
    ):
        return "double"
    return "string"


def column_kinds(frame: pd.DataFrame) -> dict[str, str]:
    """Column -> kind, known domain columns first, else by dtype (see the module doc)."""
    kinds = {}
    for col in frame.columns:
        known = _KNOWN.get(str(col))
        actual = _dtype_kind(frame[col])
        if known == "long" and actual == "double":  # a count with fractions stays exact
            known = "double"
        kinds[str(col)] = known or actual
    return kinds


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return not math.isfinite(float(value))
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def to_python(value: Any, kind: str) -> Any:
    """``value`` as a plain Python value of ``kind``, or ``None`` if missing / not finite."""
    if _missing(value):
        return None
    if kind == "date":
        if isinstance(value, str):
            return value
        ts = pd.Timestamp(value)
        if ts.tzinfo is None and ts == ts.normalize():
            return ts.date().isoformat()
        return ts.isoformat()
    if kind == "double":
        try:
            out = float(value)
        except (TypeError, ValueError):
            return str(value)
        return out if math.isfinite(out) else None
    if kind == "long":
        try:
            return int(value)
        except (TypeError, ValueError):
            return str(value)
    if kind == "boolean":
        return bool(value)
    if isinstance(value, dt.date | pd.Timestamp):
        return to_python(value, "date")
    return str(value)


def plain_column(series: pd.Series, kind: str) -> list[Any]:
    """``[to_python(v, kind) for v in series.tolist()]``, the same values, without a Python call
    per cell for the common dtypes (numpy numbers and booleans, Arrow strings, naive dates): the
    exports convert tens of thousands of rows."""
    dtype = series.dtype
    numpy_dtype = not isinstance(dtype, pd.api.extensions.ExtensionDtype)
    if kind in ("double", "long") and numpy_dtype and dtype.kind in "fiu":
        values = series.to_numpy()
        finite = np.isfinite(values.astype(float)).tolist()
        cast = float if kind == "double" else int
        return [cast(v) if ok else None for v, ok in zip(values.tolist(), finite, strict=True)]
    if kind == "boolean" and numpy_dtype and dtype.kind == "b":
        return series.tolist()
    if kind == "date" and numpy_dtype and dtype.kind == "M":
        missing = series.isna().to_numpy().tolist()
        midnight = (series == series.dt.normalize()).to_numpy().tolist()
        return [
            None if na else v.date().isoformat() if day else v.isoformat()
            for v, na, day in zip(series.tolist(), missing, midnight, strict=True)
        ]
    if kind == "string" and hasattr(series.array, "__arrow_array__"):
        arrow = series.array.__arrow_array__()
        if str(arrow.type) in ("string", "large_string"):
            return arrow.to_pylist()  # text or None, exactly what to_python gives
    out = []
    for v in series.tolist():
        t = type(v)
        if t is str and kind == "string":
            out.append(v)
        elif t is float and kind == "double":
            out.append(v if math.isfinite(v) else None)
        else:
            out.append(to_python(v, kind))
    return out


def plain_columns(frame: pd.DataFrame, kinds: dict[str, str]) -> list[list[Any]]:
    """Every column of ``frame`` through :func:`plain_column` (column order)."""
    return [plain_column(frame.iloc[:, i], kinds[str(c)]) for i, c in enumerate(frame.columns)]


def iter_records(
    frame: pd.DataFrame, kinds: dict[str, str] | None = None
) -> Iterator[dict[str, Any]]:
    """Rows of ``frame`` as dicts of plain values; missing values are left out of the dict."""
    kinds = column_kinds(frame) if kinds is None else kinds
    cols = [str(c) for c in frame.columns]
    if not cols:
        yield from ({} for _ in range(len(frame)))
        return
    for row in zip(*plain_columns(frame, kinds), strict=True):
        yield {col: py for col, py in zip(cols, row, strict=True) if py is not None}
