"""Benchmark: `graphcap metrics` on real-shaped data, this checkout against another one.

The full analysis as a user runs it (a new process: start, read the stored network, analyse,
print the summary) for bench/realshape.py's network, this checkout and another one (e.g. the main
checkout) alternately, each in its own process, so a busy moment of the shared machine hits both
alike. Reports the medians of wall and CPU time (user + system of the process: what the client
costs, less distorted by a loaded machine than wall time), their ratios and the load average,
and checks that both printed the same summary (the results must not change); then the same for
``Neo4jStore.read_network`` alone (a warm read in each checkout's own process).

Uses the Neo4j in ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD`` when set (the network must
already be imported, with the project types of ``realshape.TOML`` in ``GRAPHCAP_CONFIG``);
otherwise starts a fresh local Neo4j, imports the network, and stops it at the end.

Not run by ``python -m bench`` (it needs a second checkout). Run:
``python bench/ab_metrics.py --other /work/main --runs 3`` (``--engine gds`` for the GDS engine). Prints only (the figures go into
the "Real-shaped data" section of docs/PERFORMANCE.md by hand).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: runs `graphcap metrics` from the checkout in argv[1] (its code first on sys.path)
_CLI = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); "
    "from graphcap.cli import main; sys.argv[0] = 'graphcap'; sys.exit(main())"
)


#: times Neo4jStore.read_network of the checkout in argv[1] (after one warm-up read)
_READ = """
import sys, time
sys.path.insert(0, sys.argv[1])
from bench.realshape import real_shaped
from graphcap.store import Neo4jStore
_, schema, _ = real_shaped()
with Neo4jStore.from_env(schema=schema) as store:
    store.read_network()
    t = time.perf_counter(); store.read_network(); print(time.perf_counter() - t)
"""


def read_seconds(where: Path, env: dict[str, str]) -> float:
    """Seconds of one warm ``read_network`` of the real-shaped network by checkout ``where``."""
    out = subprocess.run(
        [sys.executable, "-c", _READ, str(where)],
        env=env,
        cwd=where,
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    return float(out.stdout.split()[-1])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_metrics(where: Path, args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds and CPU seconds (user + system) of one `graphcap metrics ARGS` of the
    checkout ``where``, and what it printed."""
    cpu = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CLI, str(where), "metrics", *args],
        env=env,
        cwd=where,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    seconds = time.perf_counter() - t0
    if proc.returncode:
        raise RuntimeError(f"{where}: graphcap metrics failed: {proc.stderr[-2000:]}")
    return seconds, _children_cpu() - cpu, proc.stdout


def compare(other: Path, runs: int, args: list[str], env: dict[str, str]) -> int:
    figures: dict[str, list[float]] = {"this": [], "other": []}
    cpus: dict[str, list[float]] = {"this": [], "other": []}
    printed: dict[str, set[str]] = {"this": set(), "other": set()}
    loads = [os.getloadavg()[0]]
    for _ in range(runs):
        for name, where in (("other", other), ("this", ROOT)):
            seconds, cpu, text = run_metrics(where, args, env)
            figures[name].append(seconds)
            cpus[name].append(cpu)
            printed[name].add(text)
    reads: dict[str, list[float]] = {"this": [], "other": []}
    for _ in range(runs):
        for name, where in (("other", other), ("this", ROOT)):
            reads[name].append(read_seconds(where, env))
    loads.append(os.getloadavg()[0])
    for name, secs in figures.items():
        print(f"{name}: wall " + ", ".join(f"{s:.2f}" for s in secs), end="; ")
        print("CPU " + ", ".join(f"{s:.2f}" for s in cpus[name]))
    this, base = statistics.median(figures["this"]), statistics.median(figures["other"])
    print(f"load average (1 min) at start/end: {loads[0]:.1f} / {loads[1]:.1f}")
    print(
        f"graphcap metrics {' '.join(args)}: this {this:.2f} s, other {base:.2f} s, "
        f"ratio {this / base:.2f}x"
    )
    this_cpu, base_cpu = statistics.median(cpus["this"]), statistics.median(cpus["other"])
    print(
        f"CPU (user + system of the process): this {this_cpu:.2f} s, other {base_cpu:.2f} s, "
        f"ratio {this_cpu / base_cpu:.2f}x"
    )
    this_read, base_read = statistics.median(reads["this"]), statistics.median(reads["other"])
    print(
        f"read_network alone: this {this_read:.2f} s, other {base_read:.2f} s, "
        f"ratio {this_read / base_read:.2f}x"
    )
    same = printed["this"] == printed["other"] and len(printed["this"]) == 1
    print("printed output identical:" if same else "PRINTED OUTPUT DIFFERS:", same)
    return 0 if same else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--other", required=True, type=Path, help="the checkout to compare with")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--heap", default="2g")
    ap.add_argument(
        "--table", default="summary", help="the table to print (summary, nodes, risks, ...)"
    )
    ap.add_argument(
        "--engine",
        choices=["local", "gds"],
        default="local",
        help="the metrics engine (gds: the server needs Graph Data Science; a fresh local "
        "server is started with it)",
    )
    args = ap.parse_args(argv)
    cli_args = ["--engine", args.engine, "--table", args.table, "--format", "csv"]
    if args.table == "summary":
        cli_args = ["--engine", args.engine]
    if os.environ.get("NEO4J_URI"):
        return compare(args.other, args.runs, cli_args, dict(os.environ))

    from bench._harness import fresh_neo4j
    from bench.realshape import real_shaped
    from graphcap.store import Neo4jStore

    net, schema, toml = real_shaped()
    with tempfile.TemporaryDirectory(prefix="graphcap-abmetrics-") as tmp:
        work = Path(tmp)
        (work / "graphcap.toml").write_text(toml, encoding="utf-8")
        with fresh_neo4j(work / "neo4j", args.heap, gds=args.engine == "gds") as server:
            with Neo4jStore(server.settings, schema=schema) as store:
                store.ensure_schema()
                store.import_network(net)
            env = {
                **os.environ,
                "NEO4J_URI": server.settings.uri,
                "NEO4J_USER": "neo4j",
                "NEO4J_PASSWORD": server.password,
                "GRAPHCAP_CONFIG": str(work / "graphcap.toml"),
                "GRAPHCAP_DATA_DIR": str(work / "data"),
            }
            return compare(args.other, args.runs, cli_args, env)


if __name__ == "__main__":
    sys.exit(main())
