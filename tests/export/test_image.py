"""The network picture: decodes at the requested size, carries title and legend, any name."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from graphcap.errors import ExportError
from graphcap.export.image import export_image, render_image
from tests.export.netcases import hostile_network


def test_png_decodes_at_requested_size_and_is_drawn(tmp_path):
    net = hostile_network()
    path = export_image(
        net,
        tmp_path,
        stem="net",
        width_px=1800,
        height_px=1200,
        dpi=200,
        title="Hostile $x$ network",
        footer="test",
    )
    with Image.open(path) as img:
        img.load()
        assert img.format == "PNG" and img.size == (1800, 1200)
        pixels = np.asarray(img.convert("RGB"))
    # something is drawn in the network area and the organisation's near-black colour is there
    colours = {tuple(c) for c in pixels[::4, ::4].reshape(-1, 3)}
    assert len(colours) > 50
    assert any(
        max(abs(a - b) for a, b in zip(c, (0x11, 0x18, 0x27), strict=True)) < 8 for c in colours
    )


def test_svg_has_title_legend_and_names_as_text():
    net = hostile_network()
    svg = render_image(
        net,
        fmt="svg",
        title="Q3 <board> & $pack$",
        width_px=1200,
        height_px=800,
        dpi=100,
        labels=50,
    ).decode("utf-8")
    root = ET.fromstring(svg)  # well-formed despite the markup in the names
    texts = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Q3 <board> & $pack$" in texts  # mathtext off: the dollars stay
    assert "Stakeholder type" in texts and "Relationship type" in texts
    assert "customer (3)" in texts and "BUYS_FROM" in texts
    assert "Focal AG" in texts
    assert "\u25a1" in texts  # the emoji in a name: no installed font has it (see test_fonts)


@pytest.mark.parametrize("kwargs", [{"fmt": "jpg"}, {"width_px": 10}, {"dpi": 5000}])
def test_bad_picture_options_are_refused(kwargs):
    with pytest.raises(ExportError):
        render_image(hostile_network(), **kwargs)


def test_payload_edges_follow_the_renderer():
    """The picture reads the app's payload; its edges keep ends, type colours and widths."""
    from importlib import resources

    from graphcap.export.image import payload_edges
    from graphcap.picture.render import REL_STYLES, network_payload

    net = hostile_network()
    edges = payload_edges(network_payload(net))
    assert len(edges) == len(net.edges)
    want = {
        (s, t): (REL_STYLES[r][0], w)
        for s, t, r, w in net.edges[["source", "target", "type", "strength"]].itertuples(
            index=False
        )
    }
    for e in edges:
        colour, strength = want[(e["from"], e["to"])] if (e["from"], e["to"]) in want else (None, 0)
        if colour is not None and e["color"] == colour:
            expected = 1.2 if strength != strength else 0.6 + 5 * round(strength, 3)
            assert e["width"] == pytest.approx(expected)
    script = (resources.files("graphcap.picture") / "static" / "network.js").read_text()
    assert "0.6 + 5 * e[3]" in script  # the rule payload_edges mirrors
