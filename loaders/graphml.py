"""GraphML input (yEd, Gephi, networkx ``write_graphml``, graphcap's own export).

Each ``<node>`` is a stakeholder: its ``id`` attribute is the id, its ``<data>`` values are the
columns named by the ``<key attr.name=...>`` declarations (a key's ``<default>`` fills nodes that
omit it). ``label`` stands in for ``name`` when there is no ``name`` (and a yEd ``NodeLabel`` for
``label``). Each ``<edge>`` gives ``source``, ``target`` and its data; ``label`` stands in for a
missing ``type``. An edge whose end is no declared ``<node>`` is a validation error, never an
invented node. Nested graphs and hyperedges are refused. Rows in problems are the element's
position (row 3 = the third ``<node>``).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from graphcap.errors import LoaderError
from graphcap.i18n import lazy_gettext as _l
from loaders.base import Loader
from loaders.raw import RawInput, table_from_dicts
from loaders.safexml import children, local, parse_xml

__all__ = ["GraphMLLoader"]


def _text_of(data: Element) -> str | None:
    if len(data) == 0:
        return data.text or ""
    for element in data.iter():
        if local(element.tag) in ("NodeLabel", "EdgeLabel") and element.text:
            return element.text.strip()
    return None


class GraphMLLoader(Loader):
    """Loads stakeholders and relationships from a ``.graphml`` file."""

    format = "GraphML"
    suffixes = (".graphml",)

    def read_raw(self) -> RawInput:
        file = self.path.name
        if self.path.is_file():
            self.memory.plan(self.path.stat().st_size, file=file)
        root = parse_xml(self.path)
        if local(root.tag) != "graphml":
            raise LoaderError(
                _l(
                    "{file}: not a GraphML file (root element <{root}>)",
                    file=file,
                    root=local(root.tag),
                ),
                file=file,
            )
        keys: dict[str, tuple[str, str, Any]] = {}  # key id -> (for, name, default)
        for key in children(root, "key"):
            default = children(key, "default")
            name = key.get("attr.name") or key.get("id") or ""
            if key.get("yfiles.type") in ("nodegraphics", "edgegraphics"):
                name = "label"
            keys[key.get("id") or ""] = (
                key.get("for") or "all",
                name,
                default[0].text if default else None,
            )
        graphs = children(root, "graph")
        if len(graphs) != 1:
            raise LoaderError(
                _l("{file}: expected one <graph>, found {n}", file=file, n=len(graphs)), file=file
            )
        graph = graphs[0]
        for element in graph.iter():
            if element is not graph and local(element.tag) == "graph":
                raise LoaderError(
                    _l("{file}: nested graphs are not supported; flatten the graph", file=file),
                    file=file,
                )
            if local(element.tag) == "hyperedge":
                raise LoaderError(_l("{file}: hyperedges are not supported", file=file), file=file)
        nodes = [self._item(e, "node", keys, ("id",)) for e in children(graph, "node")]
        edges = [self._item(e, "edge", keys, ("source", "target")) for e in children(graph, "edge")]
        for item in nodes:
            if "name" not in item and "label" in item:
                item["name"] = item.pop("label")
        for item in edges:
            if "type" not in item and "label" in item:
                item["type"] = item.pop("label")
        tables = {
            "nodes": table_from_dicts("nodes", nodes, file=file, first=("id", "name", "type"))
        }
        tables["edges"] = table_from_dicts(
            "edges", edges, file=file, first=("source", "target", "type")
        )
        return RawInput(tables=tables, source=str(self.path))

    @staticmethod
    def _item(
        element: Element,
        kind: str,
        keys: dict[str, tuple[str, str, Any]],
        attributes: tuple[str, ...],
    ) -> dict[str, Any]:
        item: dict[str, Any] = {a: element.get(a) for a in attributes}
        for _key_id, (applies, name, default) in keys.items():
            if applies in (kind, "all") and default is not None:
                item[name] = default
        for data in children(element, "data"):
            _, name, _ = keys.get(data.get("key", ""), ("all", data.get("key", ""), None))
            text = _text_of(data)
            if text is not None:
                item[name] = text
        return item
