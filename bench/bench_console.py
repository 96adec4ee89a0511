"""Benchmark: what the console's read-only layers cost, per library query.

One freshly started local Neo4j, one scaled sample network (default 6,000 customers, about 8k
stakeholders, 27k relationships, 60k logged interactions). For every ``queries/*.cypher`` with
its default parameters, two ways of running the same text:

1. **graphcap console**: :func:`graphcap.console.run_query` -- statement check, ``EXPLAIN`` plan
   check, read transaction with a server-side time limit, row cap, conversion of the records
   to plain values and of nodes/relationships to frames.
2. **plain driver** (baseline): ``session.run(text, params)`` on the same driver, records fetched
   with ``list(result)``; no checks, no limits, no conversion.

The ratio is the price of the safety layers on real questions. Run:
``python bench/bench_console.py [--customers N --runs R]``; figures go to the "Console" section
of docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import machine, markdown_table, measure, ratio, write_section  # noqa: E402
from graphcap.config.limits import Limits  # noqa: E402
from graphcap.console import library, policy  # noqa: E402
from graphcap.localdb.server import LocalNeo4j, free_port
from graphcap.sample import generate_sample  # noqa: E402
from graphcap.store import Neo4jStore  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    scale = args.customers / 6000
    net = generate_sample(
        customers=args.customers, suppliers=max(14, int(1500 * scale)),
        partners=max(11, int(150 * scale)), agencies=max(10, int(100 * scale)),
        competitors=max(5, int(100 * scale)), max_interactions=int(60_000 * scale),
    )  # fmt: skip
    limits = Limits(query_timeout_s=60, max_rows=5000)
    with tempfile.TemporaryDirectory() as home:
        server = LocalNeo4j(home=Path(home), port=free_port(),
                            password=secrets.token_urlsafe(16), heap="1g",
                            pagecache="256m")  # fmt: skip
        server.start(timeout_s=300)
        try:
            with Neo4jStore(server.settings) as store:
                store.ensure_schema()
                t0 = time.perf_counter()
                store.import_network(net)
                print(f"imported {net.counts} in {time.perf_counter() - t0:.1f} s", flush=True)
                rows = []
                for query in library.list_queries():
                    params = query.resolve()

                    def ours(q=query, p=params):  # type: ignore[no-untyped-def]
                        return policy.run_query(store, q.text, p, limits=limits)

                    def plain(q=query, p=params):  # type: ignore[no-untyped-def]
                        with store.driver.session(database=store.database) as session:
                            return list(session.run(q.text, p))

                    plain()  # warm the plan caches (the query, and EXPLAIN of it)
                    ours()
                    base = measure(plain, runs=args.runs)
                    safe = measure(ours, runs=args.runs)
                    n = len(safe.result.rows)
                    rows.append([query.name, f"{n:,}" + (" (capped)" if safe.result.truncated else ""),
                                 safe.text, base.text, ratio(safe, base)])  # fmt: skip
                    print(rows[-1], flush=True)
        finally:
            server.stop()
    body = (
        f"{machine()}. Sample network with {net.counts['nodes']:,} stakeholders, "
        f"{net.counts['edges']:,} relationships, {net.counts['interactions']:,} interactions; "
        f"every library query with its default parameters, median of {args.runs} runs after one "
        "warm-up run of each. *graphcap console*: statement check + EXPLAIN plan check + read transaction "
        "with time limit and row cap (5,000) + conversion to plain values; *plain driver*: "
        "`session.run` and `list(result)`, no checks (baseline).\n\n"
        + markdown_table(
            ["query", "rows", "console s", "plain driver s", "console vs driver"], rows
        )
    )
    write_section("Console", body)


if __name__ == "__main__":
    main()
