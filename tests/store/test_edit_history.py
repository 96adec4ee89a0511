"""The audit trail rebuilds any past state (property test), and imports and edits exclude each
other without losing anything -- against the real Neo4j."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphcap.errors import EditConflict, EditRefused
from graphcap.model import Network
from graphcap.store import audit, journal
from graphcap.store.edits import Editor, Target

from .graphcheck import HOSTILE, fingerprint

pytestmark = pytest.mark.integration

_TEXT = st.sampled_from(HOSTILE[:6] + ["A", "B", ""]).filter(bool)
_OPS = st.one_of(
    st.tuples(st.just("node"), st.sampled_from(["name", "segment", "tags"]), _TEXT),
    st.tuples(
        st.just("node"),
        st.sampled_from(["satisfaction", "loyalty"]),
        st.one_of(st.none(), st.floats(0, 1)),
    ),
    st.tuples(st.just("node"), st.just("since"), st.dates(date(1990, 1, 1), date(2030, 1, 1))),
    st.tuples(st.just("edge"), st.sampled_from(["trust", "commitment"]), st.floats(0, 1)),
    st.tuples(st.just("edge"), st.just("owner"), st.one_of(st.none(), _TEXT)),
    st.tuples(
        st.just("edge"), st.just("next_contact"), st.dates(date(2020, 1, 1), date(2030, 1, 1))
    ),
    st.tuples(st.sampled_from(["retire", "retire-edge"]), st.just(""), st.none()),
    st.tuples(st.just("undo"), st.just(""), st.integers(0, 30)),
)


@pytest.fixture(scope="module")
def shared(neo4j_settings):
    from graphcap.store import Neo4jStore

    s = Neo4jStore(neo4j_settings)
    s.clear()
    s.ensure_schema()
    yield s
    s.close()


def _network(prefix: str) -> Network:
    nodes = pd.DataFrame(
        {
            "id": [f"{prefix}org", f"{prefix}c"],
            "name": ["Us", "Kunde"],
            "type": ["organization", "customer"],
        }
    )
    edges = pd.DataFrame(
        {
            "source": [f"{prefix}c"],
            "target": [f"{prefix}org"],
            "type": ["BUYS_FROM"],
            "trust": [0.5],
        }
    )
    return Network(nodes=nodes, edges=edges)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(_OPS, min_size=1, max_size=12), pick=st.randoms(use_true_random=False))
def test_state_at_any_time_equals_the_copy_taken_then(shared, ops, pick):
    prefix = uuid.uuid4().hex[:8] + "-"
    shared.import_network(_network(prefix))
    ed = Editor(shared, user="prop")
    node = Target.stakeholder(f"{prefix}c", shared.schema)
    edge = Target.relationship(f"{prefix}c", "BUYS_FROM", f"{prefix}org", shared.schema)
    copies = {t: [(None, ed.current(t)[0])] for t in (node, edge)}  # (time, state) after each event
    events: list[dict] = []
    for kind, field, value in ops:
        target = edge if kind in ("edge", "retire-edge") else node
        state, version = ed.current(target)
        try:
            if kind == "node":
                e = ed.change_stakeholder(node.key, {field: value}, version=version)
            elif kind == "edge":
                e = ed.change_relationship(*edge.ends, {field: value}, version=version)
            elif kind == "retire":
                e = (
                    ed.restore_stakeholder if "__gc_retired_at" in state else ed.retire_stakeholder
                )(node.key, version=version)
            elif kind == "retire-edge":
                e = (
                    ed.restore_relationship
                    if "__gc_retired_at" in state
                    else ed.retire_relationship
                )(*edge.ends, version=version)
            else:
                if not events:
                    continue
                e = ed.undo(events[value % len(events)]["id"])
        except (EditRefused, EditConflict):
            continue  # a refused edit writes no event and changes nothing
        events.append(e)
        changed = Target.of(e["kind"], e["key"], shared.schema)
        copies[changed].append((e["at"], ed.current(changed)[0]))
    for target, taken in copies.items():
        history = ed.history(target)
        # the import that created the item comes first (graphcap.store.import_history), and
        # its state after is the imported one
        assert history[0]["action"] == "import" and history[0]["before"] is None
        assert history[0]["after"] == taken[0][1]
        assert [e["at"] for e in history[1:]] == [t for t, _ in taken[1:]]
        for k, (at, state) in enumerate(taken):
            if at is None:
                continue
            assert audit.state_at(history, at)[1] == state
            assert audit.state_at(history, at - timedelta(microseconds=1))[1] == taken[k - 1][1]
        # and at a random time: the copy of the last event at or before it
        if len(taken) > 1:
            lo, hi = taken[1][0], taken[-1][0]
            when = lo + (hi - lo) * pick.random()
            expected = [s for t, s in taken[1:] if t <= when][-1]
            assert ed.state_at(target, when) == expected


# -- imports and edits -------------------------------------------------------------------------


def test_edits_are_refused_while_an_import_runs(store):
    store.import_network(_network(""))
    ed = Editor(store, user="alice")
    with (
        store.driver.session(database=store.database) as lock_session,
        store.driver.session(database=store.database) as session,
    ):
        lock_tx = journal.lock(lock_session)
        journal.begin(session.execute_write, "test-import")
        try:
            before = fingerprint(store)
            started = time.monotonic()
            with pytest.raises(EditRefused, match="an import into this database is running"):
                ed.change_stakeholder("c", {"segment": "x"}, version=0)
            assert time.monotonic() - started < 5  # refused at once, not after the lock wait
            assert fingerprint(store) == before
        finally:
            journal.rollback(session.execute_write, "test-import", store.schema.labels)
            lock_tx.close()
    ed.change_stakeholder("c", {"segment": "x"}, version=0)  # the import is over: accepted


def test_an_import_waits_for_an_edit_in_flight_and_both_are_kept(store):
    store.import_network(_network(""))
    net = _network("")
    net.nodes["segment"] = ["S", "S"]
    outcome: dict[str, object] = {}
    with store.driver.session(database=store.database) as session:
        tx = session.begin_transaction()
        seq, at = audit.begin(tx)  # the edit holds the edit/import lock
        tx.run("MATCH (n:Stakeholder {id: 'c'}) SET n.tags = 'edited'").consume()

        def run_import() -> None:
            try:
                outcome["summary"] = store.import_network(net)
            except Exception as exc:  # noqa: BLE001 - reported below
                outcome["error"] = exc

        importer = threading.Thread(target=run_import)
        importer.start()
        importer.join(timeout=3)
        assert importer.is_alive(), "the import must wait for the edit in flight"
        tx.commit()
    importer.join(timeout=60)
    assert "error" not in outcome, outcome
    row = store.read_network().nodes.set_index("id").loc["c"]
    assert row["tags"] == "edited" and row["segment"] == "S"


def test_an_edit_during_a_real_import_is_refused_and_the_import_completes(store):
    big = pd.DataFrame(
        {
            "id": [f"n{i}" for i in range(3000)],
            "name": [f"N {i}" for i in range(3000)],
            "type": ["customer"] * 3000,
        }
    )
    store.import_network(_network(""))
    ed = Editor(store, user="alice")
    seen: list[BaseException | None] = []

    def progress(done: int, total: int) -> None:
        if 0 < done < total and not seen:
            try:
                ed.change_stakeholder("c", {"segment": "during"}, version=0)
                seen.append(None)
            except EditRefused as exc:
                seen.append(exc)

    nodes = pd.concat([_network("").nodes, big], ignore_index=True)
    summary = store.import_network(
        Network(nodes=nodes, edges=_network("").edges), batch_size=500, progress=progress
    )
    assert summary.nodes.created == 3000
    assert isinstance(seen[0], EditRefused)
    assert "segment" not in store.read_network().nodes.set_index("id").loc["c"].dropna()
