"""graphcap explorer: `streamlit run app.py`. Declares the login gate, the pages each role may
see, and the shared sidebar only.

Nothing is served before login: :func:`graphcap.ui.login.gate` stops the run with the login form
until a user logs in, so no page is even registered in ``st.navigation`` before that; afterwards
only the pages of the user's role are (a viewer asking for ``/import`` by URL lands on Overview).

Pages carry no icons on purpose: Streamlit fetches a Material icon used as favicon from
fonts.gstatic.com, and the app must not make any request beyond its own server."""

from pathlib import Path

import streamlit as st

from graphcap.access import Role
from graphcap.ui import login, state

PAGES = Path(__file__).parent / "graphcap" / "ui" / "pages"

st.set_page_config(page_title="graphcap", layout="wide")

session = login.gate()

# (file, title, the least role that sees it)
_EXPLORE = [("overview.py", "Overview"), ("network.py", "Network"), ("stakeholder.py", "Stakeholder"),
            ("stakeholders.py", "Stakeholders"), ("risks.py", "Risks"), ("grid.py", "Power / interest")]
_WORK = [("maintain.py", "Maintain", Role.editor), ("console.py", "Cypher console", Role.analyst),
         ("export.py", "Export", Role.viewer), ("import.py", "Import", Role.admin)]

_pages = {
    "Explore": [st.Page(PAGES / name, title=title, default=name == "overview.py")
                for name, title in _EXPLORE],
    "Work with data": [
        st.Page(PAGES / name, title=title)
        for name, title, role in _WORK
        if session.role >= role
    ],
}

page = st.navigation(_pages)
state.render_sidebar(state.connection(), session)
state.require_valid_settings()
page.run()
