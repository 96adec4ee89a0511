"""Benchmark: the position/brokerage/community suite against igraph and networkit.

For each size, the seeded sample network (:func:`graphcap.sample.generate_sample`, scaled) is
taken to the undirected weighted view and the full suite (:func:`graphcap.metrics.suite
.node_metrics` from the frames, conversion included) is timed. Then every measure is timed in
graphcap, igraph and networkit computing the *same definition* on the same graph, interleaved
(single thread: the machine is shared, graphcap is single-threaded too), and graphcap's median
is reported as a ratio to the fastest library. At 1k the networkx reference is timed as well.

Same definitions: betweenness exact (1k) or from the same 256 pivots (above the exact limit);
closeness/harmonic exact, or the distances from 256 pivots (what graphcap's estimator needs;
graphcap computes closeness and harmonic in one pass, so harmonic costs ~0 after closeness);
eigenvector, PageRank (damping 0.85; igraph's faster of PRPACK and ARPACK), coreness, Burt's
constraint, Louvain (no refinement), articulation points, the dominator tree. "—" means the
library has no such function.

Run: ``python bench/bench_metrics.py [--sizes 1k,10k,100k] [--runs N]``; figures go to the
"Metrics" section of docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import machine, markdown_table, measure, ratio, write_section  # noqa: E402
from graphcap.graph.engine import sample_positions  # noqa: E402
from graphcap.graph.projection import to_engine, to_weighted  # noqa: E402
from graphcap.metrics import betweenness, closeness, position, spectral  # noqa: E402
from graphcap.metrics.suite import node_metrics  # noqa: E402
from graphcap.sample import SCALES, generate_sample  # noqa: E402

SIZES = {
    "1k": 0.01,
    "10k": 0.1,
    "100k": 1.0,
}
TARGET = {"1k": 0.5, "10k": 10.0, "100k": None}

NOTES = """\
How to read it:

- Path measures are exact up to nodes x ties = 10 million, above that 256 pivots (the same sources
  networkx would draw for `k=256`). Measured error (tests/metrics/test_position.py asserts it): the
  largest error of any node's score is at most 6% of the top score on undirected graphs and 20% on
  directed ones (5.3% and 14.6% measured on 3,000-node graphs).
- `harmonic` costs ~0 after `closeness`: both come from one pass over the pivots' distances.
  `gatekeeper` reuses the dominator tree of `dependents`. `effective_size` and `constraint` are
  computed from igraph's triangle list, vectorised: the triangle list alone is the effective-size
  baseline (no library has the measure), igraph's own constraint walks every contact's contacts,
  which the focal organisation's 94k ties make slow at 100k.
- `reach2` walks two-step neighbourhoods directly (igraph) while the sum of squared degrees stays
  under 3e8 and switches to hub bit masks above: at 100k the focal organisation's 94k ties make
  the direct walk cost 10^10 steps.
- `louvain` row: graphcap runs igraph's Leiden algorithm on the modularity objective (one
  iteration; Louvain's moves and aggregation plus a refinement that keeps communities connected),
  the igraph column is igraph's Louvain (`multilevel`), the networkit column networkit's PLM
  (Louvain). Same objective, not the same algorithm: at 100k/500k Leiden reached modularity
  0.2403 against PLM's 0.2413 and multilevel's 0.2392 (measured once by hand, seed 0). igraph's
  multilevel was 5.8x PLM's time there, which is why graphcap moved to Leiden. networkit is not a
  runtime dependency: its PLM crashed (segfault) when seeded for a reproducible result here.
"""


def sample(size: str):
    f = SIZES[size]
    full = SCALES["bench"]
    counts = {
        k: (max(16, int(v * f)) if k in ("partners", "agencies", "competitors") else int(v * f))
        for k, v in full.items()
        if k != "links"
    }
    return generate_sample(seed=7, links=full["links"], max_interactions=20_000, **counts)


def jobs(eg, focal_ids, G, sampled: bool) -> dict[str, dict[str, Callable[[], object] | None]]:
    """Per measure, a callable for graphcap and each library computing the same definition."""
    import igraph as ig
    import networkit as nk
    import networkx as nx

    from graphcap.metrics import brokerage, communities

    nk.engineering.setNumberOfThreads(1)
    warnings.simplefilter("ignore", RuntimeWarning)  # igraph on disconnected graphs
    g: ig.Graph = eg.ig
    w, d = eg.ig_weights("weight"), eg.ig_weights("distance")
    wv, dv = eg.weights("weight"), eg.weights("distance")
    coo = (np.r_[wv], (eg.src, eg.dst))
    kg = nk.GraphFromCoo(coo, n=eg.n, directed=False, weighted=True)
    kd = nk.GraphFromCoo((np.r_[dv], (eg.src, eg.dst)), n=eg.n, directed=False, weighted=True)
    ku = nk.GraphFromCoo(coo, n=eg.n, directed=False, weighted=False)
    pivots = sample_positions(eg.n, position.DEFAULT_PIVOTS, 0)
    focal = [eg.index[v] for v in focal_ids]
    dg = g.as_directed(mode="mutual")
    dg.add_vertices(1)
    dg.add_edges([(eg.n, f) for f in focal])
    sinks = nk.centrality.SinkHandling.DistributeSinks
    gen = nk.centrality.ClosenessVariant.GENERALIZED

    def run(algo_factory):
        return lambda: algo_factory().run()

    def cold(fn):  # graphcap without the intermediate results another measure left behind
        def call():
            eg.memo.clear()
            return fn()

        return call

    if sampled:
        blocks = [pivots[i : i + 16] for i in range(0, len(pivots), 16)]  # bounded memory

        def nk_distances() -> None:
            for block in blocks:
                spsp = nk.distance.SPSP(kd, block)
                spsp.run()
                np.asarray(spsp.getDistances())

        def ig_distances() -> None:
            for block in blocks:
                np.asarray(g.distances(source=block, weights=d))

        between = {
            "igraph": lambda: g.betweenness(weights=d, sources=pivots),
            "networkit": run(
                lambda: nk.centrality.EstimateBetweenness(kd, len(pivots), True, False)
            ),
        }
        close = {"igraph": ig_distances, "networkit": nk_distances}
        harm = dict(close)
    else:
        between = {
            "igraph": lambda: g.betweenness(weights=d),
            "networkit": run(lambda: nk.centrality.Betweenness(kd, True)),
        }
        close = {
            "igraph": lambda: g.closeness(weights=d),
            "networkit": run(lambda: nk.centrality.Closeness(kd, True, gen)),
        }
        harm = {
            "igraph": lambda: g.harmonic_centrality(weights=d),
            "networkit": run(lambda: nk.centrality.HarmonicCloseness(kd, False)),
        }
    table: dict[str, dict[str, Callable[[], object] | None]] = {
        "betweenness": {
            "graphcap": cold(lambda: betweenness.betweenness_array(eg, weight="distance")),
            **between,
        },
        "closeness": {
            "graphcap": cold(lambda: closeness.closeness_array(eg, distance="distance")),
            **close,
        },
        "harmonic (after closeness)": {
            "graphcap": lambda: closeness.harmonic_array(eg, distance="distance"),
            **harm,
        },
        "eigenvector": {
            "graphcap": lambda: spectral.eigenvector_array(eg, weight="weight"),
            "igraph": lambda: g.eigenvector_centrality(weights=w),
            "networkit": run(lambda: nk.centrality.EigenvectorCentrality(kg, 1e-9)),
        },
        "pagerank": {
            "graphcap": lambda: spectral.pagerank_array(eg, weight="weight"),
            "igraph": lambda: min(
                g.pagerank(weights=w, implementation=i)[0] for i in ("prpack", "arpack")
            ),
            "networkit": run(lambda: nk.centrality.PageRank(kg, 0.85, 1e-9, False, sinks)),
        },
        "reach2": {
            "graphcap": lambda: position.reach2_array(eg),
            "igraph": lambda: g.neighborhood_size(order=2, mindist=1),
            "networkit": None,
        },
        "core": {
            "graphcap": lambda: position.core_number_array(eg),
            "igraph": lambda: g.coreness(),
            "networkit": run(lambda: nk.centrality.CoreDecomposition(ku)),
        },
        "constraint": {
            "graphcap": lambda: brokerage.constraint_array(eg, weight="weight"),
            "igraph": lambda: g.constraint(weights=w),
            "networkit": None,
        },
        "effective_size": {
            "graphcap": lambda: brokerage.effective_size_array(eg, weight="weight"),
            "igraph": lambda: g.list_triangles(),
            "networkit": None,
        },
        "articulation points": {
            "graphcap": lambda: brokerage.articulation_array(eg),
            "igraph": lambda: g.articulation_points(),
            "networkit": run(lambda: nk.components.BiconnectedComponents(kg)),
        },
        "louvain": {
            "graphcap": lambda: communities.leiden_array(eg, weight="weight"),
            "igraph": lambda: g.community_multilevel(weights=w),
            "networkit": run(lambda: nk.community.PLM(kg, refine=False)),
        },
        "dependents": {
            "graphcap": cold(lambda: brokerage.dependents_array(eg, focal_ids)),
            "igraph": lambda: dg.dominator(eg.n),
            "networkit": None,
        },
        "gatekeeper (after dependents)": {
            "graphcap": lambda: brokerage.gatekeepers_of(eg, focal_ids),
            "igraph": lambda: dg.dominator(eg.n),
            "networkit": None,
        },
    }
    if G is not None:
        nx_fns = {
            "betweenness": lambda: nx.betweenness_centrality(G, weight="distance"),
            "closeness": lambda: nx.closeness_centrality(G, distance="distance"),
            "harmonic (after closeness)": lambda: nx.harmonic_centrality(G, distance="distance"),
            "eigenvector": lambda: nx.eigenvector_centrality(G, weight="weight", max_iter=1000),
            "pagerank": lambda: nx.pagerank(G, weight="weight"),
            "core": lambda: nx.core_number(G),
            "constraint": lambda: nx.constraint(G, weight="weight"),
            "effective_size": lambda: nx.effective_size(G, weight="weight"),
            "articulation points": lambda: list(nx.articulation_points(G)),
            "louvain": lambda: nx.community.louvain_communities(G, weight="weight", seed=0),
        }
        for name, fn in nx_fns.items():
            table[name]["networkx"] = fn
    return table


def run_size(size: str, runs: int) -> tuple[list[str], list[list[str]], str]:
    net = sample(size)
    engine = measure(lambda: to_engine(net), runs=runs)
    suite = measure(lambda: node_metrics(net), runs=runs)
    projection = measure(lambda: to_weighted(net), runs=1) if size != "100k" else None
    table = suite.result
    sampled = table.attrs["params"]["sampled"]
    eg = engine.result
    eg.ig  # noqa: B018 - built before timing, as in the suite's "engine" step
    G = projection.result if size == "1k" else None
    libs = ("graphcap", "igraph", "networkit", "networkx")
    rows = []
    for name, fns in jobs(eg, net.focal_ids(), G, sampled).items():
        # interleaved, so that a change in the machine's load hits every library alike
        seconds: dict[str, list[float]] = {lib: [] for lib in libs if fns.get(lib)}
        for _ in range(runs if size != "100k" else 1):
            for lib in seconds:
                start = time.perf_counter()
                fns[lib]()
                seconds[lib].append(time.perf_counter() - start)
        med = {lib: float(np.median(v)) for lib, v in seconds.items()}
        fastest = min((med[k] for k in ("igraph", "networkit") if k in med), default=None)
        rows.append(
            [
                name,
                f"{med['graphcap']:.3g}",
                *(f"{med[k]:.3g}" if k in med else "—" for k in ("igraph", "networkit")),
                ratio(med["graphcap"], fastest) if fastest else "—",
                f"{med['networkx']:.3g}" if "networkx" in med else "",
            ]
        )
    nodes, ties = table.attrs["params"]["nodes"], table.attrs["params"]["ties"]
    target = TARGET[size]
    stages = ", ".join(f"{k} {v:.2g}" for k, v in table.attrs["timings"].items())
    head = (
        f"**{size}**: {nodes:,} stakeholders, {ties:,} ties (from {len(net.edges):,} "
        f"relationships); path measures {'sampled (256 pivots)' if sampled else 'exact'}. "
        f"Frames to engine graph (`to_engine`) {engine.text} s"
        + (f", to a networkx graph (`to_weighted`) {projection.text} s" if projection else "")
        + f"; full suite from the frames (`node_metrics(network)`) {suite.text} s"
        + (f" (target < {target} s)" if target else "")
        + f", median of {runs}; its stages "
        f"in the last run (s): {stages}. Per measure below: interleaved runs, median."
    )
    headers = [
        "measure",
        "graphcap s",
        "igraph s",
        "networkit s",
        "graphcap / fastest",
        "networkx s",
    ]
    return headers, rows, head


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k", help="comma-separated: 1k, 10k, 100k")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    parts = [
        "The full suite of `graphcap.metrics.suite.node_metrics` (position, brokerage, "
        "communities, gatekeepers) on the seeded sample network at each size, then each measure "
        "against igraph and networkit computing the same definition on the same graph in the "
        "same run (single-threaded). Ratios below 1 mean graphcap is faster (it shares work "
        "between measures). Per measure, graphcap and the libraries run interleaved (graphcap, "
        "igraph, networkit, networkx, repeated), so a change in the machine's load hits them "
        "alike. "
        "`python bench/bench_metrics.py --sizes 1k,10k,100k`.",
        "",
        NOTES,
        "",
        f"Measured {machine()}; load average when the run started: {os.getloadavg()[0]:.1f} "
        "(a shared machine: absolute seconds are inflated by the load, ratios are same-run).",
    ]
    for size in args.sizes.split(","):
        runs = args.runs if size != "100k" else 1
        headers, rows, head = run_size(size.strip(), runs)
        parts += ["", head, "", markdown_table(headers, rows)]
        print(head, file=sys.stderr)
        print(markdown_table(headers, rows), file=sys.stderr)
    write_section("Metrics", "\n".join(parts))


if __name__ == "__main__":
    main()
