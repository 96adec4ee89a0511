"""The notebook surface: ``import graphcap as gc`` and the three-line path, conversions validated
like imports, results that user code cannot corrupt, Jupyter output with names as text."""

from __future__ import annotations

import importlib.resources
import re
import subprocess
import sys

import networkx as nx
import pandas as pd
import pytest

import graphcap as gc
from graphcap.analysis import clear_cache
from graphcap.errors import ValidationError
from graphcap.snapshot import write_snapshot
from loaders import load_path
from tests.store.graphcheck import HOSTILE


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys).reset_index(drop=True)


def test_all_names_the_public_surface_and_each_resolves() -> None:
    for name in (
        "read",
        "read_neo4j",
        "read_snapshot",
        "read_sample",
        "analyze",
        "Analysis",
        "Network",
        "GraphcapError",
        "ValidationError",
        "ConnectionFailed",
        "AuthFailed",
    ):
        assert name in gc.__all__
    import graphcap.sample  # noqa: F401  (a subpackage must not shadow a public name)

    for name in gc.__all__:
        assert getattr(gc, name) is not None
    for name in ("read", "read_neo4j", "read_snapshot", "read_sample", "analyze"):
        assert callable(getattr(gc, name)) and not isinstance(getattr(gc, name), type(gc))
    assert set(gc.__all__) <= set(dir(gc))
    with pytest.raises(AttributeError):
        gc.no_such_thing  # noqa: B018


def test_package_is_typed() -> None:
    assert importlib.resources.files("graphcap").joinpath("py.typed").is_file()


def test_import_graphcap_does_not_load_igraph_streamlit_or_the_driver() -> None:
    code = (
        "import sys, graphcap; print(sorted(m for m in ('igraph', 'streamlit', 'neo4j') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_read_a_folder_then_analyze(tmp_path) -> None:
    sample = gc.read_sample(small=True)
    sample.nodes.to_csv(tmp_path / "nodes.csv", index=False)
    sample.edges.to_csv(tmp_path / "edges.csv", index=False)
    net = gc.read(tmp_path)
    expected = load_path(tmp_path).network  # the importers' own reading
    pd.testing.assert_frame_equal(net.nodes, expected.nodes)
    pd.testing.assert_frame_equal(net.edges, expected.edges)
    a = gc.analyze(net)
    assert isinstance(a, gc.Analysis)
    assert len(a.nodes) == len(sample.nodes) and 0 <= a.rci.score <= 100


def test_read_reports_every_problem_like_the_importer(tmp_path) -> None:
    (tmp_path / "nodes.csv").write_text("id,name,type\no,Org,organization\nx,,alien\n")
    (tmp_path / "edges.csv").write_text("source,target,type\nx,o,BUYS_FROM\n")
    with pytest.raises(ValidationError) as err:
        gc.read(tmp_path)
    with pytest.raises(ValidationError) as importer:
        load_path(tmp_path)
    assert [str(p) for p in err.value.problems] == [str(p) for p in importer.value.problems]
    assert len(err.value.problems) >= 2


def test_read_snapshot_round_trip(tmp_path) -> None:
    net = gc.read_sample(small=True)
    path = tmp_path / "net.gcap"
    write_snapshot(net, path)
    back = gc.read_snapshot(path)
    pd.testing.assert_frame_equal(back.nodes, net.nodes)
    pd.testing.assert_frame_equal(back.edges, net.edges)


@pytest.mark.integration
def test_read_neo4j_reads_what_was_imported(store, neo4j_env) -> None:
    net = gc.read_sample(small=True)
    store.import_network(net)
    back = gc.read_neo4j()
    assert back.counts == net.counts
    explicit = gc.read_neo4j(
        uri=neo4j_env.uri,
        user=neo4j_env.user,
        password=neo4j_env.password,
        database=neo4j_env.database,
    )
    assert explicit.counts == net.counts


@pytest.mark.integration
def test_read_neo4j_wrong_password_is_auth_failed(store, neo4j_env) -> None:
    with pytest.raises(gc.AuthFailed):
        gc.read_neo4j(uri=neo4j_env.uri, user=neo4j_env.user, password="wrong-" + "x" * 8)


# -- conversions --------------------------------------------------------------------------------


def test_networkx_round_trip_equals() -> None:
    net = gc.read_sample(small=True)
    G = net.to_networkx()
    assert isinstance(G, nx.MultiDiGraph)
    assert G.number_of_nodes() == len(net.nodes) and G.number_of_edges() == len(net.edges)
    back = gc.Network.from_networkx(G)
    pd.testing.assert_frame_equal(
        _sorted(back.nodes[net.nodes.columns], ["id"]), _sorted(net.nodes, ["id"])
    )
    keys = ["source", "type", "target"]
    pd.testing.assert_frame_equal(
        _sorted(back.edges[net.edges.columns], keys), _sorted(net.edges, keys)
    )


def test_from_networkx_plain_graph_with_labels_and_hostile_names() -> None:
    G = nx.Graph()
    G.add_node("o", label="Org", type="organization")
    for i, name in enumerate(HOSTILE):
        G.add_node(f"c{i}", name=name, type="Customer")
        G.add_edge(f"c{i}", "o", type="buys_from", trust=0.5)
    net = gc.Network.from_networkx(G)
    assert net.nodes.set_index("id").loc["o", "name"] == "Org"
    assert set(net.edges["type"]) == {"BUYS_FROM"}
    assert len(net.edges) == len(HOSTILE)


def test_from_networkx_errors_are_the_importers() -> None:
    G = nx.MultiDiGraph()
    G.add_node("o", name="Org", type="organization")
    G.add_node("s", name="Sup", type="supplier")
    G.add_edge("s", "o", key="DETACH_DELETE", trust=3)
    with pytest.raises(ValidationError) as err:
        gc.Network.from_networkx(G)
    text = "\n".join(str(p) for p in err.value.problems)
    assert "graph edges, row 1, column 'type'" in text
    assert "column 'trust': must be between 0 and 1" in text


def test_from_frames_validates_like_a_csv_import(tmp_path) -> None:
    nodes = pd.DataFrame(
        {
            "id": ["o", "c", "c"],
            "name": ["Org", "Cust", "Again"],
            "type": ["organization", "customer", "customer"],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["c", "ghost"],
            "target": ["o", "o"],
            "type": ["BUYS_FROM", "SUPPLIES"],
            "trust": ["80 %", "high"],
        }
    )
    with pytest.raises(ValidationError) as from_frames:
        gc.Network.from_frames(nodes, edges)
    nodes.to_csv(tmp_path / "nodes.csv", index=False)
    edges.to_csv(tmp_path / "edges.csv", index=False)
    with pytest.raises(ValidationError) as from_csv:
        load_path(tmp_path)

    def where(problems):  # the same rows, columns, reasons; only the file label differs
        return [(p.row, p.column, p.why.replace(".csv", " frame"), p.severity) for p in problems]

    assert where(from_frames.value.problems) == where(from_csv.value.problems)
    assert {p.file for p in from_frames.value.problems} <= {"nodes frame", "edges frame"}


def test_from_frames_converts_like_the_importer_and_refuses_non_frames() -> None:
    nodes = pd.DataFrame(
        {"ID": ["o", "c"], "Name": ["Org", "Cust"], "Typ": ["Organization", "Kunde"]}
    )
    edges = pd.DataFrame(
        {
            "from": ["c"],
            "to": ["o"],
            "Type": ["buys from"],
            "Mutual Interest": [0.4],
            "since": [pd.Timestamp("2020-01-02")],
        }
    )
    try:
        net = gc.Network.from_frames(nodes, edges)
    except ValidationError:  # German aliases may not all be known; the canonical form must be
        net = gc.Network.from_frames(
            nodes.assign(Typ=["organization", "customer"]), edges.assign(Type=["BUYS_FROM"])
        )
    assert net.edges.loc[0, "mutual_interest"] == 0.4
    assert net.edges["since"].dtype == "datetime64[ns]"
    with pytest.raises(gc.LoaderError, match="expected a pandas DataFrame"):
        gc.Network.from_frames({"id": [1]}, edges)  # type: ignore[arg-type]


# -- results cannot corrupt the cache ---------------------------------------------------------------


def test_mutating_returned_frames_does_not_change_the_next_analysis() -> None:
    clear_cache()
    net = gc.read_sample(small=True)
    first = gc.analyze(net)
    before = {name: getattr(first, name).copy() for name in ("nodes", "edges", "risks", "grid")}
    score = first.rci.score
    dims = first.rci.dimensions.copy()
    first.nodes["pagerank"] = 99.0
    first.nodes.loc[first.nodes.index[:5], "name"] = "gone"
    first.edges.loc[:, "strength"] = 0.0
    del first.risks[first.risks.columns[-1]]
    first.risks["added"] = 1
    first.grid["id"] = "changed"
    first.rci.dimensions.iloc[:, 1] = -1
    first.network.nodes.loc[:, "name"] = "x"
    first.params["seed"] = 7
    with pytest.raises(nx.NetworkXError):
        first.graph.add_node("intruder")
    second = gc.analyze(net)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(second, name), frame)
    assert second.rci.score == score
    pd.testing.assert_frame_equal(second.rci.dimensions, dims)
    assert (second.network.nodes["name"] != "x").all()
    assert second.params["seed"] == 42
    assert "intruder" not in second.graph


# -- Jupyter ------------------------------------------------------------------------------------


def test_repr_html_shows_summary_and_picture_with_names_as_text() -> None:
    nodes = pd.DataFrame(
        {
            "id": ["o", *[f"c{i}" for i in range(len(HOSTILE))]],
            "name": ["Org", *HOSTILE],
            "type": ["organization", *["customer"] * len(HOSTILE)],
        }
    )
    edges = pd.DataFrame(
        {
            "source": [f"c{i}" for i in range(len(HOSTILE))],
            "target": "o",
            "type": "BUYS_FROM",
            "trust": 0.5,
        }
    )
    net = gc.Network(nodes=nodes, edges=edges)
    for html in (net._repr_html_(), gc.analyze(net)._repr_html_()):
        assert "<svg" in html and html.count("<circle") == len(nodes)
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert "customer" in html
    assert "Relational Capital Index" in gc.analyze(net)._repr_html_()
    assert re.search(r"\b13\b", net._repr_html_())  # 13 stakeholders in the summary


def test_repr_html_of_a_large_network_draws_a_bounded_picture() -> None:
    from graphcap.notebook import PICTURE_MAX_NODES

    net = gc.read_sample()
    html = net._repr_html_()
    assert html.count("<circle") == PICTURE_MAX_NODES
    assert f"{PICTURE_MAX_NODES} of {len(net.nodes)} stakeholders shown" in html
