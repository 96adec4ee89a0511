"""Values between pandas frames and Neo4j properties, both ways.

Writing (:func:`to_rows`): every frame row becomes one parameter map holding *every* column of
the frame; a missing value (NaN, None, NaT, pd.NA) is sent as ``null``, which in ``SET n += row``
means "no such property" (it is never stored, and a stale one is removed). Dates are sent as
Python ``date`` (Neo4j ``Date``); a timestamp with a time of day as a naive ``datetime`` (Neo4j
``LocalDateTime``), so nothing is lost. numpy scalars become Python numbers. Nothing here builds
query text: values only travel as parameters.

Reading (:func:`to_frame`): property maps become a frame in the canonical form of
:mod:`graphcap.model`: known columns typed by their spec (text -> ``object`` holding ``str`` or
``None``, dates -> ``datetime64[ns]``, numbers -> ``float64``, counts -> ``Int64``), every known
optional column present (empty where no row has it), extra properties typed from their values.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ROW_KEY",
    "columns_to_frame",
    "frame_interaction_keys",
    "interaction_keys",
    "row_fingerprints",
    "to_columns",
    "to_frame",
    "to_rows",
    "to_python",
]

#: The stored property holding the fingerprint of the import row an entity was last written from
#: (:func:`row_fingerprints`); the importer compares it client-side to skip unchanged rows.
ROW_KEY = "__gc_row"


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def to_python(value: Any) -> Any:
    """One cell as a value the driver sends as it is: ``None`` for missing, ``date`` for a
    midnight timestamp, ``datetime`` (naive) otherwise, Python numbers for numpy scalars."""
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        if value.tzinfo is None and value == value.normalize():
            return value.date()
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return to_python(value.item())
    if isinstance(value, list | tuple):
        return [to_python(v) for v in value]
    return value


#: Python types a cell is sent as it is (:func:`to_python` returns them unchanged)
_PLAIN = frozenset((str, int, float, bool))


def _column(series: pd.Series) -> list[Any]:
    """:func:`to_python` of every cell of ``series``, column-wise where the dtype allows."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        present = series.dropna()
        if getattr(series.dtype, "tz", None) is None and (present == present.dt.normalize()).all():
            # all dates: numpy turns datetime64[D] into ``date`` objects (NaT into None) in C
            return list(series.to_numpy().astype("datetime64[D]").astype(object))
        return [to_python(v) for v in series]
    if pd.api.types.is_float_dtype(series.dtype) and not isinstance(series.dtype, pd.ArrowDtype):
        values = series.to_numpy(dtype="float64")
        cells = values.astype(object)
        cells[np.isnan(values)] = None
        return list(cells)
    cells = series.to_numpy(dtype=object)
    missing = series.isna().to_numpy(dtype=bool)
    if set(map(type, cells[~missing])) <= _PLAIN:  # exact types: NaN is missing, not present
        cells = cells.copy()
        cells[missing] = None
        return list(cells)
    return [to_python(v) for v in series.tolist()]


def to_columns(frame: pd.DataFrame, columns: Sequence[str]) -> list[list[Any]]:
    """``frame[columns]`` as one list of values per column (the values :func:`to_rows` puts in
    its maps): what a query taking parallel lists (``$p0[i]``) is sent."""
    return [_column(frame[c]) for c in columns]


def to_rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    """``frame[columns]`` as a list of property maps (missing values as ``None``)."""
    if not len(frame):
        return []
    if not columns:  # only key columns (e.g. edges with just source, target, type): empty maps
        return [{} for _ in range(len(frame))]
    cols = to_columns(frame, columns)
    return [dict(zip(columns, values, strict=True)) for values in zip(*cols, strict=True)]


def _tagged(value: Any) -> str:
    return "" if _missing(value) else f"{type(value).__name__}:{value!r}"


def _tagged_hashes(series: pd.Series, missing: np.ndarray) -> np.ndarray:
    """The hash of :func:`_tagged` of every cell (what a cell in ``missing`` gets does not
    matter). A text column (every present cell exactly ``str``) and a timestamp column are
    tagged and hashed once per distinct value: equal values there have equal tags, and a date
    column holds few distinct days (``repr`` of a timestamp is the costly part). Other columns
    (mixed types, where ``1 == 1.0 == True`` would merge distinct tags) cell by cell."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        codes, uniques = pd.factorize(series)
        tagged = [_tagged(v) for v in uniques]
    else:
        cells = series.to_numpy(dtype=object)
        if set(map(type, cells[~missing])) <= {str}:
            codes, uniques = pd.factorize(cells)
            tagged = ["str:" + text for text in map(repr, uniques)]
        else:
            codes, tagged = None, [_tagged(v) for v in series.tolist()]
    hashes = pd.util.hash_pandas_object(pd.Series(tagged, dtype=object), index=False)
    hashes = hashes.to_numpy(dtype=np.uint64)
    if codes is None:
        return hashes
    return hashes[codes] if len(hashes) else np.zeros(len(series), dtype=np.uint64)


_MIX = np.uint64(0x100000001B3)


def row_fingerprints(
    frame: pd.DataFrame, columns: Sequence[str], extra: pd.Series | None = None
) -> np.ndarray:
    """A 64-bit fingerprint per row of ``frame[columns]`` (``int64``, as Neo4j stores it),
    computed column by column without a Python call per row where the dtype allows.

    Equal fingerprints mean equal parameter rows (:func:`to_rows`): each column's name and dtype
    are mixed in with its values (a timestamp by its nanoseconds: :func:`to_rows` sends it as a
    date exactly when it is at midnight), and an ``object`` column's values are hashed with their
    Python type (``1``, ``1.0`` and ``"1"`` differ). A missing cell adds nothing, exactly as a
    column the frame lacks (both are sent as null: no property). ``extra`` (e.g. the label a
    stakeholder is written with) is mixed in as one more column. Deterministic across processes
    (pandas' keyed hash of fixed key)."""
    n = len(frame)
    acc = np.full(n, 0xCBF29CE484222325, dtype=np.uint64)
    parts = [(str(c), frame[c]) for c in sorted(columns, key=str)]
    if extra is not None:
        parts.append(("\x00extra", extra.reset_index(drop=True)))
    with np.errstate(over="ignore"):
        for name, series in parts:
            missing = series.isna().to_numpy(dtype=bool)
            dtype = series.dtype
            if isinstance(dtype, pd.CategoricalDtype) or not (
                pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
            ):
                column = _tagged_hashes(series, missing)
                how = "object"
            else:
                column = pd.util.hash_pandas_object(series, index=False).to_numpy(dtype=np.uint64)
                how = str(dtype)
            tag = pd.util.hash_pandas_object(pd.Series([f"{name}\x00{how}"]), index=False)
            mixed = (acc ^ column ^ tag.to_numpy(dtype=np.uint64)[0]) * _MIX
            # a missing cell is sent as null, which is the same as no such column: it leaves the
            # fingerprint alone (an export's empty extra columns do not make a row look changed)
            acc = np.where(missing, acc, mixed)
    return acc.view(np.int64)


def interaction_keys(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """A stable key per interaction row: a hash of its values plus how many identical rows came
    before it, so two identical log entries stay two entries and a re-import finds both again.

    Missing values are left out of the hash: a row without a ``sentiment`` column and the same
    row with an empty ``sentiment`` cell (graphcap's own export writes every column) are one."""
    seen: dict[str, int] = {}
    keys: list[str] = []
    for row in rows:
        body = json.dumps(
            [[k, _jsonable(row[k])] for k in sorted(row) if not _missing(row[k])],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        n = seen.get(body, 0)
        seen[body] = n + 1
        keys.append(hashlib.sha256(f"{body}#{n}".encode()).hexdigest()[:32])
    return keys


def frame_interaction_keys(frame: pd.DataFrame) -> list[str]:
    """:func:`interaction_keys` of ``frame``'s rows as the importer sends them (every column,
    ``source`` and ``target`` as text), built column by column: the same bytes are hashed, so
    the keys equal the stored ones, without a JSON dump of each row."""
    columns = sorted(frame.columns)
    parts: list[list[str | None]] = []
    for column in columns:
        values = _column(frame[column])
        if column in ("source", "target"):
            values = [str(v) for v in values]
        head = "[" + _json_text(str(column)) + ","
        parts.append([None if v is None else head + _json_cell(v) + "]" for v in values])
    seen: dict[str, int] = {}
    keys: list[str] = []
    sha256 = hashlib.sha256
    for cells in zip(*parts, strict=True):
        body = "[" + ",".join([c for c in cells if c is not None]) + "]"
        n = seen.get(body, 0)
        seen[body] = n + 1
        keys.append(sha256(f"{body}#{n}".encode()).hexdigest()[:32])
    return keys


_json_text = json.encoder.encode_basestring  # type: ignore[attr-defined]  # json.dumps(str) with ensure_ascii=False


def _json_cell(value: Any) -> str:
    """``json.dumps(_jsonable(value), ensure_ascii=False, separators=(",", ":"))``, directly
    for the common exact types."""
    kind = type(value)
    if kind is str:
        return _json_text(value)
    if kind is float:
        return '"' + repr(value) + '"'
    if kind is int:
        return repr(value)
    if kind is date or kind is datetime:
        return '"' + value.isoformat() + '"'
    return json.dumps(_jsonable(value), ensure_ascii=False, separators=(",", ":"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value if value is None or isinstance(value, bool | int | str) else repr(value)


# -- reading ---------------------------------------------------------------------------------


def _native(value: Any) -> Any:
    """A Neo4j temporal value as a pandas-friendly Python value; others unchanged."""
    to_native = getattr(value, "to_native", None)
    if to_native is not None and type(value).__module__.startswith("neo4j.time"):
        return to_native()
    return value


def _typed(values: list[Any], kind: str | None) -> pd.Series:
    """A column of read values with the dtype its spec (``kind``) or its values call for."""
    present = [v for v in values if v is not None]
    if kind is None:  # an extra property: type from its values
        if present and all(isinstance(v, date) for v in present):
            kind = "date"
        elif present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            kind = "count"
        elif present and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in present
        ):
            kind = "number"
        elif present and all(isinstance(v, bool) for v in present):
            return pd.Series(values, dtype="boolean")
        else:
            kind = "text" if all(isinstance(v, str) for v in present) else "object"
    if kind == "date":
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype="datetime64[ns]")
    if kind == "count":
        return pd.Series(values, dtype="Int64")
    if kind in {"number", "unit", "signed_unit"}:
        return pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    return pd.Series(values, dtype=object)


def to_frame(
    records: Iterable[Mapping[str, Any]],
    *,
    required: Sequence[str],
    optional: Mapping[str, str],
    drop: Iterable[str] = (),
    drop_prefix: str | None = None,
) -> pd.DataFrame:
    """Property maps as a canonical frame: ``required`` and every ``optional`` column first
    (typed by their spec), then the extra properties in name order."""
    rows = list(records)
    names = dict.fromkeys(k for r in rows for k in r)
    columns = {name: [r.get(name) for r in rows] for name in names}
    return columns_to_frame(
        columns, len(rows), required=required, optional=optional, drop=drop, drop_prefix=drop_prefix
    )


def columns_to_frame(
    columns: Mapping[str, list[Any]],
    length: int,
    *,
    required: Sequence[str],
    optional: Mapping[str, str],
    drop: Iterable[str] = (),
    drop_prefix: str | None = None,
) -> pd.DataFrame:
    """:func:`to_frame` of properties read column by column: ``columns`` maps each property
    to its ``length`` values (``None`` where a row lacks it); a property absent from
    ``columns`` is missing in every row."""
    dropped = set(drop)
    extra = sorted(
        k
        for k in columns
        if k not in required
        and k not in optional
        and k not in dropped
        and not (drop_prefix and k.startswith(drop_prefix))
    )
    missing = [None] * length
    data: dict[str, pd.Series] = {}
    for name in [*required, *optional, *extra]:
        kind = "text" if name in required and name != "date" else None
        kind = "date" if name == "date" else optional.get(name, kind)
        values = columns.get(name)
        native = missing if values is None else [_native(v) for v in values]
        data[name] = _typed(native, kind)
    return pd.DataFrame(data, index=pd.RangeIndex(length))
