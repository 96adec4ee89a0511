"""The column-wise conversion of the exports (``plain_column``) gives exactly what the per-cell
definition (``to_python``) gives, on every dtype the frames carry and on awkward values; the
records built from it equal the row-by-row records."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphcap.export._records import column_kinds, iter_records, plain_column, to_python
from graphcap.export.tables import json_text, to_node_link, to_records
from tests.export.netcases import hostile_network

KINDS = ("string", "double", "long", "boolean", "date")


def _columns() -> dict[str, pd.Series]:
    rng = np.random.default_rng(7)
    floats = rng.normal(size=60) * 1e6
    floats[[1, 5, 9]] = [np.nan, np.inf, -np.inf]
    stamps = pd.Series(
        pd.to_datetime("2024-03-01") + pd.to_timedelta(rng.integers(0, 900, 60), "D")
    )
    stamps[[2, 3]] = [pd.NaT, pd.Timestamp("2024-05-06 13:45:07.123456")]
    text = [f"Müller {i}" if i % 7 else None for i in range(60)]
    text[3] = "=HYPERLINK(1)"
    text[4] = "a\r\nb\x00"
    return {
        "float64": pd.Series(floats),
        "float_whole": pd.Series(np.arange(60, dtype=float)),
        "int64": pd.Series(rng.integers(-(2**40), 2**40, 60)),
        "uint8": pd.Series(rng.integers(0, 255, 60).astype(np.uint8)),
        "bool": pd.Series(rng.integers(0, 2, 60).astype(bool)),
        "Int64": pd.Series([i if i % 4 else None for i in range(60)], dtype="Int64"),
        "Float64": pd.Series([i / 3 if i % 5 else None for i in range(60)], dtype="Float64"),
        "str": pd.Series(text, dtype="str"),
        "string_python": pd.Series(text, dtype=pd.StringDtype("python")),
        "object_text": pd.Series(text, dtype=object),
        "object_mixed": pd.Series(
            [1, 2.5, "x", None, True, dt.date(2024, 1, 2), np.nan, float("inf"), "", "-3"] * 6,
            dtype=object,
        ),
        "datetime_us": stamps.astype("datetime64[us]"),
        "datetime_ns": stamps.astype("datetime64[ns]"),
        "datetime_tz": stamps.dt.tz_localize("Europe/Berlin"),
        "all_missing_dates": pd.Series([pd.NaT] * 60, dtype="datetime64[us]"),
        "empty_float": pd.Series([], dtype=float),
    }


def _same(a: list, b: list) -> bool:
    return len(a) == len(b) and all(
        type(x) is type(y)
        and (x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y)))
        for x, y in zip(a, b, strict=True)
    )


@pytest.mark.parametrize("name", list(_columns()))
@pytest.mark.parametrize("kind", KINDS)
def test_plain_column_equals_the_per_cell_definition(name: str, kind: str) -> None:
    series = _columns()[name]
    try:
        expected = [to_python(v, kind) for v in series.tolist()]
    except (TypeError, ValueError, OverflowError):
        with pytest.raises((TypeError, ValueError, OverflowError)):
            plain_column(series, kind)
        return
    assert _same(plain_column(series, kind), expected)


def test_records_equal_the_row_by_row_records() -> None:
    net = hostile_network()
    frames = [net.nodes, net.edges, net.interactions, pd.DataFrame(_columns()).iloc[:-1]]
    frames = [f for f in frames if len(f.columns)]
    for frame in frames:
        kinds = column_kinds(frame)
        cols = [str(c) for c in frame.columns]
        rows = [
            {c: to_python(v, kinds[c]) for c, v in zip(cols, row, strict=True)}
            for row in frame.itertuples(index=False, name=None)
        ]
        assert to_records(frame) == rows
        assert list(iter_records(frame)) == [
            {c: v for c, v in r.items() if v is not None} for r in rows
        ]
    no_columns = pd.DataFrame(index=range(3))
    assert to_records(no_columns) == [{}, {}, {}]
    assert list(iter_records(no_columns)) == [{}, {}, {}]


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
)
_docs = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_docs)
def test_json_text_equals_json_dumps(doc: object) -> None:
    assert json_text(doc) == json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=1)


def test_json_text_of_a_node_link_document_and_the_fallbacks() -> None:
    doc = to_node_link(hostile_network(), {"extra": pd.DataFrame(_columns()).iloc[:-1]})
    assert json_text(doc) == json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=1)
    odd = {"a": [{1: "int key"}], "b": (1, 2)}  # left to the json module: same text
    assert json_text(odd) == json.dumps(odd, ensure_ascii=False, allow_nan=False, indent=1)
    with pytest.raises(ValueError):
        json_text({"x": [float("nan")]})
    with pytest.raises(TypeError):
        json_text({"x": [np.int64(1)]})


def test_xlsx_dates_column_wise_are_excel_dates_with_the_right_format(tmp_path):
    import openpyxl

    from graphcap.export.tables import export_xlsx
    from graphcap.model import Network

    moments = ["2024-03-01", None, "2024-03-01 13:45:07", "1999-12-31 00:00:00.5"]
    nodes = pd.DataFrame(
        {"id": ["a", "b", "c", "d"], "name": list("ABCD"), "type": ["customer"] * 4}
    )
    extra = pd.DataFrame(
        {
            "us": pd.to_datetime(pd.Series(moments), format="ISO8601").astype("datetime64[us]"),
            "ns": pd.to_datetime(pd.Series(moments), format="ISO8601").astype("datetime64[ns]"),
            "tz": pd.to_datetime(pd.Series(moments), format="ISO8601").dt.tz_localize("UTC"),
        }
    )
    net = Network(nodes=nodes, edges=pd.DataFrame(columns=["source", "target", "type"]))
    ws = openpyxl.load_workbook(export_xlsx(net, tmp_path, stem="d", extra={"when": extra}))["when"]
    for col in "AB":
        cells = [ws[f"{col}{r}"] for r in range(2, 6)]
        assert [c.value for c in cells] == [
            dt.datetime(2024, 3, 1),
            None,
            dt.datetime(2024, 3, 1, 13, 45, 7),
            dt.datetime(1999, 12, 31, 0, 0, 0, 500000),
        ]
        formats = [c.number_format for c in cells]
        assert formats[0] == "yyyy-mm-dd"
        assert formats[2] == formats[3] == "yyyy-mm-dd hh:mm:ss"
    # a zone-aware moment is not an Excel date: its ISO text
    assert [ws[f"C{r}"].value for r in range(2, 6)] == [
        "2024-03-01T00:00:00+00:00",
        None,
        "2024-03-01T13:45:07+00:00",
        "1999-12-31T00:00:00.500000+00:00",
    ]
