"""The whole graph at a past time, rebuilt from the audit trail, equals a copy taken then
(property test against the real Neo4j), and a time before the last import is refused."""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graphcap.errors import EditConflict, EditRefused
from graphcap.model import Network
from graphcap.store.asof import AsOfRefused
from graphcap.store.assess import assess, log_interaction
from graphcap.store.edits import Editor, Target

pytestmark = pytest.mark.integration

_IDS = ["org", "c1", "c2", "s1", "n1", "n2"]  # n1, n2 do not exist until created
_VALUE = st.one_of(st.none(), st.sampled_from(["A", "B", "x'y"]), st.floats(0, 1))
_OPS = st.one_of(
    st.tuples(st.just("node"), st.sampled_from(_IDS), st.sampled_from(["segment", "tags"]), _VALUE),
    st.tuples(st.just("type"), st.sampled_from(_IDS), st.sampled_from(["customer", "supplier"])),
    st.tuples(st.just("edge"), st.integers(0, 8), st.sampled_from(["trust", "owner"]), _VALUE),
    st.tuples(st.just("create"), st.sampled_from(["n1", "n2"])),
    st.tuples(st.just("link"), st.sampled_from(_IDS), st.sampled_from(_IDS)),
    st.tuples(st.just("retire"), st.sampled_from(_IDS)),
    st.tuples(st.just("retire-edge"), st.integers(0, 8)),
    st.tuples(st.just("assess"), st.integers(0, 8), st.floats(0, 1)),
    st.tuples(st.just("log"), st.sampled_from(_IDS), st.sampled_from(_IDS)),
    st.tuples(st.just("undo"), st.integers(0, 40)),
    # imports interleaved with the edits: a changed re-import, a replace, a refused import
    st.tuples(st.just("import"), st.sampled_from(["same", "changed", "replace", "bad"])),
)


def _network() -> Network:
    nodes = pd.DataFrame(
        {
            "id": ["org", "c1", "c2", "s1"],
            "name": ["Us", "Kunde 1", "Kunde 2", "Lieferant"],
            "type": ["organization", "customer", "customer", "supplier"],
            "segment": ["-", "A", None, "B"],
        }
    )
    edges = pd.DataFrame(
        {
            "source": ["c1", "c2", "org"],
            "target": ["org", "org", "s1"],
            "type": ["BUYS_FROM", "BUYS_FROM", "BUYS_FROM"],
            "trust": [0.5, 0.7, None],
        }
    )
    inter = pd.DataFrame(
        {"date": ["2026-01-05"], "source": ["org"], "target": ["c1"], "channel": ["call"]}
    )
    return Network(nodes=nodes, edges=edges, interactions=inter)


def _changed() -> Network:
    """The network again with changed values, a new stakeholder and relationship, one
    relationship left out and another interaction."""
    net = _network()
    nodes = net.nodes.copy()
    nodes.loc[1, "segment"] = "Z"
    nodes.loc[2, "name"] = "Kunde Zwei"
    nodes = pd.concat(
        [nodes, pd.DataFrame({"id": ["n3"], "name": ["Neu"], "type": ["supplier"]})],
        ignore_index=True,
    )
    edges = pd.DataFrame(
        {
            "source": ["c1", "org", "n3"],
            "target": ["org", "s1", "org"],
            "type": ["BUYS_FROM"] * 3,
            "trust": [0.9, 0.1, 0.4],
        }
    )
    inter = pd.DataFrame(
        {
            "date": ["2026-01-05", "2026-02-07"],
            "source": ["org", "org"],
            "target": ["c1", "n3"],
            "channel": ["call", "visit"],
        }
    )
    return Network(nodes=nodes, edges=edges, interactions=inter)


def _smaller() -> Network:
    """What a replace keeps: two stakeholders and the relationship between them."""
    net = _network()
    return Network(
        nodes=net.nodes[net.nodes["id"].isin(["org", "c1"])].reset_index(drop=True),
        edges=net.edges.iloc[:1].reset_index(drop=True),
        interactions=net.interactions,
    )


def _bad() -> Network:
    """A changed network whose last relationship names a stakeholder that does not exist: the
    import fails after its first batches and is rolled back."""
    net = _changed()
    edges = pd.concat(
        [
            net.edges,
            pd.DataFrame({"source": ["nobody"], "target": ["org"], "type": ["BUYS_FROM"]}),
        ],
        ignore_index=True,
    )
    return Network(nodes=net.nodes, edges=edges, interactions=net.interactions)


def _trail(store) -> tuple:
    """Everything the history holds: events, import runs and trails, the trail's counter."""
    return store._read(
        lambda tx: (
            tx.run(
                "OPTIONAL MATCH (e:GraphcapEvent) WITH count(e) AS e "
                "OPTIONAL MATCH (r:GraphcapImportRun) WITH e, count(r) AS r "
                "OPTIONAL MATCH (u:GraphcapImportTrail) WITH e, r, count(u) AS u "
                "OPTIONAL MATCH (c:GraphcapMeta {key: 'events'}) RETURN e, r, u, c.seq AS seq"
            )
            .single()
            .values()
        ),
        "test",
    )


def _last_run(store):
    return store._read(
        lambda tx: tx.run("MATCH (r:GraphcapImportRun) RETURN max(r.at) AS at").single()["at"],
        "test",
    ).to_native()


def _import(store, variant: str):
    """Run one import variant; returns its run's time, or None when nothing was changed."""
    from graphcap.errors import ImportFailed

    before = _trail(store)
    if variant == "bad":
        with pytest.raises(ImportFailed):
            store.import_network(_bad(), batch_size=2)
        assert _trail(store) == before  # a failed import leaves the history as it was
        return None
    net = {"same": _network, "changed": _changed, "replace": _smaller}[variant]()
    try:
        summary = store.import_network(net, replace=variant == "replace")
    except ImportFailed:
        assert _trail(store) == before  # refused (e.g. a stakeholder with assessments)
        return None
    if not summary.changed:
        assert _trail(store)[1:3] == before[1:3]  # nothing changed: no run, no trail kept
        return None
    return _last_run(store)


def canon(net: Network) -> tuple:
    """The rows of each frame as sorted tuples of the values that are set (so a column that
    is all empty in one frame and absent in the other compares equal)."""

    def rows(frame: pd.DataFrame) -> list:
        out = []
        for rec in frame.to_dict("records"):
            items = []
            for k, v in rec.items():
                if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
                    continue
                items.append((k, str(v)))
            out.append(tuple(sorted(items)))
        return sorted(out)

    return rows(net.nodes), rows(net.edges), rows(net.interactions)


@pytest.fixture(scope="module")
def shared(neo4j_settings):
    from graphcap.store import Neo4jStore

    s = Neo4jStore(neo4j_settings)
    yield s
    s.close()


def _edges(store) -> list[tuple[str, str, str]]:
    rows = store._read(
        lambda tx: [
            (r["s"], "BUYS_FROM", r["b"])
            for r in tx.run(
                "MATCH (a:Stakeholder)-[:BUYS_FROM]->(b:Stakeholder) "
                "RETURN a.id AS s, b.id AS b ORDER BY s, b"
            )
        ],
        "test",
    )
    return rows


def _apply(store, ed: Editor, op: tuple, events: list[dict]) -> dict:
    kind = op[0]
    if kind in ("node", "type", "retire", "create"):
        target = Target.stakeholder(op[1], store.schema)
        state, version = ed.current(target)
        if kind == "create":
            return ed.create_stakeholder({"id": op[1], "name": op[1].upper(), "type": "customer"})
        if state is None:
            raise EditRefused("no such stakeholder")
        if kind == "node":
            return ed.change_stakeholder(op[1], {op[2]: op[3]}, version=version)
        if kind == "type":
            return ed.change_stakeholder(op[1], {"type": op[2]}, version=version)
        retired = "__gc_retired_at" in state
        return (ed.restore_stakeholder if retired else ed.retire_stakeholder)(
            op[1], version=version
        )
    if kind == "link":
        return ed.create_relationship(op[1], "BUYS_FROM", op[2], {"trust": 0.3})
    if kind == "log":
        return log_interaction(ed, {"date": date(2026, 2, 1), "source": op[1], "target": op[2]})
    if kind == "undo":
        if not events:
            raise EditRefused("nothing to undo")
        return ed.undo(events[op[1] % len(events)]["id"])
    edges = _edges(store)
    ends = edges[op[1] % len(edges)]
    target = Target.relationship(*ends, store.schema)
    state, version = ed.current(target)
    if kind == "edge":
        # trust is a number (or removed), owner a text (or removed): what an edit form allows
        value = op[3]
        if op[2] == "trust" and isinstance(value, str):
            value = 0.25
        elif op[2] == "owner" and isinstance(value, float):
            value = "o"
        return ed.change_relationship(*ends, {op[2]: value}, version=version)
    if kind == "assess":
        return assess(ed, target, {"trust": op[2]}, on=date(2026, 3, 1))
    retired = "__gc_retired_at" in state
    return (ed.restore_relationship if retired else ed.retire_relationship)(*ends, version=version)


@pytest.mark.timeout(900)  # each example clears and imports; a loaded machine is slow
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(_OPS, min_size=1, max_size=12), pick=st.randoms(use_true_random=False))
@example(  # every kind of import, for sure: changed, replace (deletes), failed, unchanged
    ops=[
        ("edge", 0, "trust", 0.2),
        ("import", "changed"),
        ("retire", "c1"),
        ("log", "org", "c2"),
        ("import", "replace"),
        ("import", "bad"),
        ("import", "same"),
        ("node", "n3", "segment", "A"),
        ("import", "changed"),
    ],
    pick=random.Random(1),
)
def test_the_graph_at_any_time_equals_the_copy_taken_then(shared, ops, pick):
    shared.clear()
    empty = canon(shared.read_network())
    first_import = _import(shared, "same")  # the create-only path into an empty graph
    # it keeps one list of keys per batch, nothing per item
    kept = shared._read(
        lambda tx: tx.run(
            "MATCH (u:GraphcapImportTrail) RETURN collect(DISTINCT u.__gc_kind) AS k"
        ).single()["k"],
        "test",
    )
    assert set(kept) <= {"created_nodes", "created_edges", "created_interactions"}
    ed = Editor(shared, user="prop")
    copies: list[tuple[datetime, tuple]] = []
    events: list[dict] = []
    start = canon(shared.read_network())
    for op in ops:
        if op[0] == "import":
            at = _import(shared, op[1])
            if at is not None:
                copies.append((at, canon(shared.read_network())))
            continue
        try:
            e = _apply(shared, ed, op, events)
        except (EditRefused, EditConflict):
            continue  # a refused edit writes no event and changes nothing
        events.append(e)
        copies.append((e["at"], canon(shared.read_network())))
    # before the first import: nothing; just after it, before any edit: the imported state
    assert canon(shared.read_network_at(first_import - timedelta(microseconds=1))) == empty
    assert canon(shared.read_network_at(first_import)) == start
    first = copies[0][0] if copies else datetime.now(UTC)
    assert canon(shared.read_network_at(first - timedelta(microseconds=1))) == start
    for k, (at, copy) in enumerate(copies):
        assert canon(shared.read_network_at(at)) == copy, f"at event {k}"
    if copies:  # a random time between two events: the copy after the earlier one
        lo, hi = copies[0][0], copies[-1][0] + timedelta(seconds=1)
        when = lo + (hi - lo) * pick.random()
        expected = [c for t, c in copies if t <= when][-1]
        assert canon(shared.read_network_at(when)) == expected
    # now: the current view
    assert canon(shared.read_network_at(datetime.now(UTC))) == canon(shared.read_network())


def test_a_time_before_an_import_is_rebuilt_and_one_before_an_untracked_import_refused(store):
    store.import_network(_network())
    Editor(store, user="a").change_stakeholder("c1", {"segment": "Z"}, version=0)
    with pytest.raises(ValueError, match="time zone"):
        store.read_network_at(datetime(2030, 1, 1))
    # long ago: before the first import, the graph was empty
    assert store.read_network_at(datetime(2000, 1, 1, tzinfo=UTC)).nodes.empty
    # a time between two imports shows the edit, and the re-import put the segment back
    between = datetime.now(UTC)
    store.import_network(_network())
    past = store.read_network_at(between).nodes
    segment = dict(zip(past["id"], past["segment"], strict=True))
    assert segment["c1"] == "Z"
    net = store.read_network_at(datetime.now(UTC))
    assert net.meta["as_of_time"] <= datetime.now(UTC)
    assert dict(zip(net.nodes["id"], net.nodes["segment"], strict=True))["c1"] == "A"
    # the history of c1 names both imports and the edit between them
    history = Editor(store, user="a").history(Target.stakeholder("c1", store.schema))
    assert [e["action"] for e in history] == ["import", "change", "import"]
    assert history[0]["before"] is None and history[0]["after"]["segment"] == "A"
    assert history[2]["changes"]["segment"] == ("Z", "A")


def test_a_time_before_data_imported_without_the_trail_is_refused(store):
    """A database whose last import came from a graphcap that kept no import trail (its
    state has no ``tracked``): before that commit is refused; the next import keeps the bound
    and rebuilds everything after it."""
    store.import_network(_network())
    old = datetime.now(UTC) - timedelta(days=3)
    store._write(
        lambda tx: tx.run(
            "MATCH (s:GraphcapMeta {key: 'import'}) REMOVE s.tracked, s.untracked_until "
            "SET s.committed_at = $old WITH 1 AS one MATCH (n) "
            "WHERE n:GraphcapImportRun OR n:GraphcapImportTrail DETACH DELETE n",
            old=old,
        ).consume(),
        "test: an import by an older graphcap",
    )
    with pytest.raises(AsOfRefused, match="last imported at .* did not keep imports"):
        store.read_network_at(old - timedelta(days=1))
    copy = canon(store.read_network())
    store.import_network(_changed())  # now tracked; the old bound stays
    with pytest.raises(AsOfRefused, match="last imported at"):
        store.read_network_at(old - timedelta(days=1))
    assert canon(store.read_network_at(old + timedelta(days=1))) == copy
    assert canon(store.read_network_at(datetime.now(UTC))) == canon(store.read_network())
