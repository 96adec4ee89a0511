"""``export_files`` computes the network picture's payload once for PNG, SVG, PDF and GEXF; each
file is the one that format writes alone with the same positions."""

from __future__ import annotations

import re

from graphcap.analysis import analyze
from graphcap.export.bundle import export_files, shared_layout
from graphcap.sample import generate_sample


def _svg(path) -> str:  # matplotlib names clip paths and markers by random ids
    return re.sub(r"\b[pm][0-9a-f]{10}\b", "ID", path.read_text(encoding="utf-8"))


def test_one_payload_for_every_picture_is_what_each_format_makes_alone(tmp_path):
    net = generate_sample(customers=60, suppliers=20, partners=10, agencies=10, competitors=10)
    analysis = analyze(net)
    positions = shared_layout(net, analysis)
    options = {"title": "Board", "provenance": {"source": "test"}, "lang": "en"}
    image = {"width_px": 600, "height_px": 400, "dpi": 100}
    together = export_files(
        ["png", "svg", "gexf"], net, analysis, tmp_path / "a", "n", image=image, **options
    )
    alone = {
        fmt: export_files(
            [fmt], net, analysis, tmp_path / fmt, "n", image=image, positions=positions, **options
        )[0][1][0]
        for fmt in ("png", "svg", "gexf")
    }
    files = {fmt: paths[0] for fmt, paths, _ in together}
    assert files["png"].read_bytes() == alone["png"].read_bytes()
    assert files["gexf"].read_bytes() == alone["gexf"].read_bytes()
    assert _svg(files["svg"]) == _svg(alone["svg"])
