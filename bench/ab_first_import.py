"""Benchmark: the first import of real-shaped data, this checkout against another one.

Per round and checkout, one process starts a fresh local Neo4j (no GDS), and then does what
``bench_realshape.py`` does before its first import: the schema, a 200-stakeholder warm-up,
then the synthetic network of the same row count (bench_import.py's shape) into the empty
database -- the baseline -- and bench/realshape.py's network into the empty database. Each
import is timed in wall seconds, the client's CPU seconds (user + system of the process) and
the server's (of the Neo4j process, from /proc). The checkouts alternate, the order swapped
every round, so a busy moment of the shared machine hits both alike; the ratio that counts is
real-shaped / synthetic of the same process.

Not run by ``python -m bench`` (it needs a second checkout). Run:
``python bench/ab_first_import.py --other /path/to/main/checkout --runs 2 [--port P --home DIR]``.
Prints only (the figures go into docs/PERFORMANCE.md by hand).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_ONE = """
import json, os, resource, secrets, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from bench.bench_import import synthetic_network
from bench.realshape import real_shaped
from graphcap.localdb.server import LocalNeo4j
from graphcap.store import Neo4jStore

def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime

def server_cpu(pid):
    f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

net, schema, _ = real_shaped()
synth = synthetic_network(len(net.nodes), len(net.edges) + len(net.interactions))
server = LocalNeo4j(home=Path(sys.argv[2]), port=int(sys.argv[3]),
                            password=secrets.token_urlsafe(16), heap="2g", pagecache="512m")
server.start(timeout_s=900)
out = {}
try:
    with Neo4jStore(server.settings, schema=schema) as store:
        store.ensure_schema()
        store.import_network(synth.__class__(synth.nodes.head(200), synth.edges.head(0)))
        for name, network in (("synthetic", synth), ("real", net)):
            store.clear()
            c, s, t = cpu(), server_cpu(server.pid), time.perf_counter()
            summary = store.import_network(network)
            out[name] = [time.perf_counter() - t, cpu() - c, server_cpu(server.pid) - s]
            assert summary.nodes.created == len(network.nodes), summary
            assert summary.interactions.created == len(network.interactions), summary
finally:
    server.stop()
print(json.dumps(out))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--other", required=True, type=Path, help="the checkout to compare with")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--port", type=int, default=47801)
    ap.add_argument("--home", type=Path, default=None, help="folder for the servers' data")
    args = ap.parse_args(argv)
    home = args.home or Path(tempfile.mkdtemp(prefix="graphcap-ab-first-"))
    figures: dict[str, list[dict[str, list[float]]]] = {"this": [], "other": []}
    loads = [os.getloadavg()[0]]
    order = [("other", args.other), ("this", ROOT)]
    for r in range(args.runs):
        for name, where in order if r % 2 == 0 else order[::-1]:
            folder = home / f"{name}-{r}"
            done = subprocess.run(
                [sys.executable, "-c", _ONE, str(where), str(folder), str(args.port)],
                capture_output=True,
                text=True,
                check=True,
                cwd=where,
            )
            fig = json.loads(done.stdout.strip().splitlines()[-1])
            figures[name].append(fig)
            real, synth = fig["real"], fig["synthetic"]
            print(
                f"round {r + 1} {name}: real {real[0]:.2f} s (client CPU {real[1]:.2f}, server "
                f"CPU {real[2]:.2f}), synthetic {synth[0]:.2f} s ({synth[1]:.2f}, {synth[2]:.2f}),"
                f" ratio {real[0] / synth[0]:.2f}x (CPU {sum(real[1:]) / sum(synth[1:]):.2f}x), "
                f"load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    loads.append(os.getloadavg()[0])
    for name, runs in figures.items():
        ratios = [f["real"][0] / f["synthetic"][0] for f in runs]
        cpu = [sum(f["real"][1:]) / sum(f["synthetic"][1:]) for f in runs]
        real = statistics.median(f["real"][0] for f in runs)
        print(
            f"{name}: real-shaped first import median {real:.2f} s, ratio to the synthetic "
            f"baseline median {statistics.median(ratios):.2f}x (CPU {statistics.median(cpu):.2f}x)"
        )
    print(f"load average (1 min) {loads[0]:.1f} at the start, {loads[1]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
