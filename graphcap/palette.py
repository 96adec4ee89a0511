"""Colours of categories (stakeholder types, relationship types, communities, any column).

The six stakeholder types have fixed colours. Any other category gets a colour from a
categorical palette by its position among the categories shown (``order``), so the categories of
one picture never share a colour; past the palette, hues continue by the golden angle. Without an
``order`` the colour is a hue taken from a SHA-256 of the name, so ``north`` and ``thorn`` (same
letters) or ``DACH`` and ``CHAD`` do not end up alike as they did with a byte-sum hash.

>>> category_color("customer")
'#2563eb'
>>> category_color("north") != category_color("thorn"), category_color("DACH") != category_color("CHAD")
(True, True)
>>> len({category_color(v, order=list("abcdefghijklmnopqrstuvwxyz")) for v in "abcdefghijklmnopqrstuvwxyz"})
26
"""

from __future__ import annotations

import colorsys
import hashlib
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

__all__ = ["PALETTE", "TYPE_COLORS", "category_color"]

TYPE_COLORS: Mapping[str, str] = MappingProxyType(
    {
        "organization": "#111827",
        "customer": "#2563eb",
        "supplier": "#ea580c",
        "partner": "#16a34a",
        "agency": "#9333ea",
        "competitor": "#dc2626",
    }
)

#: Twelve distinct, mid-lightness colours that read on white and on a dark background, none close
#: to a stakeholder-type colour.
PALETTE: tuple[str, ...] = (
    "#0891b2", "#ca8a04", "#db2777", "#4f46e5", "#65a30d", "#0d9488", "#b45309", "#7c3aed",
    "#be123c", "#0369a1", "#15803d", "#a21caf",
)  # fmt: skip

_GOLDEN_ANGLE = 137.508 / 360.0


def _hue_color(hue: float) -> str:
    r, g, b = colorsys.hls_to_rgb(hue % 1.0, 0.42, 0.70)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def category_color(value: Any, order: Sequence[Any] = ()) -> str:
    """The colour of a category: its stakeholder-type colour; else by its position among the
    non-type categories of ``order`` (palette, then golden-angle hues); else a hue from a hash."""
    key = str(value)
    if key in TYPE_COLORS:
        return TYPE_COLORS[key]
    others = [str(v) for v in order if str(v) not in TYPE_COLORS]
    if key in others:
        at = list(dict.fromkeys(others)).index(key)
        if at < len(PALETTE):
            return PALETTE[at]
        return _hue_color(0.03 + (at - len(PALETTE)) * _GOLDEN_ANGLE)
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()
    return _hue_color(int.from_bytes(digest[:8], "big") / 2**64)
