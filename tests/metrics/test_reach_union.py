"""reach2's hub-set union sizes (bit sets per hub, OR and popcount) equal one pass per hub set."""

from __future__ import annotations

import numpy as np
import pytest

from graphcap.metrics import reach


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_union_sizes_equal_the_plain_count(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 64, size=(5_000, 3), dtype=np.uint64)
    reached_by = (np.uint64(1) << bits).sum(axis=1, dtype=np.uint64)
    reached_by[rng.random(5_000) < 0.3] = 0  # nodes no hub reaches
    sigs = np.unique(np.r_[np.uint64(0), reached_by[:700] | reached_by[700:1400]])
    plain = np.array([np.count_nonzero(reached_by & s) if s else 0 for s in sigs])
    assert np.array_equal(reach._union_sizes(sigs, reached_by), plain)
