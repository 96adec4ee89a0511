"""Row fingerprints (graphcap.store.properties.row_fingerprints): equal fingerprints must mean
equal parameter rows (what the import would send), so an import may leave such rows out."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from graphcap.store.properties import row_fingerprints, to_rows

from .graphcheck import hostile_network


def _fps(frame: pd.DataFrame) -> list[int]:
    return row_fingerprints(frame, list(frame.columns)).tolist()


def test_a_row_s_fingerprint_depends_on_its_values_only():
    nodes = hostile_network().nodes
    fps = _fps(nodes)
    assert len(set(fps)) == len(nodes)  # every row differs from every other
    shuffled = nodes.sample(frac=1.0, random_state=3)
    assert _fps(shuffled) == [fps[i] for i in shuffled.index]  # not its position
    assert _fps(nodes[list(reversed(nodes.columns))]) == fps  # not the column order
    assert row_fingerprints(nodes, list(nodes.columns)).dtype == np.int64  # as Neo4j stores it


def test_what_the_server_would_compare_as_different_differs():
    base = pd.DataFrame({"x": pd.Series(["1"], dtype=object)})
    variants = [
        pd.DataFrame({"x": pd.Series([1], dtype=object)}),  # int in a text column
        pd.DataFrame({"x": pd.Series([1.0], dtype=object)}),
        pd.DataFrame({"x": pd.Series([True], dtype=object)}),
        pd.DataFrame({"x": [1.0]}),
        pd.DataFrame({"x": [1]}),
        pd.DataFrame({"y": pd.Series(["1"], dtype=object)}),  # other column name
        pd.DataFrame({"x": pd.Series([None], dtype=object)}),
    ]
    seen = {_fps(base)[0]}
    # a null more is sent as {x: "1", y: null}: y is absent afterwards, as without the column
    assert _fps(pd.DataFrame({"x": pd.Series(["1"], dtype=object), "y": [np.nan]})) == _fps(base)
    for v in variants:
        fp = _fps(v)[0]
        assert fp not in seen, v
        seen.add(fp)


def test_a_timestamp_changes_its_row_only():
    # to_rows sends a midnight timestamp as a date and any other as a date-time, value by value
    dates = pd.DataFrame({"d": pd.to_datetime(["2024-01-01", "2024-01-02"])})
    times = pd.DataFrame(
        {"d": pd.to_datetime(["2024-01-01", "2024-01-02 10:00"], format="ISO8601")}
    )
    sent_dates, sent_times = to_rows(dates, ["d"]), to_rows(times, ["d"])
    assert sent_dates[0] == sent_times[0] and sent_dates[1] != sent_times[1]
    assert _fps(dates)[0] == _fps(times)[0] and _fps(dates)[1] != _fps(times)[1]


def test_missing_values_are_one_value_as_to_rows_sends_them():
    a = pd.DataFrame({"x": pd.Series([None, np.nan, pd.NA], dtype=object)})
    assert to_rows(a, ["x"]) == [{"x": None}] * 3
    assert len(set(_fps(a))) == 1


def test_extra_values_are_mixed_in():
    frame = pd.DataFrame({"x": [1.0, 1.0]})
    assert len(set(row_fingerprints(frame, ["x"]).tolist())) == 1
    labelled = row_fingerprints(frame, ["x"], pd.Series(["Customer", "Supplier"]))
    assert len(set(labelled.tolist())) == 2


def test_equal_fingerprints_mean_equal_rows_on_random_frames():
    # an independent check: on frames of random small values (many repeats), two rows have the
    # same fingerprint exactly when to_rows gives them the same parameter map
    rng = np.random.default_rng(14)
    for _ in range(20):
        n = 60
        frame = pd.DataFrame(
            {
                "f": rng.choice([0.5, 1.0, np.nan], n),
                "i": pd.array(rng.choice([1, 2, None], n), dtype="Int64"),
                "t": pd.Series(rng.choice(["a", "b", None, 1, 1.5], n), dtype=object),
                "d": pd.to_datetime(rng.choice(["2024-01-01", "2024-01-02", None], n)),
                "b": rng.choice([True, False], n),
            }
        )
        rows, fps = to_rows(frame, list(frame.columns)), _fps(frame)
        for a, b in itertools.combinations(range(n), 2):
            same_row = [(k, type(v), v) for k, v in rows[a].items()] == [
                (k, type(v), v) for k, v in rows[b].items()
            ]
            assert (fps[a] == fps[b]) == same_row, (rows[a], rows[b])


def test_a_missing_cell_is_the_same_as_a_column_the_frame_lacks() -> None:
    """Both are sent as null (no property), so a re-import of an export with extra empty
    columns (owner, next_contact, strength) finds every row unchanged."""
    import pandas as pd

    bare = pd.DataFrame({"trust": [0.5, 0.7], "since": pd.to_datetime(["2024-01-02", None])})
    wider = bare.assign(
        owner=[None, None], strength=[float("nan"), float("nan")], note=["hi", None]
    )
    got = row_fingerprints(wider, list(wider.columns)).tolist()
    plain = row_fingerprints(bare, list(bare.columns)).tolist()
    assert got[1] == plain[1]  # every extra cell of row 2 is missing
    assert got[0] != plain[0]  # row 1 has a note the bare frame lacks
    with_note = bare.assign(note=["hi", None])
    assert got == row_fingerprints(with_note, list(with_note.columns)).tolist()


def _reference_fingerprints(frame: pd.DataFrame) -> list[int]:
    """The fingerprint as first written (and stored by every import since): each cell of a
    text, timestamp, categorical or mixed column tagged one by one as ``"<type>:<repr>"`` and
    hashed, a numeric column hashed as it is; column tag, xor and multiply; a missing cell
    leaves the row alone. Written out cell by cell, independently of the column-wise code."""
    acc = np.full(len(frame), 0xCBF29CE484222325, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for name in sorted(frame.columns, key=str):
            series = frame[name]
            missing = series.isna().to_numpy(dtype=bool)
            numeric = not isinstance(series.dtype, pd.CategoricalDtype) and (
                pd.api.types.is_numeric_dtype(series.dtype)
                or pd.api.types.is_bool_dtype(series.dtype)
            )
            if not numeric:
                series = pd.Series(
                    [
                        "" if m else f"{type(v).__name__}:{v!r}"
                        for v, m in zip(series, missing, strict=True)
                    ],
                    dtype=object,
                )
            how = str(frame[name].dtype) if numeric else "object"
            column = pd.util.hash_pandas_object(series, index=False).to_numpy(dtype=np.uint64)
            tag = pd.util.hash_pandas_object(pd.Series([f"{name}\x00{how}"]), index=False)
            mixed = (acc ^ column ^ tag.to_numpy(dtype=np.uint64)[0]) * np.uint64(0x100000001B3)
            acc = np.where(missing, acc, mixed)
    return acc.view(np.int64).tolist()


def test_fingerprints_stay_those_stored_by_earlier_imports():
    """The column-wise fingerprint (text and timestamps tagged once per distinct value) equals
    the cell-by-cell one earlier imports stored, so a re-import of old data finds every row
    unchanged: on random frames with repeated and distinct texts, dates, timestamps with a
    time, time zones, NaT, mixed object columns (1, 1.0, True, '1', -0.0, 0.0), categoricals
    and Arrow-backed columns."""
    rng = np.random.default_rng(41)
    for _ in range(15):
        n = 80
        frame = pd.DataFrame(
            {
                "text": pd.Series(rng.choice(["a", "b", "ü ß", "'q\"", None], n), dtype=object),
                "ids": [f"id-{i}" for i in rng.permutation(n)],
                "all_none": pd.Series([None] * n, dtype=object),
                "mixed": pd.Series(
                    rng.choice(["1", 1, 1.0, True, -0.0, 0.0, None], n), dtype=object
                ),
                "day": pd.to_datetime(rng.choice(["2024-01-01", "1999-12-31", None], n)),
                "when": pd.to_datetime(
                    rng.choice(["2024-01-01 13:45:00", "2024-01-01", "2024-01-01 00:00:00.5"], n),
                    format="ISO8601",
                ),
                "zoned": pd.to_datetime(
                    rng.choice(["2024-03-01", "2024-03-02", None], n)
                ).tz_localize("Europe/Berlin"),
                "cat": pd.Categorical(rng.choice(["x", "y", None], n)),
                "num": rng.choice([0.5, np.nan, 2.0], n),
            }
        )
        assert _fps(frame) == _reference_fingerprints(frame)
        arrow = frame.drop(columns=["mixed", "cat"]).convert_dtypes(dtype_backend="pyarrow")
        assert _fps(arrow) == _reference_fingerprints(arrow)


def test_rows_are_sent_as_each_cell_converted_alone():
    """to_rows converts column-wise (dates and plain types in C); every cell must still be
    what to_python makes of it alone: same value and exact type, None for missing."""
    from graphcap.store.properties import to_python

    rng = np.random.default_rng(5)
    n = 50
    frame = pd.DataFrame(
        {
            "text": pd.Series(rng.choice(["a", "ü", None], n), dtype=object),
            "mixed": pd.Series(rng.choice(["1", 1, 1.5, True, None, np.nan], n), dtype=object),
            "numpy": pd.Series([np.int64(3), np.float32(0.5)] * (n // 2), dtype=object),
            "day": pd.to_datetime(rng.choice(["2024-01-01", "1999-12-31", None], n)),
            "when": pd.to_datetime(rng.choice(["2024-01-01 13:45:00", None], n)),
            "count": pd.array(rng.choice([1, 2, None], n), dtype="Int64"),
            "num": rng.choice([0.5, np.nan], n),
            "flag": rng.choice([True, False], n),
        }
    )
    for data in (
        frame,
        frame.drop(columns=["mixed", "numpy"]).convert_dtypes(dtype_backend="pyarrow"),
    ):
        expected = [{c: to_python(v) for c, v in row.items()} for row in data.to_dict("records")]
        got = to_rows(data, list(data.columns))
        assert [[(k, type(v), v) for k, v in r.items()] for r in got] == [
            [(k, type(v), v) for k, v in r.items()] for r in expected
        ]
