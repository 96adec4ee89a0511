"""Benchmark: the analysis facade and its domain metrics against named baselines.

For each size, the seeded sample network (the same scaled sample as bench_metrics) is analysed
end to end by :func:`graphcap.analysis.analyze` (cache cleared before every run), and the stages
are set against baselines computed in the same run on the same graph:

- the whole analysis against the structural suite alone (:func:`graphcap.metrics.suite
  .node_metrics` on the projected graph): what the domain metrics add on top;
- tie strengths (strongest path from the organisation to everyone, product of strengths) by
  scipy's multi-source Dijkstra against ``networkx.multi_source_dijkstra`` on ``-log(strength)``:
  the same definition, results checked equal;
- the organisation's brokerage (onward reach of its contacts, graphcap.metrics.rci_dims) in
  absolute seconds;
- strength model, value/concentration, at-risk radar and grid: absolute seconds.

Run: ``python bench/bench_analysis.py [--sizes 1k,10k] [--runs N]``; figures go to the "Analysis"
section of docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import machine, markdown_table, measure, ratio, write_section  # noqa: E402
from bench.bench_metrics import sample  # noqa: E402
from graphcap.analysis import analyze, clear_cache  # noqa: E402
from graphcap.graph.projection import to_weighted  # noqa: E402
from graphcap.metrics.paths import contract_focal, tie_strengths  # noqa: E402
from graphcap.metrics.rci_dims import brokerage_reach  # noqa: E402
from graphcap.metrics.risk import at_risk, single_threaded  # noqa: E402
from graphcap.metrics.strength import compute_strength  # noqa: E402
from graphcap.metrics.suite import node_metrics  # noqa: E402
from graphcap.metrics.value import concentration, stakeholder_value  # noqa: E402


def _nx_ties(G: nx.Graph, focal: list[str]) -> dict:
    dist = nx.multi_source_dijkstra_path_length(G, set(focal), weight="cost")
    return {n: math.exp(-d) for n, d in dist.items()}


def run_size(size: str, runs: int) -> str:
    net = sample(size)
    strong = compute_strength(net)
    G = to_weighted(strong)
    focal = strong.focal_ids()
    H = contract_focal(G, focal)

    full = measure(lambda: analyze(net), runs=runs, setup=clear_cache)
    suite = measure(lambda: node_metrics(G, focal=focal, seed=42), runs=runs)
    ties = measure(lambda: tie_strengths(G, focal), runs=runs)
    nx_ties = measure(lambda: _nx_ties(G, focal), runs=runs)
    ours = ties.result.set_index("id")["tie_strength"]
    diff = max(abs(ours[n] - s) for n, s in nx_ties.result.items())
    assert diff < 1e-9, f"tie strengths differ from networkx by {diff}"
    brok = measure(lambda: brokerage_reach(G, focal), runs=runs)
    strength = measure(lambda: compute_strength(net), runs=runs)
    values = stakeholder_value(strong)
    value = measure(lambda: concentration(stakeholder_value(strong)), runs=runs)
    single = single_threaded(H, focal)
    radar = measure(lambda: at_risk(strong, values, single=single), runs=runs)
    single_t = measure(lambda: single_threaded(H, focal), runs=runs)
    rows = [
        [
            "analyze() end to end",
            full.text,
            ratio(full, suite),
            "node_metrics suite alone",
            suite.text,
        ],
        [
            "tie strengths (strongest paths)",
            ties.text,
            ratio(ties, nx_ties),
            "networkx multi_source_dijkstra",
            nx_ties.text,
        ],
    ]
    rows.append(["organisation's brokerage (onward reach)", brok.text, "", "", ""])
    rows += [
        ["strength model", strength.text, "", "", ""],
        ["value and concentration", value.text, "", "", ""],
        ["single-threaded (bridges)", single_t.text, "", "", ""],
        ["at-risk radar", radar.text, "", "", ""],
    ]
    stages = ", ".join(f"{k} {v:.2f}" for k, v in full.result.timings.items())
    head = (
        f"**{size}**: {net.counts['nodes']:,} stakeholders, {net.counts['edges']:,} relationships, "
        f"{net.counts['interactions']:,} interactions; median of {runs}. Stages of the last "
        f"analyze() run (s): {stages}."
    )
    return (
        head
        + "\n\n"
        + markdown_table(["what", "graphcap s", "ratio", "baseline", "baseline s"], rows)
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k", help="comma-separated: 1k, 10k, 100k")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    parts = [
        "`graphcap.analysis.analyze` end to end (strength, projection, suite, value, radar, grid, RCI) "
        "and its domain metrics against baselines measured in the same run on the same graph. "
        "Ratios below 1 mean graphcap is faster; the end-to-end ratio says how much the whole "
        "analysis costs over the structural suite alone. `python bench/bench_analysis.py`.",
        f"Measured {machine()}.",
    ]
    for size in args.sizes.split(","):
        print(f"analysis benchmark {size} ...", flush=True)
        parts.append(
            run_size(size.strip(), args.runs if size.strip() == "1k" else max(1, args.runs - 1))
        )
    write_section("Analysis", "\n\n".join(parts))
    print("\n\n".join(parts))


if __name__ == "__main__":
    main()
