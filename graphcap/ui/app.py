"""The Streamlit app's entry: declares the login gate, the pages each role may see, and the shared
sidebar, nothing else.

``graphcap app`` runs this file with ``streamlit run`` (so an installed graphcap starts its own
app); the ``app.py`` at the repository root calls :func:`main` for ``streamlit run app.py``.

Nothing is served before login: :func:`graphcap.ui.login.gate` stops the run with the login form
until a user logs in, so no page is even registered in ``st.navigation`` before that; afterwards
only the pages of the user's role are (a viewer asking for ``/import`` by URL lands on Overview).

Pages carry no icons on purpose: Streamlit fetches a Material icon used as favicon from
fonts.gstatic.com, and the app must not make any request beyond its own server.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from graphcap.access import Role
from graphcap.i18n import gettext as _
from graphcap.i18n import use_language
from graphcap.ui import datasource, lang, login, page_start, sidebar, state

__all__ = ["APP_FILE", "PAGES", "main"]

APP_FILE = Path(__file__).resolve()
PAGES = APP_FILE.parent / "pages"


def _explore() -> tuple[tuple[str, str], ...]:
    return (
        ("overview.py", _("Overview")),
        ("network.py", _("Network")),
        ("stakeholder.py", _("Stakeholder")),
        ("stakeholders.py", _("Stakeholder list")),
        ("risks.py", _("Risks")),
        ("grid.py", _("Power / interest grid")),
    )


def _work() -> tuple[tuple[str, str, Role], ...]:
    """(file, title, the least role that sees it)"""
    return (
        ("maintain.py", _("Maintain"), Role.editor),
        ("console.py", _("Cypher console"), Role.analyst),
        ("export.py", _("Export"), Role.viewer),
        ("import.py", _("Import"), Role.admin),
    )


def main() -> None:
    """Set up the page, choose the language, stop at the login gate until a user logs in,
    declare the pages of the user's role, draw the sidebar and run the chosen page -- all in
    the session's language (:mod:`graphcap.ui.lang`)."""
    st.set_page_config(page_title="graphcap", layout="wide")
    code = lang.choose_language()
    with use_language(code):
        lang.render_language_choice(code)
        lang.render_streamlit_texts(code)
        session = login.gate(while_logging_in=state.prepare_in_background)
        pages = {
            _("Explore"): [
                st.Page(PAGES / name, title=title, default=(name == "overview.py"))
                for name, title in _explore()
            ],
            _("Work with data"): [
                st.Page(PAGES / name, title=title)
                for name, title, role in _work()
                if session.role >= role
            ],
        }
        page = st.navigation(pages)
        sidebar.render_sidebar(datasource.connection(), session)
        page_start.require_valid_settings()
        try:
            page.run()
        finally:  # also when the page stops or switches: the layout it asked for is started
            state.lay_out_when_done()


if __name__ == "__main__":  # `streamlit run graphcap/ui/app.py` (what `graphcap app` does)
    main()
