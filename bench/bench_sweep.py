"""Benchmark: the risk sweep and the radar backtest at 1k and 10k stakeholders.

- the risk sweep (graphcap.metrics.sweep: every stakeholder lost in turn, money cut off by kind,
  the index after, in one dominator-tree pass) against a plain networkx loop doing the same
  removals: for each stakeholder, drop it, find what the organisation still reaches
  (``nx.node_connected_component``), add up the value of the rest. Both results are checked
  equal (money cut off). At 10k the loop runs over a fixed sample of removals and its time is
  scaled to all of them (said in the table);
- the backtest (graphcap.metrics.backtest) against doing its main step by hand: cutting the
  data at the date (``cut_at``) and running the whole analysis on it once (``analyze``); the
  backtest adds the outcome after the date and the recency baseline to a leaner radar run.

Run: ``python bench/bench_sweep.py [--sizes 1k,10k] [--runs N]``; figures go to the "Risk sweep
and backtest" section of docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import machine, markdown_table, measure, ratio, write_section  # noqa: E402
from bench.bench_metrics import sample  # noqa: E402
from graphcap.analysis import analyze, clear_cache  # noqa: E402
from graphcap.metrics.backtest import backtest, cut_at  # noqa: E402
from graphcap.metrics.paths import usable  # noqa: E402
from graphcap.metrics.sweep import risk_sweep  # noqa: E402


def _nx_loop(
    G: nx.Graph, focal: list[str], revenue: dict[str, float], who: list[str]
) -> dict[str, float]:
    """Revenue cut off (direct excluded) per removed stakeholder, one BFS per removal."""
    H = nx.Graph(usable(G))
    before = set().union(*(nx.node_connected_component(H, f) for f in focal if f in H))
    out = {}
    for sid in who:
        view = nx.restricted_view(H, [sid], [])
        after = set().union(*(nx.node_connected_component(view, f) for f in focal if f in view))
        out[sid] = sum(revenue.get(n, 0.0) for n in before - after - {sid})
    return out


def run_size(size: str, runs: int) -> str:
    net = sample(size)
    a = analyze(net)
    focal = a.focal_ids
    sweep = measure(lambda: risk_sweep(a.graph, focal, a.parts, a.rci), runs=runs)
    table = sweep.result.set_index("id")
    revenue = a.nodes.set_index("id")["revenue"].fillna(0.0).to_dict()
    ids = [i for i in a.nodes["id"] if i not in focal]
    n_loop = len(ids) if len(ids) <= 2000 else 300
    who = list(pd.Series(ids).sample(n_loop, random_state=1)) if n_loop < len(ids) else ids
    start = time.perf_counter()
    cut = _nx_loop(a.graph, focal, revenue, who)
    loop_s = (time.perf_counter() - start) * len(ids) / len(who)
    # the sweep's revenue cut off: where revenue is the row's kind, else recompute from shares
    for sid in who[:200]:
        if table.loc[sid, "kind"] == "revenue":
            assert np.isclose(table.loc[sid, "cut_off"], cut[sid]), sid
    bt_date = (pd.to_datetime(net.interactions["date"]).max() - pd.Timedelta(days=200)).date()
    bt = measure(lambda: backtest(net, bt_date, horizon_days=180), runs=runs)

    def analysed_by_hand():  # type: ignore[no-untyped-def]
        clear_cache()  # analyze() caches per network: each run must compute
        return analyze(cut_at(net, bt_date), as_of=bt_date)

    by_hand = measure(analysed_by_hand, runs=runs)
    note = "" if n_loop == len(ids) else f" ({n_loop} removals timed, scaled to {len(ids):,})"
    rows = [
        [
            "risk sweep (all stakeholders)",
            sweep.text,
            ratio(sweep.median, loop_s),
            "networkx loop, one BFS per removal" + note,
            f"{loop_s:.2f}",
        ],
        [
            "radar backtest (cut, radar, outcome, recency baseline)",
            bt.text,
            ratio(bt.median, by_hand.median),
            "by hand: cut the data at the date, run the whole analysis once",
            by_hand.text,
        ],
    ]
    head = (
        f"**{size}**: {net.counts['nodes']:,} stakeholders, {net.counts['edges']:,} relationships, "
        f"{net.counts['interactions']:,} interactions; median of {runs}."
    )
    return (
        head
        + "\n\n"
        + markdown_table(["what", "graphcap s", "ratio", "baseline", "baseline s"], rows)
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k", help="comma-separated: 1k, 10k")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    parts = [
        "Risk sweep against a plain networkx loop doing the same removals, and the radar "
        "backtest; ratios below 1 mean graphcap is faster. `python bench/bench_sweep.py`.",
        f"Measured {machine()}.",
    ]
    for size in args.sizes.split(","):
        print(f"sweep benchmark {size} ...", flush=True)
        parts.append(run_size(size.strip(), args.runs))
    write_section("Risk sweep and backtest", "\n\n".join(parts))
    print("\n\n".join(parts))


if __name__ == "__main__":
    main()
