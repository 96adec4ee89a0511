"""Reading what a page shows in AppTest."""

from __future__ import annotations

import json
import re


def metric(at, label: str) -> str:  # type: ignore[no-untyped-def]
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}; have {[m.label for m in at.metric]}"
    return found[0]


def open_tab(at, key: str, label: str):  # type: ignore[no-untyped-def]
    """Switch the lazy tabs ``key`` (``st.tabs(..., key=key, on_change="rerun")``: only the open
    tab runs) to ``label`` and rerun, as a click on the tab does in the browser."""
    assert label in [t.label for t in at.tabs], [t.label for t in at.tabs]
    at.session_state[key] = label
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def drawn_payload(at) -> dict:  # type: ignore[no-untyped-def]
    """The data block of the network drawing on the page (parsed from the iframe's HTML)."""
    frames = at.get("iframe")
    assert frames, "no network drawing on the page"
    html = frames[0].proto.srcdoc
    block = re.search(r'<script type="application/json" id="gc-data">(.*?)</script>', html, re.S)
    assert block is not None
    return json.loads(block.group(1))


_ALERT = re.compile(r'<div class="gc-alert gc-(\w+)"[^>]*>(.*?)</div>', re.S)


def alerts(at, kind: str = "error") -> list[str]:  # type: ignore[no-untyped-def]
    """The texts of the page's data-safe message boxes (graphcap.ui.state.show_message) of
    ``kind``, unescaped."""
    import html

    out = []
    for element in at.get("html"):
        for found, body in _ALERT.findall(element.proto.body):
            if found == kind:
                out.append(html.unescape(body))
    return out


def shown_table(el):  # type: ignore[no-untyped-def]
    """The text a person sees in each cell of an ``st.dataframe`` element (the Styler's display
    values, as Streamlit sends them to the browser); ``el.value`` holds the values underneath."""
    from streamlit import dataframe_util

    proto = el.proto.arrow_data
    assert proto.styler.display_values, "the table carries no display text"
    return dataframe_util.convert_arrow_bytes_to_pandas_df(proto.styler.display_values)
