"""Benchmark: importing a scaled stakeholder network into Neo4j.

One run, one freshly started local Neo4j (heap 2 GB), three ways of writing the same network
(default 100k stakeholders, 500k relationships):

1. **graphcap**: ``Neo4jStore.import_network`` -- batched ``UNWIND ... MERGE`` in one atomic,
   idempotent write transaction (compares every row with the stored one first).
2. **LOAD CSV**: Neo4j's own bulk path on the same data written as CSV files into the server's
   import folder: ``LOAD CSV WITH HEADERS ... CALL { MERGE ... SET ... } IN TRANSACTIONS OF 10000
   ROWS`` with the same constraints, the same MERGE keys and the same properties (typed with
   ``toFloat``/``date``). This is the baseline to be within 1.5x of.
3. **row by row**: one ``MERGE`` statement per row, each in its own auto-commit transaction (what
   naive client code does). Far too slow for the full size, so it is timed on a subset (default
   2,000 nodes + 10,000 relationships into the already-loaded graph's schema) and compared as a
   per-row rate; the table says so.

Each import starts from an empty database with the constraints in place. Run:
``python bench/bench_import.py [--nodes N --edges M --runs R --rowwise-rows K]``; figures go to
the "Import" section of docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import csv
import secrets
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import Timing, machine, markdown_table, measure, ratio, write_section  # noqa: E402
from graphcap.model import NODE_TYPES, Network  # noqa: E402

REL_BY_SOURCE = {
    "customer": "BUYS_FROM",
    "supplier": "SUPPLIES",
    "partner": "PARTNERS_WITH",
    "agency": "REGULATES",
    "competitor": "COMPETES_WITH",
}


def synthetic_network(n_nodes: int, n_edges: int, *, seed: int = 7) -> Network:
    """A stakeholder-like network: a few focal units, typed stakeholders with the usual
    properties, relationships to the focal units and among stakeholders (skewed degrees)."""
    rng = np.random.default_rng(seed)
    types = rng.choice(
        ["customer", "supplier", "partner", "agency", "competitor"],
        size=n_nodes,
        p=[0.55, 0.25, 0.08, 0.05, 0.07],
    ).astype(object)
    n_focal = max(1, n_nodes // 20_000)
    types[:n_focal] = "organization"
    ids = np.array([f"S{i:07d}" for i in range(n_nodes)], dtype=object)
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": [f"Stakeholder {i} GmbH" for i in range(n_nodes)],
            "type": types,
            "segment": rng.choice(["A", "B", "C"], size=n_nodes).astype(object),
            "region": rng.choice(["DACH", "Nordics", "Benelux", "Iberia"], size=n_nodes).astype(object),
            "since": pd.to_datetime("2010-01-01")
            + pd.to_timedelta(rng.integers(0, 5000, n_nodes), unit="D"),
            "revenue": rng.lognormal(11, 1.5, n_nodes).round(2),
            "satisfaction": rng.random(n_nodes).round(3),
        }
    )
    # relationships: each stakeholder to a focal unit, the rest among stakeholders, skewed
    src = rng.integers(n_focal, n_nodes, size=int(n_edges * 1.15))
    dst = np.where(
        rng.random(src.size) < 0.2,
        rng.integers(0, n_focal, size=src.size),
        (rng.pareto(1.2, size=src.size) * 50).astype(np.int64) % n_nodes,
    )
    rel = np.array([REL_BY_SOURCE.get(t, "REFERS") for t in types[src]], dtype=object)
    rel = np.where(rng.random(src.size) < 0.15, "INFLUENCES", rel)
    edges = pd.DataFrame({"source": ids[src], "target": ids[dst], "type": rel})
    edges = edges[edges["source"] != edges["target"]].drop_duplicates(["source", "type", "target"])
    edges = edges.iloc[:n_edges].reset_index(drop=True)
    m = len(edges)
    edges["trust"] = rng.random(m).round(3)
    edges["commitment"] = rng.random(m).round(3)
    edges["volume"] = rng.lognormal(9, 1.2, m).round(2)
    edges["since"] = pd.to_datetime("2012-01-01") + pd.to_timedelta(rng.integers(0, 4000, m), unit="D")
    edges["interactions"] = pd.array(rng.integers(0, 60, m), dtype="Int64")
    edges["kind"] = np.where(edges["type"] == "PARTNERS_WITH", "alliance", None)
    return Network(nodes=nodes, edges=edges)
