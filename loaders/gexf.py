"""GEXF input (Gephi's own format; versions 1.1 to 1.3, any namespace).

Each ``<node id label>`` is a stakeholder: ``label`` is the name unless a ``name`` attribute
value exists; ``<attvalue for=...>`` values are the columns titled by ``<attributes
class="node">`` (an attribute's ``<default>`` fills nodes that omit it). Each ``<edge source
target>`` is a relationship; its type is the ``type`` attribute value, else the element's
``type`` (as networkx writes it; not ``directed``/``undirected``) or ``kind``, else its ``label``;
``weight`` is kept. An edge to an undeclared node is a validation error. Rows in problems are
the element's position (row 3 = the third ``<node>``).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from graphcap.errors import LoaderError
from graphcap.i18n import lazy_gettext as _l
from loaders.base import Loader
from loaders.raw import RawInput, table_from_dicts
from loaders.safexml import children, local, parse_xml

__all__ = ["GEXFLoader"]


class GEXFLoader(Loader):
    """Loads stakeholders and relationships from a ``.gexf`` file."""

    format = "GEXF"
    suffixes = (".gexf",)

    def read_raw(self) -> RawInput:
        file = self.path.name
        if self.path.is_file():
            self.memory.plan(self.path.stat().st_size, file=file)
        root = parse_xml(self.path)
        if local(root.tag) != "gexf":
            raise LoaderError(
                _l(
                    "{file}: not a GEXF file (root element <{root}>)",
                    file=file,
                    root=local(root.tag),
                ),
                file=file,
            )
        graphs = children(root, "graph")
        if len(graphs) != 1:
            raise LoaderError(
                _l("{file}: expected one <graph>, found {n}", file=file, n=len(graphs)), file=file
            )
        graph = graphs[0]
        attributes: dict[str, dict[str, tuple[str, Any]]] = {"node": {}, "edge": {}}
        for block in children(graph, "attributes"):
            cls = block.get("class", "node")
            for attr in children(block, "attribute"):
                default = children(attr, "default")
                attributes.setdefault(cls, {})[attr.get("id") or ""] = (
                    attr.get("title") or attr.get("id") or "",
                    default[0].text if default else None,
                )
        node_elements = [n for block in children(graph, "nodes") for n in children(block, "node")]
        for node in node_elements:
            if children(node, "nodes"):
                raise LoaderError(
                    _l(
                        "{file}: nested (hierarchical) nodes are not supported; flatten the graph",
                        file=file,
                    ),
                    file=file,
                )
        nodes = [self._item(n, attributes["node"], ("id",), "label", "name") for n in node_elements]
        edges = [
            self._item(
                e, attributes["edge"], ("source", "target"), "label", "type", extra=("weight",)
            )
            for block in children(graph, "edges")
            for e in children(block, "edge")
        ]
        tables = {
            "nodes": table_from_dicts("nodes", nodes, file=file, first=("id", "name", "type")),
            "edges": table_from_dicts(
                "edges", edges, file=file, first=("source", "target", "type")
            ),
        }
        return RawInput(tables=tables, source=str(self.path))

    @staticmethod
    def _item(
        element: Element,
        declared: dict[str, tuple[str, Any]],
        attributes: tuple[str, ...],
        label_attr: str,
        label_as: str,
        extra: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        item: dict[str, Any] = {a: element.get(a) for a in attributes}
        for title, default in declared.values():
            if default is not None:
                item[title] = default
        for block in children(element, "attvalues"):
            for value in children(block, "attvalue"):
                ref = value.get("for") or value.get("id") or ""
                title = declared.get(ref, (ref, None))[0]
                item[title] = value.get("value")
        if label_as == "type" and "type" not in item:
            # networkx writes a "type" edge attribute there; GEXF itself uses it for the direction
            given = element.get("type") or element.get("kind")
            if given and given not in ("directed", "undirected", "mutual"):
                item["type"] = given
        label = element.get(label_attr)
        if label is not None and label_as not in item:
            item[label_as] = label
        for name in extra:
            if element.get(name) is not None and name not in item:
                item[name] = element.get(name)
        return item
