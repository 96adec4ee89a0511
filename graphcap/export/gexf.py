"""GEXF 1.3 for Gephi, with the app's colours, sizes and positions.

Gephi opens the file ready to explore: each stakeholder is a ``<node>`` labelled with its name
and carrying ``viz:color`` (the stakeholder-type colour of the app), ``viz:size`` (the app's node
size, e.g. by PageRank) and ``viz:position`` (the app's layout), so the first picture in Gephi is
the one the team knows. Each relationship is an ``<edge>`` whose ``label`` and ``kind`` are the
relationship type (``kind`` keeps parallel relationships of different types apart in Gephi 0.10),
whose ``weight`` is the relationship strength (what Gephi's layouts and metrics use) and whose
colour is the app's colour for the type.

All columns are typed ``<attribute>`` declarations (``double``, ``long``, ``boolean``, ``string``;
dates as ISO 8601 ``string``), with the values as ``<attvalue>``; missing values are absent.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from graphcap.export._records import iter_records
from graphcap.export._xml import attribute_columns, write_tree, xml_text
from graphcap.files import output_path, write_atomic
from graphcap.model import Network
from graphcap.version import __version__

__all__ = ["Viz", "export_gexf", "to_gexf_tree"]

NS = "http://gexf.net/1.3"
VIZ = "http://gexf.net/1.3/viz"

#: Optional drawing hints per node id: ``colors`` (``#rrggbb``), ``sizes``, ``positions`` (x, y);
#: per relationship type: ``edge_colors``.
Viz = Mapping[str, Mapping]


def _rgb(hex_colour: str) -> dict[str, str]:
    h = hex_colour.lstrip("#")
    return {"r": str(int(h[0:2], 16)), "g": str(int(h[2:4], 16)), "b": str(int(h[4:6], 16))}


def _declare(graph: ET.Element, cls: str, columns: dict[str, str]) -> dict[str, str]:
    block = ET.SubElement(graph, "attributes", {"class": cls, "mode": "static"})
    ids = {}
    for i, (col, kind) in enumerate(columns.items()):
        ids[col] = str(i)
        gexf_type = {"date": "string"}.get(kind, kind)
        ET.SubElement(block, "attribute", {"id": str(i), "title": xml_text(col), "type": gexf_type})
    return ids


def _attvalues(parent: ET.Element, ids: dict[str, str], record: dict) -> None:
    values = [(ids[c], record[c]) for c in ids if record.get(c) is not None]
    if not values:
        return
    block = ET.SubElement(parent, "attvalues")
    for key, value in values:
        text = (
            ("true" if value else "false")
            if isinstance(value, bool)
            else (repr(value) if isinstance(value, float) else value)
        )
        ET.SubElement(block, "attvalue", {"for": key, "value": xml_text(text)})


def to_gexf_tree(network: Network, *, viz: Viz | None = None, description: str = "") -> ET.Element:
    """The GEXF document of ``network``; ``viz`` adds colours/sizes/positions (module doc)."""
    viz = viz or {}
    colors, sizes, positions = viz.get("colors", {}), viz.get("sizes", {}), viz.get("positions", {})
    edge_colors = viz.get("edge_colors", {})
    root = ET.Element(
        "gexf",
        {
            "xmlns": NS,
            "xmlns:viz": VIZ,
            "version": "1.3",
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": f"{NS} http://gexf.net/1.3/gexf.xsd",
        },
    )
    meta = ET.SubElement(root, "meta", {"lastmodifieddate": datetime.now(UTC).date().isoformat()})
    ET.SubElement(meta, "creator").text = f"graphcap {__version__}"
    ET.SubElement(meta, "description").text = xml_text(description or "stakeholder network")
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
    node_ids = _declare(graph, "node", attribute_columns(network.nodes, skip=("id",)))
    edge_ids = _declare(graph, "edge", attribute_columns(network.edges, skip=("source", "target")))
    nodes_el = ET.SubElement(graph, "nodes")
    for rec in iter_records(network.nodes):
        nid = rec["id"]
        node = ET.SubElement(
            nodes_el, "node", {"id": xml_text(nid), "label": xml_text(rec.get("name", nid))}
        )
        _attvalues(node, node_ids, rec)
        if nid in colors:
            ET.SubElement(node, f"{{{VIZ}}}color", _rgb(colors[nid]))
        if nid in sizes:
            ET.SubElement(node, f"{{{VIZ}}}size", {"value": repr(float(sizes[nid]))})
        if nid in positions:
            x, y = positions[nid]
            # vis-network's y axis points down, Gephi's up: flip so the picture matches the app.
            ET.SubElement(
                node, f"{{{VIZ}}}position", {"x": repr(float(x)), "y": repr(-float(y)), "z": "0.0"}
            )
    edges_el = ET.SubElement(graph, "edges")
    for i, rec in enumerate(iter_records(network.edges)):
        attrs = {
            "id": f"r{i}",
            "source": xml_text(rec["source"]),
            "target": xml_text(rec["target"]),
            "label": xml_text(rec.get("type", "")),
            "kind": xml_text(rec.get("type", "")),
        }
        strength = rec.get("strength")
        if isinstance(strength, float):
            attrs["weight"] = repr(max(strength, 1e-6))  # Gephi drops weight-0 edges
        edge = ET.SubElement(edges_el, "edge", attrs)
        _attvalues(edge, edge_ids, rec)
        if rec.get("type") in edge_colors:
            ET.SubElement(edge, f"{{{VIZ}}}color", _rgb(edge_colors[rec["type"]]))
    # ElementTree would invent "ns0:" prefixes for the viz namespace; use the declared "viz:".
    for el in root.iter():
        if el.tag.startswith(f"{{{VIZ}}}"):
            el.tag = "viz:" + el.tag.split("}", 1)[1]
    return root


def export_gexf(
    network: Network,
    folder: str | Path,
    *,
    stem: str,
    viz: Viz | None = None,
    description: str = "",
) -> Path:
    """Write ``<stem>.gexf`` into ``folder`` (checked, atomically); returns its path."""
    root = to_gexf_tree(network, viz=viz, description=description)
    target = output_path(folder, f"{stem}.gexf")
    return write_atomic(target, lambda tmp: write_tree(root, tmp))
