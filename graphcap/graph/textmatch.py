"""How a text a user types meets stakeholder names and ids: case, accents and the spaces around
and between words are ignored, and the text is always literal (never a pattern).

One rule for every place the app finds stakeholders by a typed text: the Network's "Search by
name", the Stakeholder list's "Name contains" and the stakeholder pickers. So "muller" finds
"Müller  GmbH", and "ÖKOKRAFT" finds "Ökokraft".
"""

from __future__ import annotations

import unicodedata

import pandas as pd

__all__ = ["contains", "fold", "folded"]

#: The combining marks NFKD splits off Latin, Greek and Cyrillic letters (é -> e + U+0301).
_MARKS = "[\u0300-\u036f]"


def fold(text: str) -> str:
    """``text`` as compared: accents removed, case folded, runs of white space one space, no
    space at either end.

    >>> fold("  Müller   GmbH ")
    'muller gmbh'
    >>> fold("ÉCOLE")
    'ecole'
    """
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", str(text)) if not "\u0300" <= c <= "\u036f"
    )
    return " ".join(plain.casefold().split())


def folded(values: pd.Series) -> pd.Series:
    """:func:`fold` of every value (missing values become empty text)."""
    text = values.astype("string").fillna("")
    plain = text.str.normalize("NFKD").str.replace(_MARKS, "", regex=True)
    return plain.str.casefold().str.split().str.join(" ").astype(object)


def contains(values: pd.Series, needle: str) -> pd.Series:
    """Which ``values`` contain ``needle``, both folded (:func:`fold`); an empty needle
    matches nothing."""
    text = fold(needle)
    if not text:
        return pd.Series(False, index=values.index)
    return folded(values).str.contains(text, regex=False)
