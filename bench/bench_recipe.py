"""Benchmark: a recipe adding up a transaction log into relationships, against plain DuckDB and
pandas doing the same aggregation in the same run.

Data: ``--rows`` transactions (default 1,000,000: customer, unit, day, amount) over
``--customers`` customers (default 20,000), as CSV files in a temporary folder. The recipe
builds the stakeholders from the customer file and one relationship per (customer, unit) with
sum, count, first and last day. Measured:

1. **recipe, SQL only** -- ``loaders.recipe_run.run_tables``: files read into DuckDB, the
   connection locked, the recipe's queries run, results as frames (the recipe's own overhead);
2. **recipe, validated** -- ``loaders.load_path``: the above plus graphcap's validation of every
   row (what ``graphcap import --dry-run`` does);
3. **plain DuckDB** -- one ``SELECT ... FROM read_csv(...) GROUP BY`` per table, as frames
   (the baseline the recipe is to stay within 1.5x of);
4. **pandas** -- ``read_csv`` + ``groupby().agg()``.

Also: the raw ERP export of the sample with about 100,000 orders (``--erp-orders``), validated
through its shipped recipe (the Neo4j write is measured by bench_import.py). Run:
``python bench/bench_recipe.py [--rows N --customers C --runs R]``; figures go to the "Recipes"
section of docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import (  # noqa: E402
    machine,
    markdown_table,
    measure,
    measure_rounds,
    round_ratio,
    write_section,
)
from graphcap.sample import generate_sample  # noqa: E402
from graphcap.sample.raw import write_raw  # noqa: E402
from loaders import RECIPES_DIR, load_path  # noqa: E402
from loaders.recipe import load_recipe  # noqa: E402
from loaders.recipe_run import run_tables  # noqa: E402

RECIPE = """recipe: 1
organisation: {id: ORG-1, name: Bench AG}
sources:
  customers: {file: customers.csv, key: [id]}
  tx: {file: tx.csv}
tables:
  nodes: |
    SELECT id, name, 'customer' AS type FROM customers
    UNION ALL SELECT 'ORG-2', 'Bench AG - Service', 'organization'
  edges:
    grain: tx
    sql: |
      SELECT customer AS source, unit AS target, 'BUYS_FROM' AS type,
             round(sum(amount), 2) AS volume, count(*) AS interactions,
             min(day) AS since, max(day) AS last_contact
      FROM tx GROUP BY customer, unit
"""

PLAIN_EDGES = """SELECT customer AS source, unit AS target, 'BUYS_FROM' AS type,
       round(sum(amount), 2) AS volume, count(*) AS interactions,
       min(day) AS since, max(day) AS last_contact
FROM read_csv($path) GROUP BY customer, unit"""


def write_data(folder: Path, rows: int, customers: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    ids = np.array([f"C{i:06d}" for i in range(customers)])
    pd.DataFrame({"id": ids, "name": [f"Kunde {i} GmbH" for i in range(customers)]}).to_csv(
        folder / "customers.csv", index=False
    )
    who = ids[np.minimum(rng.zipf(1.3, rows) - 1, customers - 1)]
    day = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 1460, rows), unit="D")
    pd.DataFrame(
        {
            "customer": who,
            "unit": rng.choice(["ORG-1", "ORG-2"], rows),
            "day": day.strftime("%Y-%m-%d"),
            "amount": np.round(rng.lognormal(7, 1.2, rows), 2),
        }
    ).to_csv(folder / "tx.csv", index=False)
    (folder / "recipe.yaml").write_text(RECIPE, encoding="utf-8")


def plain_duckdb(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    con = duckdb.connect(":memory:")
    try:
        nodes = con.execute(
            "SELECT id, name, 'customer' AS type FROM read_csv($path)",
            {"path": str(folder / "customers.csv")},
        ).df()
        edges = con.execute(PLAIN_EDGES, {"path": str(folder / "tx.csv")}).df()
        return nodes, edges
    finally:
        con.close()


def plain_pandas(folder: Path) -> pd.DataFrame:
    tx = pd.read_csv(folder / "tx.csv", parse_dates=["day"])
    return (
        tx.groupby(["customer", "unit"])
        .agg(
            volume=("amount", "sum"),
            interactions=("amount", "size"),
            since=("day", "min"),
            last_contact=("day", "max"),
        )
        .reset_index()
    )


def erp_into_neo4j(recipe: Path, tmp: Path) -> tuple[float, str]:
    """Seconds for recipe + validation + write of the ERP export into a fresh local Neo4j."""
    import secrets
    import time

    from graphcap.localdb.server import LocalNeo4j, free_port
    from graphcap.store import Neo4jStore

    server = LocalNeo4j(
        home=tmp / "neo4j",
        port=free_port(),
        password=secrets.token_urlsafe(16),
        heap="2g",
        pagecache="1g",
    )
    server.start(timeout_s=600)
    try:
        with Neo4jStore(server.settings) as store:
            store.ensure_schema()
            t0 = time.perf_counter()
            network = load_path(recipe).network
            summary = store.import_network(network)
            return time.perf_counter() - t0, str(summary)
    finally:
        server.stop()


def sql_only(args: argparse.Namespace) -> int:
    """The recipe's SQL (read, lock, query) against plain DuckDB, rounds interleaved; one line
    per run is added to the section, with the machine's load before and after."""
    import os
    import re

    from bench._harness import PERFORMANCE

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-recipe-") as tmp:
        folder = Path(tmp)
        write_data(folder, args.rows, args.customers)
        recipe = load_recipe(folder / "recipe.yaml")
        timings = measure_rounds(
            {"duck": lambda: plain_duckdb(folder), "sql": lambda: run_tables(recipe)},
            runs=args.runs,
        )
    duck, sql = timings["duck"], timings["sql"]
    edges = len(sql.result["edges"])
    assert edges == len(duck.result[1]), "recipe and plain DuckDB disagree"
    load_after = os.getloadavg()[0]
    line = (
        f"| {machine()} | {args.runs} | {sql.text} | {duck.text} | **{round_ratio(sql, duck)}** "
        f"| {load_before:.1f} / {load_after:.1f} |"
    )
    text = PERFORMANCE.read_text(encoding="utf-8") if PERFORMANCE.exists() else ""
    found = re.search(r"## Recipe SQL overhead\n(.*?)(?=\n## |\Z)", text, re.S)
    runs = [r for r in (found.group(1) if found else "").splitlines() if r.startswith("| 20")]
    head = (
        "A recipe adding up a transaction log into relationships against the same aggregation "
        f"in plain DuckDB, {args.rows:,} transactions -> {edges:,} relationships, "
        f"{args.customers:,} customers: `python bench/bench_recipe.py --sql-only --runs N`. "
        "Each round runs both, the ratio is the median of the per-round ratios; the load is "
        "the machine's 1-minute load average before / after the run (2 cores, shared).\n\n"
        "| measured | rounds | recipe SQL, median s | plain DuckDB, median s | ratio | load |\n"
        "|---|---|---|---|---|---|\n"
    )
    write_section("Recipe SQL overhead", head + "\n".join([*runs, line]))
    print(line)
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--erp-orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--neo4j", action="store_true", help="also import the ERP export into a local Neo4j"
    )
    parser.add_argument(
        "--sql-only",
        action="store_true",
        help="only the recipe's SQL against plain DuckDB (the 1.5x target), section "
        '"Recipe SQL overhead"; appends one run to it',
    )
    args = parser.parse_args(argv)
    if args.sql_only:
        return sql_only(args)
    with tempfile.TemporaryDirectory(prefix="bench-recipe-") as tmp:
        folder = Path(tmp)
        write_data(folder, args.rows, args.customers)
        recipe = load_recipe(folder / "recipe.yaml")
        timings = measure_rounds(
            {
                "duck": lambda: plain_duckdb(folder),
                "sql": lambda: run_tables(recipe),
                "full": lambda: load_path(folder / "recipe.yaml"),
                "pand": lambda: plain_pandas(folder),
            },
            runs=args.runs,
        )
        duck, sql, full, pand = (timings[k] for k in ("duck", "sql", "full", "pand"))
        edges = len(full.result.network.edges)
        assert edges == len(duck.result[1]) == len(pand.result), "the three disagree"
        erp = folder / "erp"
        net = generate_sample(
            seed=3, customers=4000, suppliers=800, max_interactions=args.erp_orders, years=3
        )
        write_raw(net, "erp", erp)
        (erp / "recipe.yaml").write_bytes((RECIPES_DIR / "erp.yaml").read_bytes())
        erp_run = measure(lambda: load_path(erp / "recipe.yaml"), runs=1)
        orders = erp_run.result.network.counts["interactions"]
        written = erp_into_neo4j(erp / "recipe.yaml", folder) if args.neo4j else None
    label = f"{args.rows:,} transactions -> {edges:,} relationships"
    table = markdown_table(
        ["what", "median s", "vs plain DuckDB"],
        [
            ["recipe, SQL only (read, lock, query)", sql.text, round_ratio(sql, duck)],
            ["recipe, validated (`graphcap import --dry-run`)", full.text, round_ratio(full, duck)],
            ["plain DuckDB (read_csv + GROUP BY)", duck.text, "1.00x"],
            ["pandas (read_csv + groupby)", pand.text, round_ratio(pand, duck)],
        ],
    )
    body = (
        "A recipe adding up a transaction log into relationships (sum, count, first and last "
        "day per customer and unit) against the same aggregation in plain DuckDB and pandas. "
        f"`python bench/bench_recipe.py --rows {args.rows}`.\n\n"
        f"Measured {machine()}, median of {args.runs} rounds (each round runs all four, so "
        "a busy moment of the shared machine slows them alike; the ratio is the median of the "
        f"per-round ratios). {label}, {args.customers:,} customers.\n\n"
        f"{table}\n\n"
        "What a recipe adds to plain DuckDB: a UTF-8 CSV file is read in place -- sniffed "
        "once, then each query streams through it as plain DuckDB's `read_csv` does (the "
        "locked connection may read exactly the source files, `allowed_paths`), `_line` from "
        "a streaming `row_number()` that queries not using it drop; the grain check counts a "
        "source only as far as the output's row count; any failure while reading in place runs "
        "the recipe again with every file copied into a table (the earlier path, its "
        "messages). The output frames become raw tables column by column; validation takes "
        "cells SQL already typed (timestamps, numbers) as they are. The validated row adds "
        "graphcap's check of every row (text, look-alike names, ranges), the same for any "
        "input format. The SQL ratio alone, run by run with the machine's load: section "
        '"Recipe SQL overhead".\n\n'
        f"Raw ERP export of the sample with {orders:,} orders (masters, headers, lines), "
        f"validated through `loaders/recipes/erp.yaml`: {erp_run.text} s (one run; the write "
        "into Neo4j is measured in the Import section)."
        + (
            ""
            if written is None
            else f" The whole import into a fresh local Neo4j 5.26 (heap 2 GB), recipe, "
            f"validation and write, as `graphcap import erp/recipe.yaml` does: {written[0]:.1f} s "
            f"({written[1]}); target: under 60 s."
        )
    )
    write_section("Recipes", body)
    print(table)
    print(f"ERP {orders} orders: {erp_run.text} s")
    if written is not None:
        print(f"ERP into Neo4j: {written[0]:.1f} s ({written[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
