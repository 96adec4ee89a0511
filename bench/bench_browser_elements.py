"""What one page load costs a browser, element by element, against a bare page in the same run.

With N browser sessions on the server's own C cores, a page waits about N x (CPU seconds per
load) / C once the cores are busy, so the CPU a browser spends per load decides the 8-session
figure of ``bench_sessions.py``. This benchmark runs a Streamlit app whose pages each hold one
kind of element graphcap's pages use, in the quantity they use it (4 Vega-Lite charts, 3 small
tables, 8 risk cards and 15 rows of buttons, a select box of 10,000 names or of 250, a table of
10,000 rows or 500, the network drawing's inlined vis-network), and one page with only a title
and a line (the floor). One headless Chromium session loads each page ``--rounds`` times (a
reload each, after a first warm-up round, each from a blank page so that the previous page's
teardown is not counted); per page the median CPU seconds of the Chromium process tree and the
app server from ``goto`` until the page has settled and a second has passed.

    python bench/bench_browser_elements.py --rounds 4
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._harness import machine, markdown_table, publish  # noqa: E402
from bench.bench_sessions import _page_cpu  # noqa: E402
from tests.ui.appserver import running_app  # noqa: E402

#: page path -> what it holds (the app below defines the same paths)
PAGES = {
    "floor": "a title and a line (the floor)",
    "charts": "4 Vega-Lite bar charts (Overview)",
    "tables": "3 tables of 9 rows (st.dataframe, Overview)",
    "cards": "8 cards of 3 texts and 2 buttons, 15 rows of 2 buttons (Overview)",
    "pick10k": "a select box of 10,000 names (the pickers before)",
    "pick250": "a select box of 250 names (the pickers now)",
    "table10k": "a table of 10,000 rows x 11 columns",
    "table500": "a table of 500 rows x 11 columns",
    "drawing": "an iframe with vis-network inlined (the Network drawing's script)",
}

_APP = """\
import glob
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import pyvis
import streamlit as st

rng = np.random.default_rng(1)
NAMES = [f"Stakeholder number {i} · project" for i in range(10_000)]
VIS = Path(glob.glob(str(Path(pyvis.__file__).parent / "**/vis-network.min.js"),
                     recursive=True)[0]).read_text(encoding="utf-8")


def floor():
    st.write("A title and this line: the floor of a page load.")


def charts():
    data = pd.DataFrame({"kind": list("abcdefgh"), "value": rng.random(8)})
    for _ in range(4):
        st.altair_chart(alt.Chart(data).mark_bar().encode(x="value", y="kind"), width="stretch")


def tables():
    for _ in range(3):
        data = pd.DataFrame(rng.random((9, 6)), columns=list("abcdef"))
        st.dataframe(data.style.format("{:.2f}"), hide_index=True, width="stretch")


def cards():
    for k in range(8):
        with st.container(border=True):
            a, b, c = st.columns([5, 1, 1], vertical_alignment="center")
            for j in range(3):
                a.html(f'<p class="gc-text">Relationship {k} line {j}</p>')
            b.button("Network", key=f"n{k}")
            c.button("Detail", key=f"d{k}")
    for k in range(15):
        left, mid, right = st.columns([6, 1, 1], vertical_alignment="center")
        left.html(f'<p class="gc-text">Player {k}</p>')
        mid.button("Network", key=f"pn{k}", help="Show its neighbourhood")
        right.button("Detail", key=f"pd{k}", help="Open the stakeholder's page")


def pick10k():
    st.selectbox("Open a stakeholder", NAMES)


def pick250():
    st.selectbox("Open a stakeholder", NAMES[:250], accept_new_options=True)


def _table(rows):
    data = pd.DataFrame(rng.random((rows, 10)), columns=list("abcdefghij"))
    data.insert(0, "name", NAMES[:rows])
    st.dataframe(data.style.format("{:.2f}", subset=list("abcdefghij")), hide_index=True)


def table10k():
    _table(10_000)


def table500():
    _table(500)


def drawing():
    st.iframe("<div id='gc-root'>drawing</div><script>" + VIS + "</script>", height=600)


def _page(run):
    def page():
        st.title(run.__name__)
        run()

    page.__name__ = run.__name__
    return page


PAGES = [floor, charts, tables, cards, pick10k, pick250, table10k, table500, drawing]
st.navigation([
    st.Page(_page(run), title=run.__name__, url_path=run.__name__, default=run is floor)
    for run in PAGES
]).run()
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--no-write", action="store_true", help="print, do not write PERFORMANCE")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="graphcap-bench-elements-") as tmp:
        folder = Path(tmp)
        (folder / "app.py").write_text(_APP, encoding="utf-8")
        env = {"GRAPHCAP_DATA_DIR": str(folder / "data")}
        with running_app(env, log=folder / "app.log", timeout_s=120, root=folder) as url:
            cpu = asyncio.run(
                _page_cpu(url, args.rounds, list(PAGES), from_blank=True, warm_round=True)
            )
    floor = sum(cpu["floor"])
    rows = [
        [
            what,
            f"{cpu[p][0]:.2f}",
            f"{cpu[p][1]:.2f}",
            f"{sum(cpu[p]):.2f}",
            "–" if p == "floor" else f"{sum(cpu[p]) - floor:+.2f}",
            f"{sum(cpu[p]) / floor:.1f}x",
        ]
        for p, what in PAGES.items()
    ]
    body = (
        f"`bench/bench_browser_elements.py --rounds {args.rounds}`: one headless Chromium "
        "session on the same machine as the Streamlit server loads pages that each hold one "
        "kind of element graphcap's pages use; median CPU seconds per load of "
        f"{args.rounds} loads after a warm-up round. Each page is opened from a blank page, which "
        "costs a new renderer process (about 0.25 s more than a reload within the app, as in "
        "`bench_sessions.py`'s walk): read the column *above the floor*. "
        f"{machine()}.\n\n"
        + markdown_table(
            ["page holds", "browser CPU s", "server CPU s", "both", "above the floor", "vs floor"],
            rows,
        )
    )
    publish("Browser cost by element", body, write=not args.no_write)


if __name__ == "__main__":
    main()
