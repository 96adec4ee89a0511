"""The Streamlit app's entry: declares the pages and the shared sidebar, nothing else.

``graphcap app`` runs this file with ``streamlit run`` (so an installed graphcap starts its own
app); the ``app.py`` at the repository root calls :func:`main` for ``streamlit run app.py``.

Pages carry no icons on purpose: Streamlit fetches a Material icon used as favicon from
fonts.gstatic.com, and the app must not make any request beyond its own server.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from graphcap.ui import state

__all__ = ["APP_FILE", "PAGES", "main"]

APP_FILE = Path(__file__).resolve()
PAGES = APP_FILE.parent / "pages"

_EXPLORE = (
    ("overview.py", "Overview"),
    ("network.py", "Network"),
    ("stakeholder.py", "Stakeholder"),
    ("stakeholders.py", "Stakeholders"),
    ("risks.py", "Risks"),
    ("grid.py", "Power / interest"),
)
_WORK = (("console.py", "Cypher console"), ("export.py", "Export"), ("import.py", "Import"))


def main() -> None:
    """Set up the page, declare the pages, draw the sidebar and run the chosen page."""
    st.set_page_config(page_title="graphcap", layout="wide")
    pages = {
        "Explore": [
            st.Page(PAGES / name, title=title, default=(name == "overview.py"))
            for name, title in _EXPLORE
        ],
        "Work with data": [
            st.Page(PAGES / name, title=title) for name, title in _WORK
        ],
    }
    page = st.navigation(pages)
    state.render_sidebar(state.connection())
    page.run()


if __name__ == "__main__":  # `streamlit run graphcap/ui/app.py` (what `graphcap app` does)
    main()
