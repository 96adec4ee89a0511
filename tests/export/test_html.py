"""The HTML export in headless Chromium, offline: it draws every stakeholder and relationship,
requests nothing but its own file, and hostile names stay text (no script runs)."""

from __future__ import annotations

import pytest

from graphcap.export.html import export_html
from tests.export.netcases import HOSTILE_NAMES, hostile_network

pytestmark = [pytest.mark.browser]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_html_export_draws_offline_with_names_as_text(tmp_path, chromium):
    from playwright.sync_api import sync_playwright

    net = hostile_network()
    path = export_html(net, tmp_path, stem="network", title="Board <b>network</b>")
    url = path.as_uri()
    outside, dialogs, errors = [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 900})

            def route(r):  # type: ignore[no-untyped-def]
                if r.request.url == url or r.request.url.startswith(("data:", "blob:")):
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url)
            page.wait_for_function(
                "() => window.graphcapState && window.graphcapState.drawn", timeout=60_000
            )
            state = page.evaluate("() => window.graphcapState")
            labels = page.evaluate(
                "() => window.graphcapNetwork.body.data.nodes.get().map(n => n.label)"
            )
            assert page.title() == "Board <b>network</b>"
            injected = page.evaluate("() => document.querySelectorAll('b, img, iframe').length")
        finally:
            browser.close()
    assert state["nodes"] == len(net.nodes) and state["edges"] == len(net.edges)
    assert set(HOSTILE_NAMES) <= set(labels)
    assert outside == [] and dialogs == [] and errors == []
    assert injected == 0
