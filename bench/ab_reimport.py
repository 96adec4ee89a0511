"""Benchmark: the unchanged re-import of real-shaped data, this checkout against another one.

Both checkouts re-import bench/realshape.py's network into the same running Neo4j (``NEO4J_URI``,
``NEO4J_USER``, ``NEO4J_PASSWORD``; the network must already be imported), alternately, each in
its own process, so a busy moment of the shared machine hits both alike. Reports the median of
``plan_import`` (client-side preparation) and of the whole re-import for each, and the ratio.

Not run by ``python -m bench`` (it needs a second checkout). Run: ``python bench/ab_reimport.py --other /path/to/main/checkout --runs 3``. Prints only
(the figures go into the "Real-shaped data" section of docs/PERFORMANCE.md by hand).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_ONE = """
import sys, time
sys.path.insert(0, sys.argv[1])
from bench.realshape import real_shaped
from graphcap.store import Neo4jStore
from graphcap.store.import_plan import plan_import
net, schema, _ = real_shaped()
with Neo4jStore.from_env(schema=schema) as store:
    t = time.perf_counter(); plan_import(net, schema, batch_size=10_000)
    plan = time.perf_counter() - t
    t = time.perf_counter(); summary = store.import_network(net)
    print(plan, time.perf_counter() - t, summary.changed)
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--other", required=True, type=Path, help="the checkout to compare with")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    figures: dict[str, list[tuple[float, float]]] = {"this": [], "other": []}
    loads = [os.getloadavg()[0]]
    for _ in range(args.runs):
        for name, where in (("other", args.other), ("this", ROOT)):
            out = subprocess.run(
                [sys.executable, "-c", _ONE, str(where)],
                capture_output=True,
                text=True,
                check=True,
                cwd=where,
            ).stdout.split()
            if out[2] != "False":
                raise SystemExit(f"{name}: the re-import changed the graph: not an unchanged run")
            figures[name].append((float(out[0]), float(out[1])))
    loads.append(os.getloadavg()[0])
    med = {
        k: (statistics.median(p for p, _ in v), statistics.median(s for _, s in v))
        for k, v in figures.items()
    }
    print(f"load average (1 min) at start/end: {loads[0]:.1f} / {loads[1]:.1f}")
    for i, what in enumerate(("plan_import", "unchanged re-import")):
        print(
            f"{what}: this {med['this'][i]:.2f} s, other {med['other'][i]:.2f} s, "
            f"ratio {med['this'][i] / med['other'][i]:.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
