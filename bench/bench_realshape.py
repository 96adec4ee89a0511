"""Benchmark: real-shaped data (bench/realshape.py) through import, analysis and export.

One fresh local Neo4j (heap 2 GB, with Graph Data Science), one run of each step on the network
of a real meeting register's shape (~10k stakeholders over 10 types, 500 hub advisors, ~16k
relationships, ~20k interactions), each against a baseline measured in the same run:

- first import (``Neo4jStore.import_network`` into an empty database) against the same number of
  rows in the synthetic shape of bench_import.py (few types, big batches);
- unchanged re-import against the first import and against reading the whole network back
  (``read_network``, the floor of comparing every row);
- full analysis as a user runs it (``graphcap metrics``, a new process: read + analyse + print),
  local engine and GDS engine, against the same analysis of the synthetic network in memory;
- ``graphcap export all`` (a new process) with the time of each format, against plain pandas
  writing the same frames to CSV and XLSX.

Run: ``python -m bench realshape`` (writes the "Real-shaped data" section of
docs/PERFORMANCE.md). ``--no-write`` prints only.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import machine, markdown_table, measure, ratio, write_section  # noqa: E402
from bench.bench_import import synthetic_network  # noqa: E402
from bench.realshape import real_shaped  # noqa: E402

#: The machine's load when the run began (a shared machine makes seconds meaningless; ratios hold).
LOAD_AT_START = os.getloadavg()[0]

TARGETS = {"import": 5.0, "reimport": 2.0, "analysis": 3.0, "export": 15.0}


def _load_remark() -> str:
    """A warning when the machine was busier than its CPUs during the run, else nothing."""
    busiest = max(LOAD_AT_START, os.getloadavg()[0])
    if busiest > (os.cpu_count() or 1):
        return " (above the CPU count: compare ratios rather than seconds)"
    return ""


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    exe = Path(sys.executable).parent / "graphcap"
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(exe), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=1800
    )
    seconds = time.perf_counter() - t0
    if proc.returncode:
        raise RuntimeError(f"graphcap {' '.join(args)} failed: {proc.stderr[-2000:]}")
    return seconds, proc.stdout + proc.stderr


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)

    import pandas as pd

    from graphcap.analysis import analyze, clear_cache
    from graphcap.config import ProjectConfig
    from graphcap.localdb.server import LocalNeo4j, free_port
    from graphcap.store import Neo4jStore

    net, schema, toml = real_shaped()
    synth = synthetic_network(len(net.nodes), len(net.edges) + len(net.interactions))
    rows = len(net.nodes) + len(net.edges) + len(net.interactions)
    print(
        f"real-shaped: {len(net.nodes)} stakeholders ({net.nodes['type'].nunique()} types), "
        f"{len(net.edges)} relationships, {len(net.interactions)} interactions",
        flush=True,
    )
    fig: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="graphcap-realshape-") as tmp:
        work = Path(tmp)
        (work / "graphcap.toml").write_text(toml, encoding="utf-8")
        server = LocalNeo4j(
            home=work / "neo4j",
            port=free_port(),
            password=secrets.token_urlsafe(16),
            heap=args.heap,
            pagecache="512m",
        )
        server.start(timeout_s=900, gds=True)
        env = {
            **os.environ,
            "NEO4J_URI": server.settings.uri,
            "NEO4J_USER": "neo4j",
            "NEO4J_PASSWORD": server.password,
            "GRAPHCAP_CONFIG": str(work / "graphcap.toml"),
            "GRAPHCAP_DATA_DIR": str(work / "data"),
        }
        try:
            with Neo4jStore(server.settings, schema=schema) as store:
                store.ensure_schema()
                store.import_network(synth.__class__(synth.nodes.head(200), synth.edges.head(0)))
                store.clear()
                fig["synth"] = measure(
                    lambda: store.import_network(synth), runs=args.runs, setup=store.clear
                )
                print("synthetic import", fig["synth"].seconds, flush=True)
                fig["first"] = measure(
                    lambda: store.import_network(net), runs=args.runs, setup=store.clear
                )
                print("first import", fig["first"].seconds, fig["first"].result, flush=True)
                fig["again"] = measure(lambda: store.import_network(net), runs=max(args.runs, 2))
                print("re-import", fig["again"].seconds, fig["again"].result, flush=True)
                fig["read"] = measure(store.read_network, runs=max(args.runs, 2))
                print("read", fig["read"].seconds, flush=True)
            synth_net = synth.__class__(synth.nodes, synth.edges)

            def synth_analysis() -> object:
                clear_cache()
                return analyze(synth_net, config=ProjectConfig())

            fig["synth_analysis"] = measure(synth_analysis, runs=args.runs)
            print("synthetic analysis (in memory)", fig["synth_analysis"].seconds, flush=True)
            fig["metrics_local"] = _cli(["metrics", "--engine", "local"], env, work)
            print("graphcap metrics local", fig["metrics_local"][0], flush=True)
            fig["metrics_gds"] = _cli(["metrics", "--engine", "gds"], env, work)
            print("graphcap metrics gds", fig["metrics_gds"][0], flush=True)
            fig["export"] = _cli(["export", "all", "--out", str(work / "out")], env, work)
            print("graphcap export all", fig["export"][0], flush=True)
            print(fig["export"][1], flush=True)

            with Neo4jStore(server.settings, schema=schema) as store:
                plain = store.read_network()

            def pandas_dump() -> None:
                plain.nodes.to_csv(work / "n.csv", index=False)
                plain.edges.to_csv(work / "e.csv", index=False)
                with pd.ExcelWriter(work / "dump.xlsx") as xw:
                    plain.nodes.to_excel(xw, sheet_name="nodes", index=False)
                    plain.edges.to_excel(xw, sheet_name="edges", index=False)

            fig["dump"] = measure(pandas_dump, runs=1)
            print("pandas dump", fig["dump"].seconds, flush=True)
        finally:
            server.stop()
    per_format = dict(re.findall(r"^(\w+)\s+\S.*\((\d+\.\d) s\)$", fig["export"][1], re.M))
    body = _report(net, rows, fig, per_format, args)
    print(body)
    if not args.no_write:
        write_section("Real-shaped data", body)
    return 0


def _report(net, rows, fig, per_format, args) -> str:  # type: ignore[no-untyped-def]
    first, again, read, synth = fig["first"], fig["again"], fig["read"], fig["synth"]
    m_local, m_gds, export = fig["metrics_local"][0], fig["metrics_gds"][0], fig["export"][0]
    sa, dump = fig["synth_analysis"], fig["dump"]

    def verdict(seconds: float, target: float) -> str:
        return f"{'meets' if seconds <= target else 'misses'} ≤ {target:g} s"

    table = markdown_table(
        ["step", "seconds", "baseline (same run)", "ratio", "target"],
        [
            [
                "first import (API, empty database)",
                first.text,
                f"synthetic shape, same {rows:,} rows: {synth.text} s",
                ratio(first, synth),
                verdict(first.median, TARGETS["import"]),
            ],
            [
                "re-import, all unchanged",
                again.text,
                f"first import {first.text} s / read_network {read.text} s",
                f"{ratio(again, first)} / {ratio(again, read)}",
                verdict(again.median, TARGETS["reimport"]),
            ],
            [
                "`graphcap metrics` (local engine; process, read, analyse, print)",
                f"{m_local:.3g}",
                f"analysis of the synthetic network in memory: {sa.text} s",
                ratio(m_local, sa),
                verdict(m_local, TARGETS["analysis"]),
            ],
            [
                "`graphcap metrics --engine gds`",
                f"{m_gds:.3g}",
                f"local engine {m_local:.3g} s",
                ratio(m_gds, m_local),
                verdict(m_gds, TARGETS["analysis"]),
            ],
            [
                "`graphcap export all`",
                f"{export:.3g}",
                f"pandas writing nodes+edges to CSV and XLSX: {dump.text} s",
                ratio(export, dump),
                verdict(export, TARGETS["export"]),
            ],
        ],
    )
    formats = ", ".join(f"{k} {v} s" for k, v in per_format.items())
    return "\n".join(
        [
            f"`bench/bench_realshape.py` on `bench/realshape.py`'s network: {len(net.nodes):,} "
            f"stakeholders over {net.nodes['type'].nunique()} types (7,000 projects, 500 advisors "
            f"holding {int((net.edges['type'] == 'ADVISES').sum()):,} ties), {len(net.edges):,} "
            f"relationships over {net.edges['type'].nunique()} types, {len(net.interactions):,} "
            f"interactions; fresh local Neo4j 5.26 with GDS {args.heap} heap; "
            f"{args.runs} run(s), re-import and read 2. {machine()}; load average (1 min) "
            f"{LOAD_AT_START:.1f} at the start and {os.getloadavg()[0]:.1f} at the end on "
            f"{os.cpu_count()} CPUs{_load_remark()}.",
            "",
            table,
            "",
            f"`export all` by format: {formats}.",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
