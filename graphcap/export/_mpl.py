"""Matplotlib set-up shared by the PNG/SVG picture and the PDF report.

* Headless: the Agg/PDF/SVG back ends only; figures are created from :class:`Figure` directly
  (no pyplot state, safe in the Streamlit server's threads).
* Names are text, never markup: every text is drawn with mathtext off (a ``$`` in a company name
  stays a dollar sign). Characters DejaVu Sans lacks are drawn from the first installed font of
  :data:`FALLBACK_FONTS` that has them (matplotlib falls back glyph by glyph), so Chinese or
  Japanese names print where a CJK font is installed (Debian: ``fonts-wqy-microhei``, which
  ``make test`` and the Dockerfile install); a character no installed font has (e.g. emoji) is
  drawn as U+25A1 (□) instead of failing or warning. The HTML export uses the reader's fonts.
* One house style: white background, grey text, the app's type colours.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

__all__ = [
    "FALLBACK_FONTS",
    "FONT",
    "INK",
    "MUTED",
    "figure",
    "font_families",
    "glyph_safe",
    "style",
]

FONT = "DejaVu Sans"
#: Tried in order for characters DejaVu Sans lacks, where installed (CJK coverage).
FALLBACK_FONTS = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Droid Sans Fallback",
)


class _WeightFallbackNotice(logging.Filter):
    """Drops matplotlib's notice that a font lacks a bold face (the CJK fallbacks have one
    weight only: bold titles use their regular face for those characters, as intended). It was
    printed several times by every export once a CJK font was installed; other font messages
    still show."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("findfont: Failed to find font weight")


logging.getLogger("matplotlib.font_manager").addFilter(_WeightFallbackNotice())

INK = "#111827"
MUTED = "#6b7280"
GRID = "#e5e7eb"


@cache
def font_families() -> tuple[str, ...]:
    """DejaVu Sans and the installed :data:`FALLBACK_FONTS`, in the order matplotlib tries them."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return (FONT, *[name for name in FALLBACK_FONTS if name in installed])


@cache
def _charmap() -> frozenset[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    codes: set[int] = set()
    for family in font_families():
        for weight in ("normal", "bold"):
            path = font_manager.findfont(
                font_manager.FontProperties(family=family, weight=weight), fallback_to_default=True
            )
            codes |= set(FT2Font(path).get_charmap())
    return frozenset(codes)


def glyph_safe(text: Any, *, limit: int | None = None) -> str:
    """``text`` with characters no installed font has as □, line breaks as spaces, cut to
    ``limit``."""
    chars = _charmap()
    out = "".join(
        " " if ch in "\r\n\t" else (ch if ord(ch) in chars else "\u25a1") for ch in str(text)
    )
    if limit is not None and len(out) > limit:
        out = out[: max(limit - 1, 1)] + "…"
    return out


def style() -> Any:
    """rcParams of the house style (use with ``matplotlib.rc_context``)."""
    return {
        "font.family": list(font_families()),
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
