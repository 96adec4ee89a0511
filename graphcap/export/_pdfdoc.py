"""The PDF report's document: fpdf2 pages with running header, page numbers and long tables.

Tables look as fpdf2's ``table()`` draws them (:class:`_Table` lays them out the same way, only
faster): cells wrap, a table that does not fit continues on the next page with its header row
repeated, so a report can list every relationship at risk. Charts and the network picture are
matplotlib figures embedded as 200 dpi images. Text is set in DejaVu Sans (the
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
from fpdf.enums import MethodReturnValue, TableBordersLayout
from fpdf.fonts import FontFace
from fpdf.line_break import BREAKING_SPACE_SYMBOLS_STR
from fpdf.util import FloatTolerance

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


def _pixels(fig: Any, dpi: int) -> Any:
    """The figure drawn at ``dpi``: its RGBA pixels as an image, which fpdf2 embeds exactly as
    the PNG it was once given (same bytes in the PDF) without encoding and decoding one."""
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="rgba", dpi=dpi)
    w_in, h_in = fig.get_size_inches()
    size = (int(w_in * dpi), int(h_in * dpi))  # as matplotlib's Agg canvas sizes itself
    if len(buf.getbuffer()) != size[0] * size[1] * 4:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi)
        return buf
    return Image.frombuffer("RGBA", size, buf.getvalue(), "raw", "RGBA", 0, 1)


class ReportDocument(FPDF):
    """A4 landscape, the report title on every page's top, "page n of m" at the bottom."""

    def __init__(self, title: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.report_title = title
        self.set_margins(12, 16, 12)
        self.set_auto_page_break(auto=True, margin=14)
        fallbacks: list[str] = []
        for k, (_family, regular, bold) in enumerate(_font_files()):
            name = "body" if k == 0 else f"fallback{k}"
            self.add_font(name, "", regular)
            self.add_font(name, "B", bold or regular)
            if k:
                fallbacks.append(name)
        self.fallbacks = tuple(fallbacks)
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
        _Table(self, [[glyph_safe(c.header) for c in columns]], widths, total, columns).render(
            [[glyph_safe(v) for v in values] for values in rows]
        )
        self.ln(4)

    def figure(
        self, fig: Any, *, width: float | None = None, height: float | None = None, dpi: int = 200
    ) -> None:
        """A matplotlib figure as an image at the current position (new page if it does not
        fit)."""
        w_in, h_in = fig.get_size_inches()
        w = width or self.epw
        h = height or w * h_in / w_in
        if self.get_y() + h > self.h - self.b_margin:
            self.add_page()
        self.image(_pixels(fig, dpi), x=self.l_margin, y=self.get_y(), w=w, h=h)
        self.set_y(self.get_y() + h + 3)

    def render(self) -> bytes:
        return bytes(self.output())


#: characters fpdf2's line breaking treats specially (other break spaces, soft hyphen, line and
#: page breaks): a cell holding one is laid out by fpdf2's own ``multi_cell``
_SPECIAL = frozenset(BREAKING_SPACE_SYMBOLS_STR.replace(" ", "") + "\xad\n\r\x0c")
_NBSP = "\xa0"
_LINE_HEIGHT = 4.2
_PAD_Y, _PAD_X = 0.8, 1.2


class _Table:
    """A table laid out as fpdf2 2.8's ``FPDF.table()`` lays out the report's tables (word
    wrapped cells, every row's height that of its tallest cell, text centred vertically, a grey
    heading repeated after each page break, every other row striped, horizontal lines), with the
    same line breaks, row heights and page breaks, so the pages look the same.

    fpdf2 measures each cell (one pass for the heights, one for the drawing) by adding characters
    one by one and summing the whole line's widths again after each: quadratic in the line's
    length, 70 % of the report's time on 1,618 at-risk relationships. Here a line's width is kept
    as a running sum of the font's glyph widths (the same integers in the same order, so the same
    comparisons), each cell is measured once, and each line is drawn with one ``cell()``. A cell
    with a character fpdf2 treats specially (a glyph of a fallback font, a soft hyphen, a break
    space other than the plain space, the page-count alias) is measured and drawn by fpdf2's own
    ``multi_cell``, as the table did.
    """

    def __init__(
        self,
        doc: ReportDocument,
        head: list[list[str]],
        widths: list[float],
        total: float,
        columns: Sequence[Column],
    ) -> None:
        self.doc = doc
        share = sum(widths)
        self.widths = [w / share * total for w in widths]  # as fpdf2's _get_col_width
        self.align = [c.align for c in columns]
        self.head = head
        self.body_style = doc.font_face()
        self.stripe_style = self.body_style.replace(fill_color=_STRIPE)
        self.head_style = FontFace.combine(
            self.body_style, FontFace(emphasis="BOLD", color=_INK, fill_color=_HEAD)
        )

    def _style(self, i: int) -> FontFace:
        if i == 0:
            return self.head_style  # type: ignore[return-value]
        return self.stripe_style if i % 2 == 1 else self.body_style

    def _lines(self, text: str, width: float) -> list[str] | None:
        """``text`` broken into lines as fpdf2's ``WrapMode.WORD`` breaks it in ``width`` (mm) in
        the current font; ``None`` when fpdf2 must break it itself."""
        doc = self.doc
        font: Any = doc.current_font
        cmap = getattr(font, "cmap", None)
        alias = doc.str_alias_nb_pages
        if cmap is None or (alias and alias in text):
            return None
        for ch in text:
            if ch in _SPECIAL or ord(ch) not in cmap:
                return None
        cw = font.cw
        scale = doc.font_size_pt * 0.001
        k = doc.k
        if (
            _NBSP not in text
            and sum(map(cw.__getitem__, map(ord, text))) * scale / k < width - 1e-6
        ):
            return [text]  # no prefix overflows: one line, as the loop below would find
        lines: list[str] = []
        n = len(text)
        i = 0
        while i < n:
            start = i
            units: float = (
                0  # glyph widths of the line so far (NBSP counted as the space it becomes)
            )
            space = -1
            ended = True
            while i < n:
                ch = text[i]
                char_w = cw[ord(ch)] * scale / k
                if FloatTolerance.greater_than(units * scale / k + char_w, width):
                    ended = False
                    if ch == " ":
                        lines.append(text[start:i])
                        i += 1
                    elif space >= 0:
                        lines.append(text[start:space])
                        i = space + 1
                    elif i == start:
                        return None  # not even one character fits: fpdf2 says so
                    else:
                        lines.append(text[start:i])
                    break
                if ch == " ":
                    space = i
                units += cw[32] if ch == _NBSP else cw[ord(ch)]
                i += 1
            if ended and units:
                lines.append(text[start:])
        return [line.replace(_NBSP, " ") for line in lines]

    def _multi_cell(self, text: str, width: float, align: str, *, dry_run: bool) -> float:
        padding: Any = (_PAD_Y, _PAD_X)
        result: Any = self.doc.multi_cell(
            w=width,
            h=_LINE_HEIGHT,
            text=text,
            max_line_height=_LINE_HEIGHT,
            border=0,
            align=align,
            new_x="RIGHT",
            new_y="TOP",
            fill=False,
            output=MethodReturnValue.PAGE_BREAK | MethodReturnValue.HEIGHT,
            padding=padding,
            dry_run=dry_run,
        )
        return float(result[1])  # (page break, height)

    def _measure(self, i: int, cells: list[str]) -> tuple[float, list[Any]]:
        """The row's height and each cell's lines (``None``: fpdf2 lays it out; ``[]``: empty)
        and text height."""
        doc = self.doc
        laid: list[Any] = []
        tallest = 0.0
        with doc.use_font_face(self._style(i)):
            for j, text in enumerate(cells):
                if not text:
                    laid.append(([], 0.0))
                    continue
                lines = self._lines(text, self.widths[j] - 2 * _PAD_X)
                if lines is None:
                    height = self._multi_cell(text, self.widths[j], self.align[j], dry_run=True)
                else:
                    height = 0.0
                    for _line in lines or [""]:
                        height += _LINE_HEIGHT
                    height = height + _PAD_Y + _PAD_Y
                laid.append((lines, height))
                tallest = max(tallest, height)
        return (tallest or _LINE_HEIGHT), laid

    def _draw(self, i: int, n_rows: int, row: tuple[float, list[Any]], cells: list[str]) -> None:
        doc = self.doc
        height, laid = row
        style = self._style(i)
        y = doc.y
        n = len(cells)
        xs = [doc.l_margin]
        for w in self.widths:
            xs.append(xs[-1] + w)
        borders = TableBordersLayout.HORIZONTAL_LINES
        for j in range(n):
            borders.cell_style_getter(
                row_idx=i,
                col_idx=j,
                col_pos=j,
                num_heading_rows=1,
                num_rows=n_rows,
                num_col_idx=n,
                num_col_pos=n,
            ).draw_cell_border(
                doc, xs[j], y, xs[j] + self.widths[j], y + height, fill_color=style.fill_color
            )
        c_margin = doc.c_margin
        doc.c_margin = 0  # fpdf2's padded cells ignore it; cell() without padding uses it
        # every character of a line laid out here is in the body font: fpdf2 need not look for
        # each one in the fallback fonts (it would make the same single fragment)
        plain = doc.fallbacks and all(lines is not None for lines, _h in laid)
        if plain:
            doc.set_fallback_fonts([])
        try:
            with doc.use_font_face(style):
                for j, (lines, text_height) in enumerate(laid):
                    if lines == []:
                        continue
                    dy = (height - text_height) / 2
                    if lines is None:
                        doc.set_xy(xs[j], y + dy)
                        self._multi_cell(cells[j], self.widths[j], self.align[j], dry_run=False)
                        continue
                    line_y = y + dy
                    line_y += _PAD_Y
                    for line in lines:
                        doc.set_xy(xs[j] + _PAD_X, line_y)
                        doc.cell(
                            w=self.widths[j] - 2 * _PAD_X,
                            h=_LINE_HEIGHT,
                            text=line,
                            align=self.align[j],
                        )
                        line_y += _LINE_HEIGHT
        finally:
            doc.c_margin = c_margin
            if plain:
                doc.set_fallback_fonts(list(doc.fallbacks), exact_match=False)
        doc.set_y(y)
        doc.ln(height)

    def render(self, rows: list[list[str]]) -> None:
        doc = self.doc
        all_rows = self.head + rows
        n_rows = len(all_rows)
        prev_x, prev_y, prev_l_margin = doc.x, doc.y, doc.l_margin
        laid = [self._measure(i, cells) for i, cells in enumerate(all_rows)]
        doc.set_xy(prev_x, prev_y)
        if doc.x != doc.l_margin:
            doc.l_margin = doc.x
        try:
            if n_rows > 1 and doc.will_page_break(laid[0][0] + laid[1][0]):
                doc._perform_page_break()  # the heading never alone at a page's foot
            for i, cells in enumerate(all_rows):
                height = laid[i][0]
                if doc.will_page_break(height):
                    doc._perform_page_break()
                    if doc.will_page_break(height):
                        raise ValueError(
                            _(
                                "The row with index {i} is too high and cannot be rendered "
                                "on a single page"
                            ).format(i=i)
                        )
                    if i >= 1:
                        self._draw(0, n_rows, laid[0], all_rows[0])
                self._draw(i, n_rows, laid[i], cells)
        finally:
            doc.l_margin = prev_l_margin
            doc.x = doc.l_margin
