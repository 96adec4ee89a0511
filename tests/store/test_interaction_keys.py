"""Interaction keys built column by column (graphcap.store.properties.frame_interaction_keys)
must be the bytes-identical keys of the row-wise definition (interaction_keys over to_rows):
stored keys were made that way, so a re-import of old data must find every interaction again."""

from __future__ import annotations

import hashlib
from datetime import date

import numpy as np
import pandas as pd

from graphcap.store.properties import frame_interaction_keys, interaction_keys, to_rows

from .graphcheck import hostile_network


def _row_wise(frame: pd.DataFrame) -> list[str]:
    rows = to_rows(frame, list(frame.columns))
    for r in rows:
        r["source"], r["target"] = str(r["source"]), str(r["target"])
    return interaction_keys(rows)


def test_a_key_is_the_hash_of_the_row_s_json_text():
    frame = pd.DataFrame(
        {
            "source": ["A"],
            "target": ["B"],
            "date": pd.to_datetime(["2024-03-01"]),
            "channel": ['Büro "1"'],
            "value": [2.5],
            "n": pd.Series([3], dtype=object),
            "gone": [np.nan],
        }
    )
    body = (
        '[["channel","Büro \\"1\\""],["date","2024-03-01"],["n",3],'
        '["source","A"],["target","B"],["value","2.5"]]'
    )
    expected = hashlib.sha256(f"{body}#0".encode()).hexdigest()[:32]
    assert frame_interaction_keys(frame) == [expected] == _row_wise(frame)


def test_column_wise_keys_equal_the_row_wise_definition_on_awkward_values():
    rng = np.random.default_rng(7)
    n = 400
    frame = pd.DataFrame(
        {
            "source": rng.choice(["A", "Łódź", 'x"y', "1"], n),
            "target": rng.choice(["B", "C\\d", "\u00e9\u0301"], n),
            "date": pd.to_datetime("2020-01-01")
            + pd.to_timedelta(rng.integers(0, 5, n), "D")
            + pd.to_timedelta(np.where(rng.random(n) < 0.2, 3600, 0), "s"),
            "value": np.where(rng.random(n) < 0.3, np.nan, rng.choice([1.0, 0.1, 1e-7, 1e22], n)),
            "count": pd.array(np.where(rng.random(n) < 0.3, None, rng.integers(-3, 3, n)), "Int64"),
            "mixed": pd.Series(
                rng.choice(
                    np.array([1, 1.5, True, "t", None, date(2021, 5, 6), "\n\t"], dtype=object), n
                ),
                dtype=object,
            ),
            "flag": rng.random(n) < 0.5,
        }
    )
    assert frame_interaction_keys(frame) == _row_wise(frame)  # duplicates numbered alike
    inter = hostile_network().interactions
    assert frame_interaction_keys(inter) == _row_wise(inter)
