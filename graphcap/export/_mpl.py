"""Matplotlib set-up shared by the PNG/SVG picture and the PDF report.

* Headless: the Agg/PDF/SVG back ends only; figures are created from :class:`Figure` directly
  (no pyplot state, safe in the Streamlit server's threads).
* Names are text, never markup: every text is drawn with mathtext off (a ``$`` in a company name
  stays a dollar sign), and characters the bundled font (DejaVu Sans) has no glyph for — e.g.
  CJK or emoji — are drawn as U+25A1 (□) instead of failing or warning. The interactive HTML
  export shows them with the reader's own fonts.
* One house style: white background, grey text, the app's type colours.
"""

from __future__ import annotations

from functools import cache
from typing import Any

__all__ = ["FONT", "INK", "MUTED", "figure", "glyph_safe", "style"]

FONT = "DejaVu Sans"
INK = "#111827"
MUTED = "#6b7280"
GRID = "#e5e7eb"


@cache
def _charmap() -> frozenset[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    codes: set[int] = set()
    for weight in ("normal", "bold"):
        path = font_manager.findfont(font_manager.FontProperties(family=FONT, weight=weight),
                                     fallback_to_default=True)
        codes |= set(FT2Font(path).get_charmap())
    return frozenset(codes)


def glyph_safe(text: Any, *, limit: int | None = None) -> str:
    """``text`` with characters the font lacks as □, line breaks as spaces, cut to ``limit``."""
    chars = _charmap()
    out = "".join(
        " " if ch in "\r\n\t" else (ch if ord(ch) in chars else "\u25a1") for ch in str(text)
    )
    if limit is not None and len(out) > limit:
        out = out[: max(limit - 1, 1)] + "…"
    return out


def style() -> dict[str, Any]:
    """rcParams of the house style (use with ``matplotlib.rc_context``)."""
    return {
        "font.family": FONT,
        "font.size": 9,
        "text.color": INK,
        "axes.edgecolor": GRID,
        "axes.labelcolor": INK,
        "axes.titlesize": 11,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": GRID,
        "grid.linewidth": 0.6,
        "text.parse_math": False,
        "svg.fonttype": "none",
        "pdf.fonttype": 42,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
    }


def figure(width_in: float, height_in: float, dpi: float = 100) -> Any:
    """A new headless matplotlib figure (no pyplot) on the Agg canvas (text can be measured)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig
