"""Exact encoding of frames and metadata for snapshot files.

Parquet keeps most pandas dtypes (``str``, ``Int64``, ``float64``, ``bool``, ``category``,
``datetime64[ns]``), but not all: pandas 3 reads an ``object`` column of text back as ``str``,
``datetime64[s]`` comes back as ``[ms]``, ``None`` and ``NaN`` in an object column become one,
and a column mixing numbers and text cannot be written at all. So every column's dtype is
recorded and restored, and ``object`` columns are written either as text (only ``str`` and
``None`` in them) or as one tagged JSON value per cell (anything else: numbers, lists, dates,
missing markers), which brings back each cell's Python type.

Metadata values use the same tagged JSON: ``{"$date": "2026-11-01"}``, ``{"$datetime": ...}``,
``{"$timestamp": ...}``, ``{"$float": "nan"}``, ``{"$tuple": [...]}``, ``{"$na": true}``,
``{"$nat": true}``, ``{"$dict": [[key, value], ...]}`` (for keys starting with ``$``).
numpy scalars are stored as the matching Python number.
"""

from __future__ import annotations

import io
import json
import math
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from graphcap.errors import ExportError
from graphcap.i18n import gettext

__all__ = ["decode_frame", "decode_value", "encode_frame", "encode_value"]


def encode_value(value: Any, *, where: str = "value") -> Any:
    """``value`` as JSON-compatible data that :func:`decode_value` turns back into it."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.generic):
        return encode_value(value.item(), where=where)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if value is pd.NaT:
        return {"$nat": True}
    if value is pd.NA:
        return {"$na": True}
    if isinstance(value, pd.Timestamp):
        return {"$timestamp": value.isoformat()}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, list):
        return [encode_value(v, where=where) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode_value(v, where=where) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise ExportError(
                gettext("{where}: dictionary keys must be text, got {value!r}").format(
                    where=where, value=list(value)[:5]
                )
            )
        if any(k.startswith("$") for k in value):
            return {"$dict": [[k, encode_value(v, where=where)] for k, v in value.items()]}
        return {k: encode_value(v, where=f"{where}[{k!r}]") for k, v in value.items()}
    raise ExportError(
        gettext(
            "{where}: a value of type {name} cannot be stored in a snapshot (use text, numbers, booleans, dates, lists or dictionaries)"
        ).format(where=where, name=type(value).__name__)
    )


_TAGS = {
    "$float": float,
    "$timestamp": pd.Timestamp,
    "$datetime": datetime.fromisoformat,
    "$date": date.fromisoformat,
    "$nat": lambda _: pd.NaT,
    "$na": lambda _: pd.NA,
}


def decode_value(data: Any) -> Any:
    """The inverse of :func:`encode_value`."""
    if isinstance(data, list):
        return [decode_value(v) for v in data]
    if isinstance(data, dict):
        if len(data) == 1:
            ((tag, inner),) = data.items()
            if tag in _TAGS:
                return _TAGS[tag](inner)
            if tag == "$tuple":
                return tuple(decode_value(v) for v in inner)
            if tag == "$dict":
                return {str(k): decode_value(v) for k, v in inner}
        return {k: decode_value(v) for k, v in data.items()}
    return data


def _object_codec(values: np.ndarray) -> str:
    """``object_str`` when every cell is a ``str`` or ``None``, else ``json``."""
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        return "json"
    missing = values[pd.isna(values)]
    return "object_str" if all(v is None for v in missing) else "json"


def encode_frame(frame: pd.DataFrame, *, what: str) -> tuple[bytes, list[dict[str, str]]]:
    """Parquet bytes for ``frame`` and the column specs needed to restore it exactly.

    The row index is not kept: frames come back indexed 0..n-1, in the same row order.
    """
    names = list(frame.columns)
    if not all(isinstance(n, str) for n in names):
        raise ExportError(
            gettext("{what}: column names must be text, got {names!r}").format(
                what=what, names=names
            )
        )
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ExportError(
            gettext("{what}: duplicate column name(s) {dup}").format(what=what, dup=dup)
        )
    columns: list[dict[str, str]] = []
    arrays: list[pa.Array] = []
    for name in names:
        series = frame[name]
        spec = {"name": name, "dtype": str(series.dtype), "codec": "arrow"}
        try:
            if series.dtype == object:
                values = series.to_numpy(dtype=object)
                spec["codec"] = _object_codec(values)
                if spec["codec"] == "json":
                    values = np.array(
                        [
                            json.dumps(
                                encode_value(
                                    v,
                                    where=gettext("{what}, column {name!r}").format(
                                        what=what, name=name
                                    ),
                                ),
                                ensure_ascii=False,
                            )
                            for v in values
                        ],
                        dtype=object,
                    )
                arrays.append(pa.array(values, type=pa.string(), from_pandas=False))
            else:
                arrays.append(pa.Array.from_pandas(series.reset_index(drop=True)))
        except (pa.ArrowException, TypeError, ValueError) as exc:
            raise ExportError(
                gettext("{what}, column {name!r} (dtype {dtype}) cannot be stored: {exc}").format(
                    what=what, name=name, dtype=series.dtype, exc=exc
                )
            ) from exc
        columns.append(spec)
    if names:
        table = pa.Table.from_arrays(arrays, names=names)
        # keep pandas' own metadata (extension types such as Int64) for the arrow-coded columns
        empty = frame.iloc[:0].reset_index(drop=True)
        table = table.replace_schema_metadata(
            pa.Schema.from_pandas(empty, preserve_index=False).metadata
        )
    else:  # a frame without columns still has a length
        table = pa.table({"__rows__": pa.nulls(len(frame))})
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue(), columns


def decode_frame(blob: bytes, columns: list[dict[str, str]]) -> pd.DataFrame:
    """The frame :func:`encode_frame` wrote, with every column's dtype as recorded."""
    table = pq.read_table(io.BytesIO(blob))
    names = [c["name"] for c in columns]
    if not names:
        return pd.DataFrame(index=pd.RangeIndex(table.num_rows))
    if table.column_names != names:
        raise ValueError(
            gettext("columns {column_names} do not match the manifest {names}").format(
                column_names=table.column_names, names=names
            )
        )
    arrow_cols = [c["name"] for c in columns if c["codec"] == "arrow"]
    frame = table.select(arrow_cols).to_pandas()  # pandas' metadata restores extension dtypes
    out: dict[str, pd.Series] = {}
    for spec in columns:
        name, dtype, codec = spec["name"], spec["dtype"], spec["codec"]
        if codec == "object_str":
            out[name] = pd.Series(table.column(name).to_numpy(), dtype=object)
        elif codec == "json":
            cells = [decode_value(json.loads(s)) for s in table.column(name).to_pylist()]
            out[name] = pd.Series(cells, dtype=object)
        elif codec == "arrow":
            series = frame[name]
            out[name] = series if str(series.dtype) == dtype else series.astype(dtype)
        else:
            raise ValueError(gettext("unknown column codec {codec!r}").format(codec=codec))
    return pd.DataFrame(out, index=pd.RangeIndex(table.num_rows), copy=False)
