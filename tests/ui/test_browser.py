"""The real app in Debian's Chromium: the network draws, filters change what is drawn, hostile
names stay text, and nothing is requested from anywhere but the app's own server.

Screenshots of every page go to tests/artifacts/ (gitignored) for a human to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graphcap.snapshot import write_snapshot
from tests.ui.appserver import CHROMIUM_ARGS, network_frame, running_app, wait_drawn
from tests.ui.netfactory import HOSTILE_NAMES, LINK_NAMES, make_network

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PAGES = ["overview", "network", "stakeholder", "stakeholders", "risks", "grid", "import"]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("browser-app")
    snap = tmp / "hostile.gcap"
    write_snapshot(make_network(80, seed=5), snap)
    env = {"GRAPHCAP_SNAPSHOT": str(snap), "GRAPHCAP_DATA_DIR": str(tmp / "data")}
    for name in ("NEO4J_URI", "NEO4J_PASSWORD", "NEO4J_USER"):
        env[name] = ""
    with running_app(env, log=tmp / "app.log") as url:
        yield url


@pytest.fixture
def page(chromium: str, app_url: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1500})
        pg = context.new_page()
        pg.outside = []  # type: ignore[attr-defined]
        pg.dialogs = []  # type: ignore[attr-defined]

        def on_request(request) -> None:  # type: ignore[no-untyped-def]
            url = request.url
            if not (url.startswith(app_url) or url.startswith(("data:", "blob:", "about:"))):
                pg.outside.append(url)  # type: ignore[attr-defined]

        def on_route(route) -> None:  # type: ignore[no-untyped-def]
            url = route.request.url
            if url.startswith(app_url) or url.startswith(("data:", "blob:", "about:")):
                route.continue_()
            else:
                route.abort()

        context.on("request", on_request)
        context.route("**/*", on_route)
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
        try:
            yield pg
        finally:
            browser.close()


def test_network_draws_filters_and_stays_offline(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    net = make_network(80, seed=5)
    page.goto(app_url + "/network")
    frame = network_frame(page)
    state = wait_drawn(frame)
    assert state["nodes"] == len(net.nodes)
    assert state["edges"] == len(net.edges)
    assert frame.evaluate("() => document.getElementById('gc-root').dataset.drawnNodes") == str(
        len(net.nodes)
    )

    # hostile names: drawn as labels, in the DOM only as text, nothing ran or loaded
    labels = frame.evaluate("() => window.graphcapNetwork.body.data.nodes.get().map(n => n.label)")
    assert set(HOSTILE_NAMES) <= set(labels)
    # hover the <img onerror> stakeholder: its tooltip is plain text
    pos = frame.evaluate(
        """() => { const net = window.graphcapNetwork;
                   return net.canvasToDOM(net.getPositions(['s00002'])['s00002']); }"""
    )
    box = page.locator("iframe").first.bounding_box()
    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    frame.wait_for_function(
        "() => document.getElementById('gc-tip').style.visibility === 'visible'"
    )
    tip = frame.evaluate(
        "() => [document.getElementById('gc-tip').textContent, document.getElementById('gc-tip').children.length]"
    )
    assert tip[0].startswith(HOSTILE_NAMES[1] + "\n") and tip[1] == 0
    assert frame.evaluate("() => document.querySelectorAll('img, script[src], iframe').length") == 0
    assert frame.evaluate("() => window.__pwned === undefined")
    assert page.evaluate("() => window.__pwned === undefined")

    # a filter changes what is drawn: the search keeps one stakeholder and its neighbours
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page-network.png"))
    search = page.get_by_label("Search by name")
    search.fill("stakeholder 17")
    search.press("Enter")
    e = net.edges
    touching = e[(e["source"] == "s00017") | (e["target"] == "s00017")]
    expected = len(set(touching["source"]) | set(touching["target"]) | {"s00017"})
    page.wait_for_function(
        """n => Array.from(document.querySelectorAll('iframe')).some(f => {
              try { const s = f.contentWindow.graphcapState; return s && s.drawn && s.nodes === n; }
              catch (e) { return false; } })""",
        arg=expected,
        timeout=60_000,
    )
    page.screenshot(path=str(ARTIFACTS / "page-network-search.png"))
    assert page.dialogs == []
    assert page.outside == []


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_offline(page, app_url: str, name: str) -> None:  # type: ignore[no-untyped-def]
    path = {"overview": "", "stakeholder": "stakeholder?id=s00001"}.get(name, name)
    page.goto(f"{app_url}/{path}")
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
    )
    if name == "network":
        wait_drawn(network_frame(page))
    page.wait_for_timeout(1500)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-{name}.png"), full_page=True)
    if name == "stakeholder":
        heading = page.locator("h2").first.inner_text()
        assert heading.strip() == HOSTILE_NAMES[0]  # the <script> name shown as text
    assert page.dialogs == []
    assert page.outside == []


def test_double_click_on_a_stakeholder_opens_its_page(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url + "/network")
    frame = network_frame(page)
    wait_drawn(frame)
    target = "s00017"  # past the hostile and link-shaped names
    pos = frame.evaluate(
        """id => { const net = window.graphcapNetwork;
                   net.moveTo({ position: net.getPositions([id])[id], scale: 1.5, animation: false });
                   return net.canvasToDOM(net.getPositions([id])[id]); }""",
        target,
    )
    box = page.locator("iframe").first.bounding_box()
    page.mouse.dblclick(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_url(f"**/stakeholder?id={target}", timeout=30_000)
    page.wait_for_selector("h2", timeout=60_000)
    assert page.locator("h2").first.inner_text().strip() == "Stakeholder 17"
    assert page.outside == []


_LINKS_JS = """() => {
  const docs = [document, ...Array.from(document.querySelectorAll('iframe')).map(f => {
      try { return f.contentDocument; } catch (e) { return null; } }).filter(d => d)];
  const out = [];
  for (const d of docs) {
    for (const a of d.querySelectorAll('a[href]')) out.push(['a', a.getAttribute('href'), a.textContent]);
    for (const i of d.querySelectorAll('img[src]')) out.push(['img', i.getAttribute('src'), '']);
  }
  return out;
}"""


@pytest.mark.parametrize(
    "path",
    [
        *[p if p != "overview" else "" for p in PAGES],
        *[
            f"stakeholder?id=s{k:05d}"
            for k in range(len(HOSTILE_NAMES) + 1, len(HOSTILE_NAMES) + len(LINK_NAMES) + 1)
        ],
    ],
)
def test_no_page_turns_data_into_links_or_images(page, app_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    """Every page, and the page of every link-shaped stakeholder: the DOM holds no <a> or <img>
    that comes from data (link-shaped names point at phish.invalid / canary.invalid)."""
    page.goto(f"{app_url}/{path}")
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
    )
    page.wait_for_timeout(1500)
    found = page.evaluate(_LINKS_JS)
    from_data = [f for f in found if "invalid" in (f[1] or "") or "phish" in (f[2] or "")]
    assert from_data == []
    if path.startswith("stakeholder?id="):
        k = int(path.rsplit("s", 1)[1])
        name = LINK_NAMES[k - len(HOSTILE_NAMES) - 1]
        assert page.locator("h2").first.inner_text().strip() == name  # shown exactly, as text
    assert page.outside == []


GERMAN_TITLES = {
    "overview": "Übersicht",
    "network": "Netzwerk",
    "stakeholder": "Stakeholder",
    "stakeholders": "Stakeholderliste",
    "risks": "Risiken",
    "grid": "Macht-Interesse-Matrix",
    "import": "Import",
}


def _settled(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
    )
    page.wait_for_timeout(1500)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_in_german(page, app_url: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """Screenshots tests/artifacts/page-de-*.png: the German app, for a human to look at."""
    path = {"overview": "?lang=de", "stakeholder": "stakeholder?id=s00001&lang=de"}.get(
        name, f"{name}?lang=de"
    )
    page.goto(f"{app_url}/{path}")
    _settled(page)
    if name == "network":
        wait_drawn(network_frame(page))
    page.wait_for_function(  # tables, charts and metrics drawn, not placeholders
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000
    )
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("h1").first.inner_text().strip() == GERMAN_TITLES[name]
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "Sprache" in sidebar and "Neu verbinden" in sidebar and "Reconnect" not in sidebar
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-de-{name}.png"), full_page=True)
    assert page.outside == []


def test_the_file_uploader_reads_german(page, app_url: str) -> None:  # type: ignore[no-untyped-def]
    """Streamlit's uploader has no parameter for its "Upload" and "200MB per file": the German
    page shows German words in their place (a style sheet), the English page Streamlit's own."""
    button = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
    hint = '[data-testid="stFileUploaderDropzoneInstructions"] span'
    shown = "e => [getComputedStyle(e, '::after').content, getComputedStyle(e).fontSize]"
    page.goto(f"{app_url}/import?lang=de")
    _settled(page)
    assert page.locator(button).first.evaluate(shown) == ['"Hochladen"', "0px"]
    assert page.locator(hint).first.evaluate(shown) == ['"bis 200 MB pro Datei"', "0px"]
    page.goto(f"{app_url}/import?lang=en")
    _settled(page)
    assert page.locator(button).first.evaluate(shown)[0] == "none"
    assert page.locator(button).first.inner_text() == "Upload"
    assert page.locator(hint).first.inner_text().startswith("200MB per file")


def test_the_browser_language_decides_the_first_visit_and_the_choice_stays(  # type: ignore[no-untyped-def]
    chromium: str, app_url: str
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            german = browser.new_context(locale="de-DE", viewport={"width": 1400, "height": 1000})
            pg = german.new_page()
            pg.goto(app_url + "/")  # Accept-Language: de-DE
            _settled(pg)
            assert pg.locator("h1").first.inner_text().strip() == "Übersicht"
            assert "lang=" not in pg.url  # a guess is not written into the address
            pg.locator("[data-testid='stSidebarNav'] a", has_text="Risiken").click()
            pg.wait_for_url("**/risks**", timeout=30_000)
            _settled(pg)
            assert pg.locator("h1").first.inner_text().strip() == "Risiken"

            english = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
            pg = english.new_page()
            pg.goto(app_url + "/risks?lang=de")  # a shared German link
            _settled(pg)
            assert pg.locator("h1").first.inner_text().strip() == "Risiken"
            pg.locator("[data-testid='stSidebarNav'] a", has_text="Netzwerk").click()
            pg.wait_for_url("**/network?lang=de", timeout=30_000)  # the choice stays in the URL
            _settled(pg)
            assert pg.locator("h1").first.inner_text().strip() == "Netzwerk"
        finally:
            browser.close()


def test_network_follows_the_dark_theme(chromium: str, app_url: str) -> None:
    """A browser that prefers dark gets the app's [theme.dark], and the drawing follows it:
    its background and label colours are the dark variant's, and every stakeholder's colour
    stands out from that background (3:1)."""
    from playwright.sync_api import sync_playwright

    from graphcap.picture.theme import contrast, drawing_theme

    dark = drawing_theme("dark")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 1400, "height": 1500}, color_scheme="dark"
            )
            page = context.new_page()
            page.goto(app_url + "/network")
            page.wait_for_function(
                """() => Array.from(document.querySelectorAll('iframe')).some(f => {
                      try { return f.contentDocument.body.classList.contains('gc-theme-dark'); }
                      catch (e) { return false; } })""",
                timeout=90_000,
            )
            frame = network_frame(page)
            wait_drawn(frame)
            background = frame.evaluate("() => getComputedStyle(document.body).backgroundColor")
            r, g, b = (int(dark["background"][i : i + 2], 16) for i in (1, 3, 5))
            assert background == f"rgb({r}, {g}, {b})"
            drawn = frame.evaluate(
                """() => { const n = window.graphcapNetwork;
                           return [n.body.data.nodes.get().map(x => x.color.background || x.color),
                                   JSON.parse(document.getElementById('gc-data').textContent).theme]; }"""
            )
            colours, theme = drawn
            assert theme == dark
            assert min(contrast(c, dark["background"]) for c in colours) >= 3
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "page-network-dark.png"))
        finally:
            browser.close()
