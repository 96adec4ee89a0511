"""Test helpers: the networks the store tests write, and an exact fingerprint of a whole graph.

The fingerprint is computed independently of the source's read path: one Cypher dump of every
node (labels + all properties) and every relationship (type, both ends' keys, all properties),
serialised and hashed, so "the graph is exactly as before" can be checked without trusting
``read_network``.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd

from graphcap.model import Network

HOSTILE = [
    "Müller & Söhne GmbH – Straße",
    "Иванов и партнёры",
    "東京精密株式会社 北京",
    "🚀 Rocket 👩🏽‍💻 Ltd",
    'שותפים בע"מ مؤسسة',  # RTL: Hebrew and Arabic
    "back`tick` `) DETACH DELETE n //",
    "\u0060 MATCH (n) DETACH DELETE n \u0060",
    "'; MATCH (n) SET n.pwned = true; //",
    "<script>alert('x')</script>",
    "${jndi:ldap://x}  {{7*7}}  \\n \\u0060 $param",
    "  leading and trailing spaces  ",
    "line\nbreak\ttab\r\n",
    "\u200b zero width \ufeff bom \u202e rlo",
]


def hostile_network() -> Network:
    """Every hostile / multilingual string as a name and as property values, typed columns,
    missing values, an extra column, two identical interactions."""
    n = len(HOSTILE)
    types = ["organization", "customer", "supplier", "partner", "agency", "competitor"]
    nodes = pd.DataFrame(
        {
            "id": [f"id-{i}-{s[:3]}" for i, s in enumerate(HOSTILE)],
            "name": HOSTILE,
            "type": [types[i % len(types)] for i in range(n)],
            "segment": [HOSTILE[(i + 3) % n] if i % 3 else None for i in range(n)],
            "since": pd.to_datetime(["2020-02-29" if i % 2 else None for i in range(n)]),
            "revenue": [float(i) * 1234.5678 if i % 4 else np.nan for i in range(n)],
            "satisfaction": [i / n for i in range(n)],
            "note`x": [HOSTILE[-i - 1] for i in range(n)],  # an extra column, hostile key
        }
    )
    nodes.loc[0, "id"] = "ORG`) RETURN 1 //"
    ids = nodes["id"].tolist()
    edges = pd.DataFrame(
        {
            "source": ids[1:],
            "target": [ids[0]] * (n - 1),
            "type": [
                "BUYS_FROM",
                "SUPPLIES",
                "PARTNERS_WITH",
                "REGULATES",
                "COMPETES_WITH",
                "REFERS",
            ]
            * 2,
            "trust": [0.1 * i for i in range(n - 1)],
            "since": pd.to_datetime(["2019-01-01"] * (n - 1)),
            "interactions": pd.array([i if i % 2 else None for i in range(n - 1)], dtype="Int64"),
            "kind": [HOSTILE[i] for i in range(n - 1)],
        }
    )
    inter = pd.DataFrame(
        {
            "date": pd.to_datetime(
                ["2024-03-01", "2024-03-01", "2024-04-02 13:45:00"], format="ISO8601"
            ),
            "source": [ids[1], ids[1], ids[2]],
            "target": [ids[0], ids[0], ids[0]],
            "channel": ["call", "call", HOSTILE[5]],
            "value": [10.0, 10.0, np.nan],
            "sentiment": [0.5, 0.5, -0.25],
        }
    )
    return Network(nodes=nodes, edges=edges, interactions=inter)


def fingerprint(store: Any) -> tuple[dict[str, int], str]:
    """(entity counts, sha256 of every node and relationship with all labels and properties).
    Bookkeeping is left out: ``GraphcapMeta`` and the trail a committed import keeps
    (``GraphcapImportRun``/``GraphcapImportTrail``, checked by tests/store/test_asof.py)."""

    def work(tx: Any) -> tuple[list[str], list[str]]:
        nodes = [
            repr((sorted(r["l"]), sorted((k, repr(v)) for k, v in r["p"].items())))
            for r in tx.run(
                "MATCH (n) WHERE NOT (n:GraphcapMeta OR n:GraphcapImportRun OR "
                "n:GraphcapImportTrail) RETURN labels(n) AS l, properties(n) AS p"
            )
        ]
        rels = [
            repr((r["t"], r["a"], r["b"], sorted((k, repr(v)) for k, v in r["p"].items())))
            for r in tx.run(
                "MATCH (a)-[r]->(b) RETURN type(r) AS t, coalesce(a.id, a.key) AS a, "
                "coalesce(b.id, b.key) AS b, properties(r) AS p"
            )
        ]
        return nodes, rels

    with store.driver.session(database=store.database) as session:
        nodes, rels = session.execute_read(work)
    digest = hashlib.sha256("\n".join(sorted(nodes) + ["--"] + sorted(rels)).encode()).hexdigest()
    return {"nodes": len(nodes), "relationships": len(rels)}, digest


def _missing(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def assert_same_frame(expected: pd.DataFrame, got: pd.DataFrame, key: list[str], what: str) -> None:
    """Cell by cell: every column of ``expected`` equals ``got`` exactly (strings byte for byte,
    floats exactly, timestamps exactly; all kinds of missing are one); columns only in ``got``
    are empty."""
    assert len(expected) == len(got), f"{what}: {len(expected)} rows expected, got {len(got)}"
    exp = expected.sort_values(key, ignore_index=True)
    res = got.sort_values(key, ignore_index=True)
    for col in exp.columns:
        assert col in res.columns, f"{what}: column {col!r} missing"
        for i, (a, b) in enumerate(zip(exp[col].tolist(), res[col].tolist(), strict=True)):
            if _missing(a):
                assert _missing(b), f"{what} row {i} column {col!r}: expected missing, got {b!r}"
            else:
                assert not _missing(b) and type(a) is type(b) or isinstance(a, float | int), (
                    f"{what} row {i} column {col!r}: {a!r} ({type(a).__name__}) vs {b!r} ({type(b).__name__})"
                )
                assert a == b, f"{what} row {i} column {col!r}: {a!r} != {b!r}"
                if isinstance(a, str):
                    assert a.encode("utf-8") == b.encode("utf-8")
    for col in set(res.columns) - set(exp.columns):
        assert res[col].isna().all(), f"{what}: column {col!r} should be empty"
