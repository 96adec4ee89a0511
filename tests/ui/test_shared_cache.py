"""Heavy work is done once per data version for all sessions of one app server, and every
session gets its own copy (bench/bench_sessions.py measures 8 browser sessions against one)."""

from __future__ import annotations

import threading
import time

import streamlit as st

from graphcap.snapshot import write_snapshot
from graphcap.ui import state
from tests.ui.netfactory import make_network


def _counting(monkeypatch):  # type: ignore[no-untyped-def]
    calls: list[int] = []
    real = state.analyze

    def analyze(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        time.sleep(0.5)  # long enough for every waiting session to arrive meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(state, "analyze", analyze)
    return calls


def test_eight_sessions_at_once_compute_the_analysis_once(snapshot_env, monkeypatch):
    calls = _counting(monkeypatch)
    net = snapshot_env
    results: list[object] = []
    start = threading.Barrier(8)

    def session() -> None:
        start.wait()
        results.append(state._analysis(net, "snapshot:v1"))

    threads = [threading.Thread(target=session) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert len(results) == 8 and len(calls) == 1
    # each session holds its own copy: changing one leaves the others (and the cache) alone
    first, second = results[0], results[1]
    assert first is not second
    first.risks["score"] = -1.0  # type: ignore[attr-defined]
    fresh = state._analysis(net, "snapshot:v1")
    assert len(second.risks) > 0 and (second.risks["score"] >= 0).all()  # type: ignore[attr-defined]
    assert fresh.risks["score"].tolist() == second.risks["score"].tolist()  # type: ignore[attr-defined]


def test_pages_of_two_sessions_share_one_analysis_until_the_data_changes(
    snapshot_env, open_page, monkeypatch, tmp_path
):
    calls = _counting(monkeypatch)
    open_page("overview")
    open_page("risks")  # another session, another page: same data version
    assert len(calls) == 1
    # new data (an import) is a new version: computed once more, for everyone
    path = tmp_path / "small.gcap"
    write_snapshot(make_network(61, seed=4), path)
    st.cache_resource.clear()  # the connection re-reads the snapshot's version
    open_page("overview")
    assert len(calls) == 2


def test_the_layout_is_made_in_the_background_after_the_first_view_once(
    snapshot_env, open_page, monkeypatch
):
    calls: list[int] = []
    real = state.compute_layout

    def compute_layout(ids, edges):  # type: ignore[no-untyped-def]
        calls.append(len(ids))
        return real(ids, edges)

    monkeypatch.setattr(state, "compute_layout", compute_layout)
    state._LAID_OUT.clear()
    open_page("overview")  # draws no network, but starts laying it out
    open_page("risks")  # another session: the layout is not started twice
    for thread in [t for t in threading.enumerate() if t.name == "graphcap-layout"]:
        thread.join(timeout=300)
    assert calls == [len(snapshot_env.nodes)]
    at = open_page("network")  # finds the layout made
    assert calls == [len(snapshot_env.nodes)]
    assert at.get("iframe")
