"""Names in scripts DejaVu Sans lacks (CJK) print in PNG and PDF where a CJK font is installed."""

from __future__ import annotations

import subprocess

import pandas as pd

from graphcap.analysis import analyze
from graphcap.export._mpl import font_families, glyph_safe
from graphcap.export.image import export_image, render_image
from graphcap.export.report import export_report
from graphcap.model import Network
from tests.support import require

CJK = "北京精密机械有限公司"
JA = "株式会社トヨダ精機"


def _network() -> Network:
    nodes = pd.DataFrame(
        {
            "id": ["ORG", "C1", "C2"],
            "name": ["Brenner GmbH", CJK, JA],
            "type": ["organization", "customer", "customer"],
            "revenue": [None, 5e6, 3e6],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["C1", "C2"],
            "target": ["ORG", "ORG"],
            "type": ["BUYS_FROM", "BUYS_FROM"],
            "trust": [0.8, 0.6],
        }
    )
    return Network(nodes=nodes, edges=edges)


def _cjk_font() -> None:
    require(
        len(font_families()) > 1,
        "a CJK font (fonts-wqy-microhei)",
        "`make test` installs it (apt-get install fonts-wqy-microhei)",
    )


def test_cjk_names_are_kept_not_replaced():
    _cjk_font()
    assert glyph_safe(f"{CJK} / {JA} / Müller / Петров") == f"{CJK} / {JA} / Müller / Петров"
    assert glyph_safe("Rocket 🚀") == "Rocket \u25a1"  # no installed font has emoji


def test_picture_and_report_carry_cjk_names(tmp_path):
    _cjk_font()
    net = _network()
    svg = render_image(
        net, fmt="svg", title=f"Kunden {CJK}", width_px=1200, height_px=800, dpi=100, labels=10
    ).decode("utf-8")
    assert CJK in svg and JA in svg and "\u25a1" not in svg
    # PNG: drawn without a "glyph missing" warning (warnings are errors in this suite)
    export_image(
        net, tmp_path, stem="cjk", width_px=1200, height_px=800, dpi=100, title=f"Kunden {CJK}"
    )
    pdf = export_report(net, analyze(net), tmp_path, stem="report", title=f"Bericht {CJK}")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Bericht {CJK}" in text


def test_an_export_prints_no_font_weight_notices(tmp_path):
    """The CJK fallback has no bold face; matplotlib said so ("findfont: Failed to find font
    weight bold ...") several times per export. In a fresh interpreter with logging on, the
    picture and the report of a network with CJK names print nothing of it."""
    _cjk_font()
    import sys

    script = (
        "import logging, sys; logging.basicConfig(level=logging.INFO)\n"
        "sys.path.insert(0, '.')\n"
        "from tests.export.test_fonts import _network\n"
        "from graphcap.analysis import analyze\n"
        "from graphcap.export.image import export_image\n"
        "from graphcap.export.report import export_report\n"
        "net = _network()\n"
        f"export_image(net, {str(tmp_path)!r}, stem='n', title='Kunden 北京')\n"
        f"export_report(net, analyze(net), {str(tmp_path)!r}, stem='r', title='Bericht 北京')\n"
        "logging.getLogger('matplotlib.font_manager').warning('findfont: something else')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "n.png").stat().st_size > 0 and (tmp_path / "r.pdf").stat().st_size > 0
    assert "Failed to find font weight" not in run.stderr + run.stdout
    assert "findfont: something else" in run.stderr  # other font messages still show
