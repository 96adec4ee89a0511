"""Reach in two steps, estimated: HyperLogLog sketches for networks above a million ties.

Exact reach2 (:mod:`graphcap.metrics.reach`) costs the size of every two-step neighbourhood:
at a million stakeholders and five million relationships that was 977 s of a 2,333 s local
analysis. Above :data:`graphcap.metrics.pivots.PIVOT_SCALE_TIES` ties (the size from which
the sampled path measures take fewer pivots) reach2 is estimated instead, in the manner of the
approximate neighbourhood function (Palmer, Gibbons and Faloutsos 2002, with Flajolet et al.'s
HyperLogLog counters as in Boldi and Vigna's HyperANF):

1. every stakeholder is hashed (splitmix64 of its place among the ids sorted as text, mixed
   with ``seed``, so the same network read in another row order gives the same numbers): the top
   ``p`` bits pick one of ``m = 2**p`` registers, the rank of the first set bit of the rest
   is its value;
2. round one: each stakeholder's registers are the register-wise maximum over itself and its
   contacts (a scatter maximum over the ties);
3. round two: the maximum over itself and its contacts' round-one registers, one register
   column at a time (a gather over the ties and ``np.maximum.reduceat`` by stakeholder), so
   the second round is never held whole;
4. HyperLogLog's estimate of the number of distinct stakeholders behind those registers, with
   the usual small-range correction (linear counting while it is at most ``2.5 m`` and some
   register is still empty), rounded to a whole count, minus the stakeholder itself.

Memory is the round-one registers, ``stakeholders x m`` bytes (1,000,000 x 1,024 = 1 GB at
:data:`REGISTERS`), and a few arrays of one entry per tie. The typical (standard) relative
error is ``1.04 / sqrt(m)``: 3.3 % at 1,024 registers; small neighbourhoods (well under
``2.5 m`` stakeholders) are counted nearly exactly by the linear-counting branch. Overlapping
neighbourhoods share their error (on the ``--scale huge`` shape at 200,000 stakeholders: median
3.9 %, the worst 16 %, a large neighbourhood the seed drew badly; docs/PERFORMANCE.md, "Scale").
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import scipy.sparse as sp

from graphcap.graph.engine import EngineGraph
from graphcap.metrics import pivots
from graphcap.metrics.reach import step_adjacency

__all__ = ["REGISTERS", "reach2_estimate", "sketch_registers", "typical_error"]

Direction = Literal["all", "in", "out"]

#: Registers per stakeholder of the estimate: 3.3 % typical error, 1 GB per million.
REGISTERS = 1024

_MASK64 = (1 << 64) - 1


def sketch_registers(ties: int) -> int | None:
    """The registers of the reach2 estimate for a network with ``ties`` ties, or ``None``
    for exact: estimated above :data:`~graphcap.metrics.pivots.PIVOT_SCALE_TIES` ties, the
    rule that shrinks the pivots of the path measures.

    >>> sketch_registers(1_000_000), sketch_registers(5_000_000)
    (None, 1024)
    """
    return REGISTERS if ties > pivots.PIVOT_SCALE_TIES else None


def typical_error(registers: int) -> float:
    """HyperLogLog's standard relative error with ``registers`` registers, ``1.04/sqrt(m)``.

    >>> round(typical_error(1024), 4)
    0.0325
    """
    return 1.04 / math.sqrt(registers)


def reach2_estimate(
    eg: EngineGraph,
    *,
    direction: Direction = "all",
    registers: int = REGISTERS,
    seed: int = 0,
) -> np.ndarray:
    """reach2 (positions of ``eg.nodes``) estimated with ``registers`` HyperLogLog registers
    per stakeholder (a power of two, at least 128), hashed with ``seed``; the same graph and
    seed give the same numbers.

    ``direction`` as in :func:`graphcap.metrics.reach.reach2`.

    Examples
    --------
    >>> import networkx as nx
    >>> from graphcap.graph.engine import engine_for
    >>> reach2_estimate(engine_for(nx.path_graph(5)))
    array([2., 3., 4., 3., 2.])
    """
    _mode, A = step_adjacency(eg, direction)
    n = eg.n
    if A is None:
        return np.zeros(0)
    index, rank = _hashes(eg.id_rank(), registers, seed)
    first = _first_round(A, index, rank, registers)
    closed = (A + sp.identity(n, format="csr")).tocsr()  # itself and its contacts
    # as numpy's own index type once, not converted again in each of the register passes
    members = closed.indices.astype(np.intp)
    starts = closed.indptr[:-1].astype(np.intp)
    del closed
    inverse_powers = np.ldexp(1.0, -np.arange(66))  # 2**-value of a register value
    harmonic = np.zeros(n)
    empty = np.zeros(n, dtype=np.int64)
    for column in first:
        second = np.maximum.reduceat(np.take(column, members), starts)
        harmonic += inverse_powers[second]
        empty += second == 0
    return _count(harmonic, empty, registers) - 1.0


def _splitmix64(x: np.ndarray) -> np.ndarray:
    """Steele, Lea and Flood's 64-bit mixer on an array (arithmetic wraps modulo 2**64)."""
    z = x + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _hashes(keys: np.ndarray, registers: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Each stakeholder's register (top ``p`` bits of the hash of its key) and value (1 +
    leading zeros of the other ``64 - p`` bits, ``65 - p`` when they are all zero)."""
    n = len(keys)
    p = registers.bit_length() - 1
    key = _splitmix64(np.array([seed & _MASK64], dtype=np.uint64))
    h = _splitmix64(keys.astype(np.uint64) ^ key)
    index = (h >> np.uint64(64 - p)).astype(np.int64)
    rest = h & np.uint64((1 << (64 - p)) - 1)
    length = np.zeros(n, dtype=np.int64)  # bit length of rest, by halving
    for shift in (32, 16, 8, 4, 2, 1):
        big = rest >= np.uint64(1 << shift)
        length[big] += shift
        rest[big] >>= np.uint64(shift)
    length += rest > 0
    rank = (64 - p) - length + 1
    return index, rank.astype(np.uint8)


def _first_round(
    A: sp.csr_matrix, index: np.ndarray, rank: np.ndarray, registers: int
) -> np.ndarray:
    """Registers after one step, register by register (``registers x n``): the maximum of
    the own value and the contacts' values in each register."""
    n = A.shape[0]
    first = np.zeros((registers, n), dtype=np.uint8)
    own = np.arange(n)
    first[index, own] = rank
    rows = np.repeat(own, np.diff(A.indptr))
    contacts = A.indices
    np.maximum.at(first.reshape(-1), index[contacts] * n + rows, rank[contacts])
    return first


def _alpha(registers: int) -> float:
    """HyperLogLog's bias constant for ``registers >= 128`` (Flajolet et al. 2007)."""
    return 0.7213 / (1.0 + 1.079 / registers)


def _count(harmonic: np.ndarray, empty: np.ndarray, registers: int) -> np.ndarray:
    """The estimated number of distinct stakeholders per register set, a whole number:
    ``alpha m^2 / sum 2^-R``, or linear counting ``m ln(m / empty)`` in the small range."""
    m = float(registers)
    raw = _alpha(registers) * m * m / harmonic
    small = (raw <= 2.5 * m) & (empty > 0)
    linear = m * np.log(m / np.maximum(empty, 1))
    return np.rint(np.where(small, linear, raw))
