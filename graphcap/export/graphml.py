"""GraphML for yEd, Gephi, Cytoscape and graph libraries (networkx, igraph).

Every stakeholder is a ``<node id="...">`` keyed by its graphcap id; every relationship an
``<edge>`` from source to target with its type in the ``type`` attribute (a directed multigraph:
two stakeholders may be linked by several relationship types). Each attribute is declared once with
its GraphML type — ``double`` for numbers and unit scores, ``long`` for counts, ``boolean``, and
``string`` for text and for dates (ISO 8601, GraphML has no date type) — so tools keep the types.
Missing values are simply absent. Metric columns (prefixed ``m_``) can be added per node.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from graphcap.export._records import iter_records
from graphcap.export._xml import attribute_columns, write_tree, xml_text
from graphcap.files import output_path, write_atomic
from graphcap.model import Network

__all__ = ["export_graphml", "to_graphml_tree"]

NS = "http://graphml.graphdrawing.org/xmlns"
_GRAPHML_TYPE = {
    "string": "string",
    "date": "string",
    "double": "double",
    "long": "long",
    "boolean": "boolean",
}


def _declare(root: ET.Element, domain: str, columns: dict[str, str], prefix: str) -> dict[str, str]:
    ids = {}
    for i, (col, kind) in enumerate(columns.items()):
        key = f"{prefix}{i}"
        ids[col] = key
        ET.SubElement(
            root,
            "key",
            {
                "id": key,
                "for": domain,
                "attr.name": xml_text(col),
                "attr.type": _GRAPHML_TYPE[kind],
            },
        )
    return ids


def _data(parent: ET.Element, keys: dict[str, str], record: dict) -> None:
    for col, key in keys.items():
        value = record.get(col)
        if value is None:
            continue
        text = (
            ("true" if value else "false")
            if isinstance(value, bool)
            else repr(value)
            if isinstance(value, float)
            else value
        )
        el = ET.SubElement(parent, "data", {"key": key})
        el.text = xml_text(text)


def to_graphml_tree(network: Network) -> ET.Element:
    """The GraphML document of ``network`` as an ElementTree element."""
    root = ET.Element(
        "graphml",
        {
            "xmlns": NS,
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": f"{NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
        },
    )
    node_cols = attribute_columns(network.nodes, skip=("id",))
    edge_cols = attribute_columns(network.edges, skip=("source", "target"))
    node_keys = _declare(root, "node", node_cols, "n")
    edge_keys = _declare(root, "edge", edge_cols, "e")
    graph = ET.SubElement(root, "graph", {"id": "graphcap", "edgedefault": "directed"})
    for rec in iter_records(network.nodes):
        node = ET.SubElement(graph, "node", {"id": xml_text(rec["id"])})
        _data(node, node_keys, rec)
    for i, rec in enumerate(iter_records(network.edges)):
        edge = ET.SubElement(
            graph,
            "edge",
            {
                "id": f"r{i}",
                "source": xml_text(rec["source"]),
                "target": xml_text(rec["target"]),
            },
        )
        _data(edge, edge_keys, rec)
    return root


def export_graphml(network: Network, folder: str | Path, *, stem: str) -> Path:
    """Write ``<stem>.graphml`` into ``folder`` (checked, atomically); returns its path."""
    root = to_graphml_tree(network)
    target = output_path(folder, f"{stem}.graphml")
    return write_atomic(target, lambda tmp: write_tree(root, tmp))
