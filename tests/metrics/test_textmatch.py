"""One rule for finding stakeholders by a typed text (graphcap.graph.textmatch): case, accents
and spaces ignored, the text literal. Expected values are written out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from graphcap.graph.textmatch import contains, fold, folded

NAMES = pd.Series(
    [
        "  Müller   GmbH ",
        "ÉCOLE Polytechnique",
        None,
        "Zukunftłódź",
        "a.*b [x]",
        "Straße 1",
        "<img src=x onerror=alert(1)>",
        "",
    ]
)


def test_fold_by_hand() -> None:
    assert fold("  Müller   GmbH ") == "muller gmbh"
    assert fold("ÉCOLE") == "ecole"
    assert fold("Straße") == "strasse"
    assert fold("Zukunftłódź") == "zukunftłodz"  # ł has no decomposition: kept
    assert fold("\t\n ") == ""


def test_the_vectorised_fold_is_the_single_one() -> None:
    assert folded(NAMES).tolist() == [fold("" if pd.isna(v) else v) for v in NAMES]


@pytest.mark.parametrize(
    ("needle", "hits"),
    [
        ("muller", [0]),
        ("MÜLLER  gmbh", [0]),
        ("ecole poly", [1]),
        ("łódź", [3]),
        (".*", [4]),  # literal, never a pattern
        ("[x]", [4]),
        ("strasse", [5]),
        ("onerror=alert(1)", [6]),
        ("", []),
        ("   ", []),
        ("nobody", []),
    ],
)
def test_contains(needle: str, hits: list[int]) -> None:
    found = contains(NAMES, needle)
    assert found.index.equals(NAMES.index)
    assert [i for i, hit in enumerate(found) if hit] == hits
