"""GraphML and GEXF loaders: files Gephi/yEd/networkx write, undeclared nodes, XML attacks."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from graphcap.errors import LoaderError, ValidationError
from loaders import GEXFLoader, GraphMLLoader, load_path
from tests.loaders.files import problem_lines


def sample_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_node("00123", name="Müller & Söhne", type="Kunde", revenue=1234.5, segment="<b>x</b>")
    G.add_node("ORG", name="Wir AG", type="organization", revenue=0.0, segment="core")
    G.add_node("S1", name="Иванов", type="supplier", revenue=7.25, segment="steel")
    G.add_edge("00123", "ORG", type="BUYS_FROM", trust=0.5, since="2024-07-04")
    G.add_edge("S1", "ORG", type="supplies", trust=1.0, since="2020-01-31")
    return G


@pytest.mark.parametrize("suffix", ["graphml", "gexf"])
def test_networkx_written_files_load(tmp_path, suffix):
    path = tmp_path / f"net.{suffix}"
    G = sample_graph()
    (nx.write_graphml if suffix == "graphml" else nx.write_gexf)(G, path)
    result = load_path(path)
    nodes = result.network.nodes.set_index("id")
    for node, data in G.nodes(data=True):
        assert nodes.loc[node, "name"] == data["name"]
        assert nodes.loc[node, "revenue"] == data["revenue"]
        assert nodes.loc[node, "segment"] == data["segment"]
    assert nodes.loc["00123", "type"] == "customer"
    edges = result.network.edges.set_index(["source", "target"])
    assert edges.loc[("S1", "ORG"), "type"] == "SUPPLIES"
    assert edges.loc[("00123", "ORG"), "trust"] == 0.5
    assert edges.loc[("S1", "ORG"), "since"] == pd.Timestamp(2020, 1, 31)


GRAPHML = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="label" attr.type="string"/>
  <key id="d1" for="node" attr.name="type" attr.type="string"><default>customer</default></key>
  <key id="d2" for="edge" attr.name="label" attr.type="string"/>
  <graph edgedefault="directed">
    <node id="a"><data key="d0">Alpha</data></node>
    <node id="b"><data key="d0">Beta</data><data key="d1">Lieferant</data></node>
    <edge source="b" target="a"><data key="d2">SUPPLIES</data></edge>
    <edge source="a" target="ghost"><data key="d2">REFERS</data></edge>
  </graph>
</graphml>"""


def test_graphml_labels_defaults_and_undeclared_node(tmp_path):
    path = tmp_path / "g.graphml"
    path.write_text(GRAPHML)
    with pytest.raises(ValidationError) as info:
        load_path(path)
    assert problem_lines(info.value) == [
        "g.graphml, row 2, column 'target': target is not the id of any node in g.graphml "
        "(value 'ghost')"
    ]
    result = load_path(path, lenient=True)
    assert result.network.nodes[["id", "name", "type"]].values.tolist() == [
        ["a", "Alpha", "customer"],
        ["b", "Beta", "supplier"],
    ]
    assert result.network.edges[["source", "target", "type"]].values.tolist() == [
        ["b", "a", "SUPPLIES"]
    ]
    assert GraphMLLoader(path).describe()["format"] == "GraphML"


GEXF = """<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <graph defaultedgetype="directed">
    <attributes class="node">
      <attribute id="0" title="type" type="string"/>
      <attribute id="1" title="loyalty" type="double"/>
    </attributes>
    <nodes>
      <node id="1" label="東京精密"><attvalues><attvalue for="0" value="Wettbewerber"/>
        <attvalue for="1" value="0.25"/></attvalues></node>
      <node id="2" label="Wir"><attvalues><attvalue for="0" value="org"/></attvalues></node>
    </nodes>
    <edges>
      <edge id="0" source="1" target="2" label="COMPETES_WITH" weight="2.5"/>
      <edge id="1" source="2" target="3" label="COMPETES_WITH"/>
    </edges>
  </graph>
</gexf>"""


def test_gexf_attributes_labels_and_undeclared_node(tmp_path):
    path = tmp_path / "g.gexf"
    path.write_text(GEXF, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_path(path)
    assert problem_lines(info.value) == [
        "g.gexf, row 2, column 'target': target is not the id of any node in g.gexf (value '3')"
    ]
    result = GEXFLoader(path, lenient=True).load()
    nodes = result.network.nodes
    assert nodes[["id", "name", "type"]].values.tolist() == [
        ["1", "東京精密", "competitor"],
        ["2", "Wir", "organization"],
    ]
    assert nodes["loyalty"].tolist()[0] == 0.25
    assert result.network.edges["weight"].tolist() == [2.5]  # an extra column, read as a number


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<graphml><graph><node id="&lol3;"/></graph></graphml>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE gexf [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<gexf><graph><nodes><node id="1" label="&xxe;"/></nodes></graph></gexf>"""

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<graphml><graph><node id="1"/></graph></graphml>"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE graphml SYSTEM "file:///nonexistent/evil.dtd">
<graphml><key id="n" for="node" attr.name="name"/><key id="t" for="node" attr.name="type"/>
<graph><node id="1"><data key="n">A</data><data key="t">customer</data></node></graph></graphml>"""


def test_entity_expansion_is_refused(tmp_path):
    path = tmp_path / "bomb.graphml"
    path.write_text(BILLION_LAUGHS)
    with pytest.raises(LoaderError) as info:
        load_path(path)
    assert str(info.value) == (
        "bomb.graphml: refused: the XML declares an entity ('lol'); entity declarations are how "
        "entity-expansion ('billion laughs') and external-entity attacks work. Remove the "
        "<!DOCTYPE ...> / <!ENTITY ...> part"
    )


def test_external_entities_are_refused_and_external_dtds_never_fetched(tmp_path):
    path = tmp_path / "xxe.gexf"
    path.write_text(EXTERNAL_ENTITY)
    with pytest.raises(
        LoaderError, match=r"^xxe.gexf: refused: the XML declares an entity \('xxe'\)"
    ):
        load_path(path)
    param = tmp_path / "param.graphml"
    param.write_text(PARAMETER_ENTITY)
    with pytest.raises(
        LoaderError, match=r"^param.graphml: refused: the XML declares an entity \('remote'\)"
    ):
        load_path(param)
    dtd = tmp_path / "dtd.graphml"
    dtd.write_text(EXTERNAL_DTD)  # loading the DTD would fail: it does not exist
    assert load_path(dtd).network.nodes["name"].tolist() == ["A"]


def test_malformed_and_foreign_xml(tmp_path):
    path = tmp_path / "broken.graphml"
    path.write_text("<graphml>\n<graph><node id='1'></graph></graphml>")
    with pytest.raises(
        LoaderError, match=r"^broken.graphml: not well-formed XML at line 2, column"
    ):
        load_path(path)
    other = tmp_path / "other.gexf"
    other.write_text("<graphml><graph/></graphml>")
    with pytest.raises(
        LoaderError, match=r"^other.gexf: not a GEXF file \(root element <graphml>\)$"
    ):
        load_path(other)
