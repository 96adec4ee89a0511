"""Benchmark: reach2 exact against its HyperLogLog estimate (graphcap.metrics.reach_sketch).

Each (method, size) runs in a process of its own, so its peak resident memory is its own:
the process builds a synthetic network with the degree shape of ``graphcap sample --scale huge``
(every stakeholder ties to a business unit -- one per 20,000 stakeholders, the hubs -- and the
other ties go to a business unit for a fifth of them, else to a stakeholder drawn from a
heavy-tailed Pareto(1.2) over the id range; the undirected view, as the analysis measures it),
then times ``reach2_array`` (exact, as on main) or ``reach2_estimate`` (the sketch). Reported:
wall and CPU seconds (user + sys of that process during the computation), the process's peak
resident memory and its resident memory before the computation (the graph), and for every size
where both ran, the estimate's error against the exact count: median, 99th percentile and
largest relative error, and the mean relative error (bias).

``python bench/bench_reach.py --sizes 200000:1000000,1000000:5000000``; the sketch runs first
and again after the exact count (the machine is shared: both sketch runs are shown). Figures go to
a subsection of "Scale" in docs/PERFORMANCE.md, pasted by hand (this script only prints).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from bench._harness import load_average, machine, markdown_table  # noqa: E402


def huge_shape(n: int, ties: int, seed: int = 42):
    """The undirected engine graph of a network shaped like ``graphcap sample --scale huge``."""
    from graphcap.graph.engine import EngineGraph

    rng = np.random.default_rng(seed)
    units = max(1, n // 20_000)
    extra = max(0, int(ties * 1.1) - n)  # a tenth more: duplicates and self-ties go
    src = np.concatenate([np.arange(n), rng.integers(0, n, extra)])
    to_unit = rng.random(src.size) < 0.2
    to_unit[:n] = True
    dst = np.where(
        to_unit,
        rng.integers(0, units, src.size),
        (rng.pareto(1.2, src.size) * 50).astype(np.int64) % n,
    )
    keep = src != dst
    lo, hi = np.minimum(src[keep], dst[keep]), np.maximum(src[keep], dst[keep])
    pairs = np.unique(lo * n + hi)
    if pairs.size > ties:
        pairs = np.sort(rng.choice(pairs, size=ties, replace=False))
    return EngineGraph.from_arrays(range(n), pairs // n, pairs % n, directed=False)


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(method: str, n: int, ties: int, out: Path) -> None:
    from graphcap.metrics.reach import reach2_array
    from graphcap.metrics.reach_sketch import reach2_estimate

    eg = huge_shape(n, ties)
    degree = np.bincount(np.r_[eg.src, eg.dst], minlength=n)
    before = _rss_mb()
    cpu0, wall0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    values = reach2_array(eg) if method == "exact" else reach2_estimate(eg, seed=42)
    wall = time.perf_counter() - wall0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    np.save(out.with_suffix(".npy"), values)
    out.write_text(
        json.dumps(
            {
                "method": method,
                "nodes": n,
                "ties": int(eg.m),
                "largest_degree": int(degree.max()),
                "wall_s": wall,
                "cpu_s": (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime),
                "peak_mb": cpu1.ru_maxrss / 1024,
                "graph_mb": before,
                "load": load_average(),
            }
        )
    )


def run(method: str, n: int, ties: int, folder: Path, tag: str) -> dict:
    out = folder / f"{method}-{n}-{tag}.json"
    cmd = [sys.executable, __file__, "--child", method, "--sizes", f"{n}:{ties}", "--out", str(out)]
    subprocess.run(cmd, check=True)
    result = json.loads(out.read_text())
    result["values"] = np.load(out.with_suffix(".npy"))
    print(f"{method} {n}:{ties} {tag}: {result['wall_s']:.1f} s wall, {result['cpu_s']:.1f} s "
          f"CPU, peak {result['peak_mb']:.0f} MB, load {result['load']}", file=sys.stderr)  # fmt: skip
    return result


def errors(estimate: np.ndarray, exact: np.ndarray) -> dict[str, float]:
    reached = exact > 0
    rel = (estimate[reached] - exact[reached]) / exact[reached]
    return {
        "median": float(np.median(np.abs(rel))),
        "p99": float(np.quantile(np.abs(rel), 0.99)),
        "max": float(np.abs(rel).max()),
        "bias": float(rel.mean()),
        "zero_ok": bool((estimate[~reached] == 0).all()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200000:1000000,1000000:5000000")
    parser.add_argument("--child", choices=["exact", "sketch"])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    sizes = [tuple(int(x) for x in s.split(":")) for s in args.sizes.split(",")]
    if args.child:
        child(args.child, *sizes[0], args.out)
        return
    print(machine(), file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-reach-") as tmp:
        folder = Path(tmp)
        for n, ties in sizes:
            first = run("sketch", n, ties, folder, "a")
            exact = run("exact", n, ties, folder, "b")
            again = run("sketch", n, ties, folder, "c")
            err = errors(first["values"], exact["values"])
            assert np.array_equal(first["values"], again["values"])  # same seed, same numbers
            for r in (first, exact, again):
                rows.append(
                    [
                        f"{n:,} / {r['ties']:,} (largest degree {r['largest_degree']:,})",
                        r["method"],
                        f"{r['wall_s']:.1f}",
                        f"{r['cpu_s']:.1f}",
                        f"{exact['cpu_s'] / r['cpu_s']:.1f}x",
                        f"{r['peak_mb']:,.0f} ({r['graph_mb']:,.0f})",
                        r["load"],
                    ]
                )
            rows.append(
                [
                    "",
                    "error of the sketch",
                    f"median {err['median']:.2%}, p99 {err['p99']:.2%}, max {err['max']:.2%}",
                    f"bias {err['bias']:+.2%}",
                    "zero where exact is zero" if err["zero_ok"] else "NOT zero where exact is",
                    "",
                    "",
                ]
            )
    headers = ["stakeholders / ties", "reach2", "wall s", "CPU s", "exact CPU / this CPU",
               "peak MB (graph)", "load 1/5/15"]  # fmt: skip
    print(markdown_table(headers, rows))


if __name__ == "__main__":
    main()
