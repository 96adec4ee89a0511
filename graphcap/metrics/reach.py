"""Reach: how many stakeholders are within two steps of each one.

Part of the position family (:mod:`graphcap.metrics.position` re-exports it); its own module
because counting two-step neighbourhoods on hub-dominated networks needs its own algorithm.
Exact; above a million ties the analysis estimates it instead
(:mod:`graphcap.metrics.reach_sketch`).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Literal

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graphcap.graph.engine import EngineGraph, check_direction, engine_for

__all__ = [
    "BLOCK_WORK",
    "DIRECT_WORK_LIMIT",
    "HUB_DEGREE",
    "MAX_HUBS",
    "reach2",
    "reach2_array",
    "step_adjacency",
]

Direction = Literal["all", "in", "out"]


def reach2(G: nx.Graph, *, direction: Direction = "all") -> dict[Hashable, float]:
    """How many stakeholders are within two steps: direct contacts and their contacts.

    The pool one can reach with one introduction. ``direction`` follows ties out of (``"out"``)
    or into (``"in"``) a stakeholder on directed graphs; ``"all"`` ignores direction.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> reach2(G)
    {'a': 2.0, 'b': 3.0, 'c': 3.0, 'd': 2.0}
    """
    eg = engine_for(G)
    return eg.to_dict(reach2_array(eg, direction=direction))


def step_adjacency(
    eg: EngineGraph, direction: Direction = "all"
) -> tuple[str, sp.csr_matrix | None]:
    """The checked direction and the matrix a step follows (row ``v``: the stakeholders one step
    from ``v`` that way); ``None`` for an empty graph. Shared by the exact count and the
    estimate (:mod:`graphcap.metrics.reach_sketch`)."""
    mode = check_direction(eg, direction)
    if eg.n == 0:
        return mode, None
    A = (eg.undirected() if mode == "all" else eg).csr(None)
    return mode, (A.T.tocsr() if mode == "in" else A)


#: Nodes with more ties than this (at most MAX_HUBS of them) are hubs for :func:`reach2`.
HUB_DEGREE = 64
MAX_HUBS = 63
#: Below this sum of squared degrees reach2 walks the neighbourhoods directly (igraph).
DIRECT_WORK_LIMIT = 300_000_000


def reach2_array(
    eg: EngineGraph, *, direction: Direction = "all", hub_degree: int = HUB_DEGREE
) -> np.ndarray:
    """Array form of :func:`reach2` (positions of ``eg.nodes``).

    Counting two-step neighbourhoods one by one costs the sum of squared degrees: with a focal
    organisation tied to 90,000 customers that is 10^10 steps (igraph takes minutes). Here the
    hubs' neighbourhoods are bit masks instead: ``S(v)`` = contacts plus contacts of non-hub
    contacts (a sparse product), ``U(v)`` = contacts of hub contacts, counted once per set of
    hubs, and ``|S u U| = |S| + |U| - |S n U|`` with the intersection tested by masks.
    """
    mode, A = step_adjacency(eg, direction)
    n = eg.n
    if A is None:
        return np.zeros(0)
    A.data[:] = 1.0
    degree = np.diff(A.indptr)
    if float(np.dot(degree, degree)) <= DIRECT_WORK_LIMIT:  # small: igraph walks it directly
        return np.asarray(eg.ig.neighborhood_size(order=2, mode=mode, mindist=1), dtype=float)
    order = np.argsort(-degree, kind="stable")[:MAX_HUBS]
    hubs = order[degree[order] > hub_degree]
    ordinary = np.ones(n)
    ordinary[hubs] = 0.0
    reached_by = np.zeros(n, dtype=np.uint64)  # bit i: w is a contact of hub i
    signature = np.zeros(n, dtype=np.uint64)  # bit i: hub i is a contact of v
    size_u = np.zeros(n, dtype=np.int64)
    if len(hubs):
        At = A.T.tocsr()
        for bit, h in enumerate(hubs):
            mask = np.uint64(1) << np.uint64(bit)
            reached_by[A.indices[A.indptr[h] : A.indptr[h + 1]]] |= mask
            signature[At.indices[At.indptr[h] : At.indptr[h + 1]]] |= mask
        sigs, inverse = np.unique(signature, return_inverse=True)
        size_u_by_sig = _union_sizes(sigs, reached_by)
        size_u = size_u_by_sig[inverse.ravel()] - ((reached_by & signature) != 0)
    size_s, overlap = _two_step(A, ordinary, reached_by, signature, bool(len(hubs)))
    return (size_s + size_u - overlap).astype(float)


#: Set bits of every byte value (a popcount table).
_POPCOUNT = np.array([bin(b).count("1") for b in range(256)], dtype=np.int64)


def _union_sizes(sigs: np.ndarray, reached_by: np.ndarray) -> np.ndarray:
    """For each hub set ``sig`` (a bit mask): how many nodes are contacts of at least one of
    its hubs, ``count_nonzero(reached_by & sig)``. Each hub's contacts as a packed bit set, so
    a hub set's union is the OR of its few hubs' bit sets and a popcount (n/8 bytes per hub)
    instead of a pass over every node's mask (which took minutes at 200,000 stakeholders with
    thousands of distinct hub sets)."""
    out = np.zeros(len(sigs), dtype=np.int64)
    if not len(sigs):
        return out
    shifts = np.arange(64, dtype=np.uint64)
    one = np.uint64(1)
    pad = -len(reached_by) % 64  # whole 64-bit words
    bits = np.concatenate([reached_by, np.zeros(pad, dtype=np.uint64)])
    packed = np.stack([np.packbits((bits >> b) & one).view(np.uint64) for b in shifts])
    members = ((sigs[:, None] >> shifts[None, :]) & one).astype(bool)
    for k in np.flatnonzero(members.any(axis=1)):
        out[k] = _popcount(np.bitwise_or.reduce(packed[members[k]], axis=0))
    return out


def _popcount(words: np.ndarray) -> int:
    """Set bits in an array of 64-bit words (``np.bitwise_count`` from numpy 2)."""
    if hasattr(np, "bitwise_count"):
        return int(np.bitwise_count(words).sum())
    return int(_POPCOUNT[words.view(np.uint8)].sum())  # pragma: no cover - numpy 1.x


#: Entries of the two-step product computed at a time (rows in blocks): memory stays bounded
#: where ordinary contacts with many ties make the whole product hundreds of millions of
#: entries (200,000 stakeholders / 1,000,000 relationships: 2.5e8, about 10 GiB at once).
BLOCK_WORK = 20_000_000


def _two_step(
    A: sp.csr_matrix,
    ordinary: np.ndarray,
    reached_by: np.ndarray,
    signature: np.ndarray,
    hubs: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Per node: ``|S(v)|`` (contacts, and contacts of non-hub contacts, itself not counted)
    and how many of those are also contacts of its hub contacts; ``A + A diag(ordinary) A``
    row block by row block, each about :data:`BLOCK_WORK` entries."""
    n = A.shape[0]
    degree = np.diff(A.indptr)
    work = degree + A @ (ordinary * degree)  # entries of each row before duplicates merge
    size_s = np.zeros(n, dtype=np.int64)
    overlap = np.zeros(n, dtype=np.int64)
    bounds = np.searchsorted(np.cumsum(work), np.arange(BLOCK_WORK, work.sum(), BLOCK_WORK))
    edges = [0, *sorted({int(b) + 1 for b in bounds if 0 < b + 1 < n}), n]
    D = sp.diags(ordinary)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        part = A[lo:hi]
        R = (part + part @ D @ A).tocsr()  # S(v): contacts, and via non-hub contacts
        R.sum_duplicates()
        rows = np.repeat(np.arange(lo, hi), np.diff(R.indptr))
        cols = R.indices
        on_diag = np.bincount(rows[cols == rows] - lo, minlength=hi - lo)
        size_s[lo:hi] = np.diff(R.indptr) - on_diag
        if hubs:
            both = ((reached_by[cols] & signature[rows]) != 0) & (cols != rows)
            overlap[lo:hi] = np.bincount(rows[both] - lo, minlength=hi - lo)
    return size_s, overlap
