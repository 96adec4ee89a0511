"""Fixtures of the UI tests: a snapshot of a small hostile network, and AppTest on app.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st

from graphcap.model import Network
from graphcap.snapshot import write_snapshot
from tests.ui.appserver import CHROMIUM_ARGS
from tests.ui.netfactory import make_network

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGES = "graphcap/ui/pages"


@pytest.fixture
def small_network() -> Network:
    return make_network(60, seed=3)


@pytest.fixture
def snapshot_env(
    tmp_path: Path, small_network: Network, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Network]:
    """The app reads ``small_network`` from a snapshot file (no Neo4j configured)."""
    path = tmp_path / "small.gcap"
    write_snapshot(small_network, path)
    monkeypatch.setenv("GRAPHCAP_SNAPSHOT", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield small_network
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def open_page() -> Callable:
    """``open_page("network")`` -> an AppTest that has run app.py and switched to that page."""
    from streamlit.testing.v1 import AppTest

    def run(page: str, *, query: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.run()
        at.switch_page(f"{PAGES}/{page}.py")
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return run


@pytest.fixture
def browser_page(chromium: str):  # type: ignore[no-untyped-def]
    """A Chromium page that records the websocket frames it receives (``page.frames_in``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
        page.frames_in = []  # type: ignore[attr-defined]
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: page.frames_in.append(f)))  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            browser.close()
