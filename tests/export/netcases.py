"""Networks built in code for the export tests, and an independent notion of "equal graph"."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from graphcap.model import Network

HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.example","click")',
    "+49 30 1234",
    "-5 % discount",
    "@SUM(A1:A9)",
    "\tTabbed",
    "\rCarriage",
    "'=already quoted",
    "Müller & Söhne <GmbH>",
    "</script><script>alert(1)</script>",
    "日本語の顧客",
    "emoji 🚀 Ltd",
    "  padded  ",
    "line\nbreak",
    "'",
]


def hostile_network() -> Network:
    """A small stakeholder network whose names try everything: formulas, markup, Unicode."""
    ids = ["org", *[f"s{i}" for i in range(len(HOSTILE_NAMES))]]
    names = ["Focal AG", *HOSTILE_NAMES]
    types = ["organization"] + [
        ("customer", "supplier", "partner", "agency", "competitor")[i % 5]
        for i in range(len(HOSTILE_NAMES))
    ]
    n = len(ids)
    nodes = pd.DataFrame(
        {
            "id": pd.Series(ids, dtype=object),
            "name": pd.Series(names, dtype=object),
            "type": pd.Series(types, dtype=object),
            "segment": pd.Series(
                [None if i % 3 == 0 else f"seg {i % 2}" for i in range(n)], dtype=object
            ),
            "since": pd.to_datetime(
                [None if i % 4 == 0 else f"20{10 + i % 10}-0{1 + i % 9}-15" for i in range(n)]
            ),
            "revenue": [float("nan") if i % 5 == 0 else 1000.0 * i + 0.25 for i in range(n)],
            "satisfaction": [round((i % 10) / 10, 2) for i in range(n)],
            "tags": pd.Series(
                ["=cmd|' /C calc'!A0" if i == 3 else None for i in range(n)], dtype=object
            ),
        }
    )
    edges = []
    for i in range(1, n):
        rel = {
            "customer": "BUYS_FROM",
            "supplier": "SUPPLIES",
            "partner": "PARTNERS_WITH",
            "agency": "REGULATES",
            "competitor": "COMPETES_WITH",
        }[types[i]]
        src, dst = (ids[i], "org") if rel != "REGULATES" else ("org", ids[i])
        edges.append((src, dst, rel, (i % 7) / 7, 100.0 * i, i % 4 if i % 3 else None))
        if i % 4 == 0:
            edges.append((ids[i], ids[i - 1], "REFERS", float("nan"), float("nan"), 2))
    edges.append(("s1", "org", "INFLUENCES", 0.9, float("inf"), 1))  # a parallel relationship
    e = pd.DataFrame(
        edges, columns=["source", "target", "type", "strength", "volume", "interactions"]
    )
    e["interactions"] = e["interactions"].astype("Int64")
    e["kind"] = pd.Series(
        ["@alliance" if t == "PARTNERS_WITH" else None for t in e["type"]], dtype=object
    )
    e["last_contact"] = pd.to_datetime(["2025-06-01" if k % 2 else None for k in range(len(e))])
    inter = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-01-02 00:00:00", "2025-02-03 14:30:00"]),
            "source": pd.Series(["s1", "s2"], dtype=object),
            "target": pd.Series(["org", "org"], dtype=object),
            "channel": pd.Series(["=email", "meeting"], dtype=object),
            "value": [10.5, float("nan")],
        }
    )
    return Network(nodes=nodes, edges=e, interactions=inter, meta={"as_of": "2025-12-31"})


def _cell(value: Any, kind: str) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str) and value == "":  # CSV has no "missing" but an empty cell
        return None
    if kind == "date":
        return pd.Timestamp(value).isoformat()
    if kind == "number":
        f = float(value)  # XLSX keeps 15-16 significant digits, as Excel does
        return float(f"{f:.12g}") if math.isfinite(f) else None
    if kind == "count":
        return int(float(value))
    return str(value)


def kinds_of(frame: pd.DataFrame) -> dict[str, str]:
    out = {}
    for col in frame.columns:
        dtype = frame[col].dtype
        if pd.api.types.is_datetime64_any_dtype(dtype):
            out[col] = "date"
        elif pd.api.types.is_integer_dtype(dtype):
            out[col] = "count"
        elif pd.api.types.is_float_dtype(dtype):
            out[col] = "number"
        else:
            out[col] = "string"
    return out


def canon(frame: pd.DataFrame, kinds: dict[str, str], key: list[str]) -> list[dict]:
    """Rows as sorted dicts of comparable values, only the columns of ``kinds``, missing = None."""
    rows = []
    for rec in frame.to_dict("records"):
        rows.append({c: _cell(rec.get(c), k) for c, k in kinds.items()})
    return sorted(rows, key=lambda r: tuple(str(r[c]) for c in key))


_KEYS = {
    "nodes": ["id"],
    "edges": ["source", "type", "target"],
    "interactions": ["date", "source", "target"],
}


def assert_same_network(
    original: Network, back: Network, frames: tuple[str, ...] = ("nodes", "edges", "interactions")
) -> None:
    """Equal graph: the same stakeholders with the same values, the same typed relationships."""
    for frame in frames:
        key = _KEYS[frame]
        orig = getattr(original, frame)
        kinds = kinds_of(orig)
        assert canon(getattr(back, frame), kinds, key) == canon(orig, kinds, key), frame
