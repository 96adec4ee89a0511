"""The PDF report's document: fpdf2 pages with running header, page numbers and long tables.

Tables are fpdf2 tables: cells wrap, a table that does not fit continues on the next page with
its header row repeated, so a report can list every relationship at risk. Charts and the network
picture are matplotlib figures embedded as 200 dpi PNG images. Text is set in DejaVu Sans (the
copy matplotlib ships) with the installed CJK fonts of :data:`graphcap.export._mpl.FALLBACK_FONTS`
as fallbacks; characters no font has become □ (:func:`~graphcap.export._mpl.glyph_safe`), so a
name never breaks the document. Nothing is read from the network.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from graphcap.export._mpl import FALLBACK_FONTS, FONT, glyph_safe
from graphcap.i18n import gettext as _

__all__ = ["Column", "ReportDocument"]

_INK = (17, 24, 39)
_MUTED = (107, 114, 128)
_ACCENT = (37, 99, 235)
_STRIPE = (243, 244, 246)
_HEAD = (229, 231, 235)


@dataclass(frozen=True)
class Column:
    """One table column: the frame's column, its header, a formatter and a relative width."""

    key: str
    header: str
    width: float
    align: str = "LEFT"


def _font_files() -> list[tuple[str, str, str | None]]:
    """(family, regular file, bold file) for DejaVu Sans and each installed fallback font."""
    from matplotlib import font_manager

    def find(family: str, weight: str) -> str | None:
        try:
            path = font_manager.findfont(
                font_manager.FontProperties(family=family, weight=weight), fallback_to_default=False
            )
        except ValueError:
            return None
        return path if Path(path).suffix.lower() in (".ttf", ".otf", ".ttc") else None

    files: list[tuple[str, str, str | None]] = []
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in (FONT, *[f for f in FALLBACK_FONTS if f in installed]):
        regular = find(family, "normal")
        if regular is None:
            continue
        bold = find(family, "bold") if family == FONT else None  # fallbacks: regular serves
        files.append((family, regular, bold if bold != regular else None))
    return files


class ReportDocument(FPDF):
    """A4 landscape, the report title on every page's top, "page n of m" at the bottom."""

    def __init__(self, title: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.report_title = title
        self.set_margins(12, 16, 12)
        self.set_auto_page_break(auto=True, margin=14)
        fallbacks = []
        for k, (_family, regular, bold) in enumerate(_font_files()):
            name = "body" if k == 0 else f"fallback{k}"
            self.add_font(name, "", regular)
            self.add_font(name, "B", bold or regular)
            if k:
                fallbacks.append(name)
        if fallbacks:
            self.set_fallback_fonts(fallbacks, exact_match=False)
        self.set_font("body", size=9)
        self.alias_nb_pages()
        self.set_title(title)
        self.set_author("graphcap")

    # -- page furniture ---------------------------------------------------------------------------

    def header(self) -> None:
        self.set_font("body", size=8)
        self.set_text_color(*_MUTED)
        self.set_xy(self.l_margin, 7)
        self.cell(0, 5, glyph_safe(self.report_title, limit=150))
        self.set_xy(self.l_margin, self.t_margin)
        self.set_text_color(*_INK)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("body", size=8)
        self.set_text_color(*_MUTED)
        text = _("page {page} of {pages}").format(page=self.page_no(), pages="{nb}")
        self.cell(0, 5, text, align="C")
        self.set_text_color(*_INK)

    # -- content ------------------------------------------------------------------------------------

    def section(self, title: str, note: str = "") -> None:
        """A new page with a title and a one-paragraph explanation."""
        self.add_page()
        self.heading(title, size=17)
        if note:
            self.paragraph(note, muted=True)

    def heading(self, text: str, *, size: float = 11.5) -> None:
        self.set_font("body", "B", size)
        self.set_text_color(*_INK)
        self.multi_cell(0, size * 0.5, glyph_safe(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def paragraph(self, text: str, *, muted: bool = False, size: float = 9) -> None:
        self.set_font("body", "", size)
        self.set_text_color(*(_MUTED if muted else _INK))
        self.multi_cell(0, size * 0.48, glyph_safe(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*_INK)
        self.ln(2)

    def big_number(self, label: str, value: str, unit: str) -> None:
        self.set_font("body", "", 9)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, label, new_x="LMARGIN", new_y="NEXT")
        self.set_font("body", "B", 34)
        self.set_text_color(*_ACCENT)
        self.cell(0, 15, value, new_x="LMARGIN", new_y="NEXT")
        self.set_font("body", "", 9)
        self.set_text_color(*_MUTED)
        self.cell(0, 5, unit, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*_INK)
        self.ln(2)

    def table(  # type: ignore[override]  # graphcap's own table, not fpdf2's context manager
        self,
        rows: Sequence[Sequence[Any]],
        columns: Sequence[Column],
        *,  # type: ignore[override]
        title: str = "",
        empty: str | None = None,
        width: float | None = None,
        x: float | None = None,
    ) -> None:
        """``rows`` (already formatted text) under ``columns``; wraps cells, continues over pages
        with the header repeated."""
        if title:
            self.heading(title)
        if not rows:
            self.paragraph(_("Nothing to show.") if empty is None else empty, muted=True)
            return
        total = width or self.epw
        share = sum(c.width for c in columns)
        widths = [total * c.width / share for c in columns]
        self.set_font("body", "", 8)
        head_style = FontFace(emphasis="BOLD", color=_INK, fill_color=_HEAD)
        with super().table(
            col_widths=widths,
            width=total,
            align="LEFT" if x is None else "LEFT",
            first_row_as_headings=True,
            headings_style=head_style,
            repeat_headings=1,
            line_height=4.2,
            padding=(0.8, 1.2),
            cell_fill_color=_STRIPE,
            cell_fill_mode="ROWS",
            borders_layout="HORIZONTAL_LINES",
            text_align=tuple(c.align for c in columns),
        ) as tbl:
            head = tbl.row()
            for c in columns:
                head.cell(glyph_safe(c.header))
            for values in rows:
                row = tbl.row()
                for v in values:
                    row.cell(glyph_safe(v))
        self.ln(4)

    def figure(
        self, fig: Any, *, width: float | None = None, height: float | None = None, dpi: int = 200
    ) -> None:
        """A matplotlib figure as an image at the current position (new page if it does not
        fit)."""
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
        w_in, h_in = fig.get_size_inches()
        w = width or self.epw
        h = height or w * h_in / w_in
        if self.get_y() + h > self.h - self.b_margin:
            self.add_page()
        self.image(buf, x=self.l_margin, y=self.get_y(), w=w, h=h)
        self.set_y(self.get_y() + h + 3)

    def render(self) -> bytes:
        return bytes(self.output())
