"""graphcap explorer: `streamlit run app.py`. Declares the pages and the shared sidebar only.

Pages carry no icons on purpose: Streamlit fetches a Material icon used as favicon from
fonts.gstatic.com, and the app must not make any request beyond its own server."""

from pathlib import Path

import streamlit as st

from graphcap.ui import state

PAGES = Path(__file__).parent / "graphcap" / "ui" / "pages"

st.set_page_config(page_title="graphcap", layout="wide")

_pages = {
    "Explore": [
        st.Page(PAGES / "overview.py", title="Overview", default=True),
        st.Page(PAGES / "network.py", title="Network"),
        st.Page(PAGES / "stakeholder.py", title="Stakeholder"),
        st.Page(PAGES / "stakeholders.py", title="Stakeholders"),
        st.Page(PAGES / "risks.py", title="Risks"),
        st.Page(PAGES / "grid.py", title="Power / interest"),
    ],
    "Work with data": [
        st.Page(PAGES / "console.py", title="Cypher console"),
        st.Page(PAGES / "export.py", title="Export"),
        st.Page(PAGES / "import.py", title="Import"),
    ],
}

page = st.navigation(_pages)
state.render_sidebar(state.connection())
state.require_valid_settings()
page.run()
