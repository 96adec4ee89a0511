"""Benchmark: loading and validating files (``loaders.load_path``) against plain readers.

The same synthetic export, written the way German Excel writes it (``;``, decimal comma,
``dd.mm.yyyy`` dates, cp1252), is read by:

1. **graphcap**: ``load_path`` -- decoding, sniffing, every cell checked (control characters,
   mojibake), numbers and dates parsed, ids/types/references/duplicates/ranges validated.
2. **pandas read**: ``pd.read_csv(dtype=str, keep_default_na=False)`` of the same files -- reading
   only, no conversion, no checks (the floor any loader pays).
3. **pandas read + convert**: the same plus vectorised conversion of the number and date columns
   (``str.replace`` + ``pd.to_numeric``, ``pd.to_datetime(format=...)``), still without any
   validation or error report.

The XLSX and GraphML rows compare ``load_path`` with ``pd.read_excel`` (openpyxl engine) and
``networkx.read_graphml`` on the same files. Run:
``python bench/bench_loaders.py [--nodes N --edges M --runs R]``; figures go to the "Loaders"
section of docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import machine, markdown_table, measure, ratio, write_section  # noqa: E402
from loaders import load_path  # noqa: E402

TYPES = ["Kunde", "Lieferant", "Partner", "Behörde", "Wettbewerber"]
RELS = ["BUYS_FROM", "SUPPLIES", "PARTNERS_WITH", "REGULATES", "COMPETES_WITH"]


def frames(n_nodes: int, n_edges: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    ids = [f"{i:010d}" for i in range(n_nodes)]
    nodes = pd.DataFrame(
        {
            "id": ids,
            "name": [f"Müller & Söhne {i} GmbH" for i in range(n_nodes)],
            "type": rng.choice(TYPES, n_nodes),
            "revenue": rng.lognormal(10, 2, n_nodes).round(2),
            "since": pd.to_datetime("2000-01-01")
            + pd.to_timedelta(rng.integers(0, 9000, n_nodes), "D"),
            "satisfaction": rng.random(n_nodes).round(3),
        }
    )
    pairs = set()
    while len(pairs) < n_edges:
        s, t = rng.integers(0, n_nodes, 2 * n_edges), rng.integers(0, n_nodes, 2 * n_edges)
        r = rng.integers(0, len(RELS), 2 * n_edges)
        pairs.update(zip(s.tolist(), r.tolist(), t.tolist(), strict=True))
    chosen = sorted(pairs)[:n_edges]
    edges = pd.DataFrame(
        {
            "source": [ids[s] for s, _, _ in chosen],
            "target": [ids[t] for _, _, t in chosen],
            "type": [RELS[r] for _, r, _ in chosen],
            "trust": rng.random(n_edges).round(3),
            "volume": rng.lognormal(9, 2, n_edges).round(2),
            "since": pd.to_datetime("2010-01-01")
            + pd.to_timedelta(rng.integers(0, 5000, n_edges), "D"),
        }
    )
    return nodes, edges


def write_german_csv(folder: Path, nodes: pd.DataFrame, edges: pd.DataFrame) -> None:
    for name, frame in (("nodes.csv", nodes), ("edges.csv", edges)):
        frame.to_csv(
            folder / name,
            sep=";",
            decimal=",",
            date_format="%d.%m.%Y",
            index=False,
            encoding="cp1252",
        )


def pandas_read(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    opts = {"sep": ";", "dtype": str, "keep_default_na": False, "encoding": "cp1252"}
    return pd.read_csv(folder / "nodes.csv", **opts), pd.read_csv(folder / "edges.csv", **opts)


def pandas_read_convert(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    nodes, edges = pandas_read(folder)

    def num(s: pd.Series) -> pd.Series:
        return pd.to_numeric(s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))

    for frame, numbers in ((nodes, ("revenue", "satisfaction")), (edges, ("trust", "volume"))):
        for col in numbers:
            frame[col] = num(frame[col])
        frame["since"] = pd.to_datetime(frame["since"], format="%d.%m.%Y")
    return nodes, edges


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--edges", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=5_000, help="nodes for the XLSX/GraphML rows")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    nodes, edges = frames(args.nodes, args.edges)
    small_nodes, small_edges = frames(args.small, args.small * 2, seed=11)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_german_csv(folder, nodes, edges)
        ours = measure(lambda: load_path(folder), runs=args.runs)
        assert ours.result.network.counts["edges"] == args.edges
        read = measure(lambda: pandas_read(folder), runs=args.runs)
        convert = measure(lambda: pandas_read_convert(folder), runs=args.runs)
        assert np.allclose(convert.result[1]["volume"], ours.result.network.edges["volume"])
        size = f"CSV {args.nodes:,} nodes + {args.edges:,} edges"
        rows += [
            [size, "graphcap load_path", ours.text, "1.00x"],
            [size, "pandas read (str, no checks)", read.text, ratio(ours, read)],
            [size, "pandas read + convert (no checks)", convert.text, ratio(ours, convert)],
        ]

        xlsx = folder / "net.xlsx"
        with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
            small_nodes.to_excel(writer, sheet_name="nodes", index=False)
            small_edges.to_excel(writer, sheet_name="edges", index=False)
        ours_x = measure(lambda: load_path(xlsx), runs=args.runs)
        base_x = measure(
            lambda: pd.read_excel(xlsx, sheet_name=None, engine="openpyxl"), runs=args.runs
        )
        size_x = f"XLSX {args.small:,} nodes + {2 * args.small:,} edges"
        rows += [
            [size_x, "graphcap load_path", ours_x.text, "1.00x"],
            [size_x, "pandas read_excel (no checks)", base_x.text, ratio(ours_x, base_x)],
        ]

        G = nx.DiGraph()
        for rec in small_nodes.assign(since=small_nodes["since"].astype(str)).to_dict("records"):
            G.add_node(rec.pop("id"), **rec)
        for rec in small_edges.assign(since=small_edges["since"].astype(str)).to_dict("records"):
            G.add_edge(rec.pop("source"), rec.pop("target"), **rec)
        graphml = folder / "net.graphml"
        nx.write_graphml(G, graphml)
        ours_g = measure(lambda: load_path(graphml), runs=args.runs)
        base_g = measure(lambda: nx.read_graphml(graphml), runs=args.runs)
        size_g = f"GraphML {args.small:,} nodes + {2 * args.small:,} edges"
        rows += [
            [size_g, "graphcap load_path", ours_g.text, "1.00x"],
            [size_g, "networkx read_graphml (no checks)", base_g.text, ratio(ours_g, base_g)],
        ]
    table = markdown_table(["input", "reader", "median s", "graphcap / reader"], rows)
    body = (
        "`loaders.load_path` (decode, sniff, check every cell, parse numbers and dates, validate "
        "ids, types, references, duplicates and ranges) against plain readers of the same files "
        "that do no checking. The ratio is graphcap's time over the reader's: what the complete "
        "validation and error report cost on top of reading. "
        f"`python bench/bench_loaders.py --nodes {args.nodes} --edges {args.edges}`.\n\n"
        f"Measured {machine()}, median of {args.runs}.\n\n{table}"
    )
    write_section("Loaders", body)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
