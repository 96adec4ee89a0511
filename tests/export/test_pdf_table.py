"""The report's tables (graphcap.export._pdfdoc._Table) look exactly as fpdf2's own ``table()``
drew them: the same pages, pixel for pixel, and the same text on each page.

The reference is the report's former table: fpdf2 2.8's ``FPDF.table()`` with the report's
settings (kept below). Both documents get the same awkward rows: long reasons that wrap over
several lines, words longer than a column (broken inside the word), runs of spaces, no-break
spaces in amounts, a soft hyphen, a zero-width space and the page-count alias (which fpdf2 lays
out itself), CJK names (a fallback font, when one is installed), empty cells, right-aligned
numbers; enough rows for many page breaks with the heading repeated, and tables starting near a
page's foot.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image, ImageChops
from pypdf import PdfReader

from graphcap.export._mpl import glyph_safe
from graphcap.export._pdfdoc import _HEAD, _INK, _STRIPE, Column, ReportDocument
from tests.support import require

WORDS = [
    "relationship",
    "no",
    "contact",
    "for",
    "412",
    "days",
    "contract",
    "ends",
    "soon",
    "Müller-Lüdenscheidt",
    "GmbH",
    "&",
    "Co.",
    "KG",
    "—",
    "1,5 M\xa0€",
    "12\xa0k\xa0€",
    "0,734",
    "Überseequartier",
    "Zürich",
    "a",
    "I",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
    "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii",
    "single-thread",
    "sentiment",
    "souring",
    "(−0,42)",
]

ODD = ["北京贸易有限公司", "Soft\xadhyphen", "zero\u200bwidth", "page {nb}", "東京"]

COLUMNS = [
    Column("rank", "#", 0.5, "RIGHT"),
    Column("name", "stakeholder", 3),
    Column("type", "type", 1.1),
    Column("value", "value", 1, "RIGHT"),
    Column("empty", "", 0.8),
    Column("why", "why", 6.7),
]


def _text(rng: random.Random, most: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(0, most))]
    if rng.random() < 0.08:
        words.insert(rng.randint(0, len(words)), rng.choice(ODD))
    if rng.random() < 0.1:
        return "  ".join(words) + " "
    return " ".join(words)


def _rows(seed: int, n: int) -> list[list[str]]:
    rng = random.Random(seed)
    return [
        [str(i + 1), _text(rng, 6), _text(rng, 2), _text(rng, 1), "", _text(rng, 40)]
        for i in range(n)
    ]


def _fpdf2_table(doc: ReportDocument, rows, columns, *, width=None) -> None:
    """The report's table as it was drawn by fpdf2 (graphcap before the change)."""
    total = width or doc.epw
    share = sum(c.width for c in columns)
    widths = [total * c.width / share for c in columns]
    doc.set_font("body", "", 8)
    with FPDF.table(
        doc,
        col_widths=widths,
        width=total,
        align="LEFT",
        first_row_as_headings=True,
        headings_style=FontFace(emphasis="BOLD", color=_INK, fill_color=_HEAD),
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
    doc.ln(4)


def _document(draw) -> bytes:
    doc = ReportDocument("Tables")
    doc.set_creation_date(datetime(2026, 1, 1, tzinfo=UTC))
    doc.section("Tables", "Awkward cells, many rows.")
    draw(doc, _rows(1, 260), COLUMNS, None)
    draw(doc, [r[:4] for r in _rows(2, 3)], COLUMNS[:4], doc.epw * 0.5)
    for foot in (8, 12, 17, 22, 30):  # a table starting near the page's foot
        doc.add_page()
        doc.set_y(doc.page_break_trigger - foot)
        draw(doc, _rows(foot, 4), COLUMNS, None)
    return bytes(doc.output())


def _pages(pdf: bytes, folder, stem: str) -> list:
    path = folder / f"{stem}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftoppm", "-r", "110", "-png", str(path), str(folder / stem)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    return sorted(folder.glob(f"{stem}-*.png"))


def test_tables_look_as_fpdf2_drew_them(tmp_path):
    require(shutil.which("pdftoppm") is not None, "pdftoppm", "apt-get install poppler-utils")
    ours = _document(lambda doc, rows, cols, width: doc.table(rows, cols, width=width))
    theirs = _document(lambda doc, rows, cols, width: _fpdf2_table(doc, rows, cols, width=width))
    ours_text = [p.extract_text() for p in PdfReader(io.BytesIO(ours)).pages]
    theirs_text = [p.extract_text() for p in PdfReader(io.BytesIO(theirs)).pages]
    assert len(ours_text) == len(theirs_text) > 12
    assert ours_text == theirs_text
    a, b = _pages(ours, tmp_path, "ours"), _pages(theirs, tmp_path, "theirs")
    assert len(a) == len(b) == len(ours_text)
    differ = [
        p.name
        for p, q in zip(a, b, strict=True)
        if ImageChops.difference(
            Image.open(p).convert("RGB"), Image.open(q).convert("RGB")
        ).getbbox()
        is not None
    ]
    assert differ == []
