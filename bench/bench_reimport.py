"""Benchmark: an unchanged re-import of real-shaped data, with and without the client-side skip.

One fresh local Neo4j (heap 2 GB, no GDS), the network of bench/realshape.py (~10k stakeholders
over 10 types, ~16k relationships, ~20k interactions). Measured in the same run:

- the first import into an empty database;
- the unchanged re-import as graphcap runs it by default (stored row fingerprints read once,
  unchanged rows not sent), against the same re-import with ``compare_all=True`` (every row sent
  and compared by Neo4j, as before) and against reading the whole network back
  (``read_network``);
- a re-import where 1% of the stakeholders and relationships changed, both ways;
- the client-side preparation alone (``plan_import``: checks, fingerprints, interaction keys);
- ``Neo4jStore.clear`` of the imported network.

Run: ``python -m bench reimport`` (writes the "Re-import" section of docs/PERFORMANCE.md).
``--no-write`` prints only.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import machine, markdown_table, measure, ratio, write_section  # noqa: E402
from bench.realshape import real_shaped  # noqa: E402


def _load() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)

    from graphcap.localdb.server import LocalNeo4j, free_port
    from graphcap.model import Network
    from graphcap.store import Neo4jStore
    from graphcap.store.import_plan import plan_import

    net, schema, _ = real_shaped()
    changed_nodes, changed_edges = net.nodes.copy(), net.edges.copy()
    changed_nodes.loc[::100, "name"] = changed_nodes.loc[::100, "name"] + " (neu)"
    col = next(c for c in changed_edges.columns if changed_edges[c].dtype == "float64")
    changed_edges.loc[::100, col] = changed_edges.loc[::100, col].fillna(0) + 0.5
    changed = Network(changed_nodes, changed_edges, net.interactions)
    loads = [_load()]
    fig = {}
    with tempfile.TemporaryDirectory(prefix="graphcap-reimport-") as tmp:
        server = LocalNeo4j(
            home=Path(tmp) / "neo4j",
            port=free_port(),
            password=secrets.token_urlsafe(16),
            heap=args.heap,
            pagecache="512m",
        )
        server.start(timeout_s=900)
        try:
            with Neo4jStore(server.settings, schema=schema) as store:
                store.ensure_schema()
                fig["plan"] = measure(
                    lambda: plan_import(net, schema, batch_size=10_000), runs=args.runs
                )
                fig["first"] = measure(lambda: store.import_network(net), runs=1)
                print("first import", fig["first"].seconds, flush=True)
                fig["skip"] = measure(lambda: store.import_network(net), runs=args.runs)
                print("re-import", fig["skip"].seconds, fig["skip"].result, flush=True)
                fig["all"] = measure(
                    lambda: store.import_network(net, compare_all=True), runs=args.runs
                )
                print("compare-all", fig["all"].seconds, fig["all"].result, flush=True)
                fig["read"] = measure(store.read_network, runs=args.runs)
                loads.append(_load())

                def back() -> None:  # not timed: the original data again
                    store.import_network(net)

                fig["c_skip"] = measure(
                    lambda: store.import_network(changed), runs=args.runs, setup=back
                )
                print("1% changed", fig["c_skip"].seconds, fig["c_skip"].result, flush=True)
                fig["c_all"] = measure(
                    lambda: store.import_network(changed, compare_all=True),
                    runs=args.runs,
                    setup=back,
                )
                fig["clear"] = measure(store.clear, runs=1)
                loads.append(_load())
        finally:
            server.stop()
    rows = len(net.nodes) + len(net.edges) + len(net.interactions)
    s, a = fig["skip"].result, fig["all"].result
    table = markdown_table(
        ["step", "median s", "vs", "ratio"],
        [
            ["client-side preparation (`plan_import`)", fig["plan"].text, "", ""],
            ["first import (empty database)", fig["first"].text, "", ""],
            [
                "unchanged re-import (default: unchanged rows not sent)",
                fig["skip"].text,
                f"`compare_all=True` {fig['all'].text} s",
                ratio(fig["skip"], fig["all"]),
            ],
            [
                "unchanged re-import, `compare_all=True` (every row compared by Neo4j)",
                fig["all"].text,
                f"first import {fig['first'].text} s",
                ratio(fig["all"], fig["first"]),
            ],
            [
                "unchanged re-import (default)",
                fig["skip"].text,
                f"`read_network` {fig['read'].text} s",
                ratio(fig["skip"], fig["read"]),
            ],
            [
                "re-import with 1% of stakeholders and relationships changed (default)",
                fig["c_skip"].text,
                f"`compare_all=True` {fig['c_all'].text} s",
                ratio(fig["c_skip"], fig["c_all"]),
            ],
            ["`clear()` of the imported network", fig["clear"].text, "", ""],
        ],
    )
    body = "\n".join(
        [
            f"`bench/bench_reimport.py` on `bench/realshape.py`'s network: {len(net.nodes):,} "
            f"stakeholders, {len(net.edges):,} relationships, {len(net.interactions):,} "
            f"interactions ({rows:,} rows); fresh local Neo4j 5.26, {args.heap} heap, no GDS; "
            f"median of {args.runs} (first import and clear: 1). {machine()}. **The machine was "
            "shared with several other sessions' test runs and benchmarks while this ran** (load "
            f"average 1/5/15 min at start, middle, end: {'; '.join(loads)} on 2 cores), so "
            "compare the ratios, not the seconds.",
            "",
            table,
            "",
            f"Both re-imports report the same counts (default: {s}; compare-all: {a}). The "
            "default looks up the stored row fingerprints of the import's keys (`__gc_row` on "
            "stakeholders and relationships, the content key of interactions; 10,000 keys per "
            "query, answered as one record) and sends only rows whose "
            "fingerprint differs; `graphcap import --compare-all` sends every row as before.",
        ]
    )
    print(body)
    if not args.no_write:
        write_section("Re-import", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
