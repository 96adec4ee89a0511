"""Streamlit conventions: data handed out as copies (cache_data, or one shared view copied per
caller), the connection as a shared resource; a light and a dark theme that the network drawing
follows."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graphcap.picture.render import network_payload, render_payload_html
from graphcap.picture.theme import contrast, drawing_theme
from tests.ui.apphelpers import drawn_payload

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "graphcap" / "ui"


def _cache_decorators() -> dict[str, str]:
    """function name -> "cache_data" / "cache_resource" for every cached function of the UI."""
    found: dict[str, str] = {}
    for path in [*UI.glob("*.py"), *(UI / "pages").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for dec in node.decorator_list:
                    target = dec.func if isinstance(dec, ast.Call) else dec
                    if isinstance(target, ast.Attribute) and target.attr.startswith("cache_"):
                        found[f"{path.name}:{node.name}"] = target.attr
    return found


def test_shared_resources_are_the_connection_the_lockout_and_views_copied_per_caller() -> None:
    caches = _cache_decorators()
    # the connection, and the login's lockout counter, which must be one object shared by every
    # session (a copy per session would let a second tab reset the lockout); the view and its
    # filtered networks are shared too but never handed out: get_view/filtered copy them (the
    # mutating script below checks that a caller's change stays its own); the list of revoked
    # session tokens and the process's signing secret are one per server for the same reason
    assert {k for k, v in caches.items() if v == "cache_resource"} == {
        "datasource.py:_connect",
        "login.py:_limiter",
        "login.py:_revoked_in",
        "login.py:_process_secret",
        "state.py:_view",
        "state.py:_filtered",
        # why Neo4j / GDS cannot be used, worded once per language (immutable text)
        "datasource.py:_problem_in",
        "sidebar.py:_gds_problem_in",
        # a big table with its cells' text worked out once (lang.PreparedTable): read-only,
        # show_table gives st.dataframe a copy of its frame and a copy of its message
        "state.py:_memo_table",
    }
    assert {"state.py:_network", "state.py:_analysis", "state.py:_memo"} <= {
        k for k, v in caches.items() if v == "cache_data"
    }


def _mutating_script() -> None:
    import streamlit as st

    from graphcap.graph.projection import NetworkFilter
    from graphcap.ui import datasource, state

    conn = datasource.connection()
    analysis = state.get_analysis(conn)
    view = state.get_view(conn)
    net = state.get_network(conn)
    st.write(f"before {analysis.nodes['pagerank'].max():.6f} {len(view.nodes)} {len(net.nodes)}")
    analysis.nodes["pagerank"] = 99.0
    view.nodes["name"] = "changed"
    view.nodes.loc[0, "type"] = "changed"
    view.analysis.nodes["pagerank"] = 99.0
    view.analysis.risks.loc[:, "score"] = -1.0
    view.network.nodes["name"] = "changed"
    net.nodes["name"] = "changed"
    everything = NetworkFilter()
    part = state.filtered(conn, everything)
    part.nodes["name"] = "changed"
    part.edges.loc[:, "type"] = "changed"
    again = state.get_analysis(conn)
    fresh = state.get_view(conn)
    part_again = state.filtered(conn, everything)
    st.write(
        f"after {again.nodes['pagerank'].max():.6f} "
        f"{(fresh.nodes['name'] == 'changed').any() or (fresh.nodes['type'] == 'changed').any()} "
        f"{(state.get_network(conn).nodes['name'] == 'changed').any()} "
        f"{fresh.analysis.nodes['pagerank'].max() >= 99 or (fresh.analysis.risks['score'] < 0).any()} "
        f"{(fresh.network.nodes['name'] == 'changed').any()} "
        f"{(part_again.nodes['name'] == 'changed').any() or (part_again.edges['type'] == 'changed').any()}"
    )


@pytest.mark.usefixtures("snapshot_env")
def test_a_page_changing_cached_frames_does_not_change_the_next_read() -> None:
    at = AppTest.from_function(_mutating_script, default_timeout=120).run()
    assert not at.exception, [e.message for e in at.exception]
    before, after = (m.value for m in at.markdown)
    assert float(before.split()[1]) < 1 and after.split()[1] == before.split()[1]
    assert after.split()[2:] == ["False"] * 5
    again = AppTest.from_function(_mutating_script, default_timeout=120).run()  # next session
    assert [m.value for m in again.markdown][0] == before


def test_theme_has_light_and_dark_and_the_root_config_is_the_packaged_one() -> None:
    packaged = (UI / "streamlit_config.toml").read_text(encoding="utf-8")
    assert (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8") == packaged
    theme = tomllib.loads(packaged)["theme"]
    assert set(theme) == {"light", "dark"}
    for kind in ("light", "dark"):
        assert drawing_theme(kind)["background"] == theme[kind]["backgroundColor"]
        assert drawing_theme(kind)["text"] == theme[kind]["textColor"]


def test_drawing_follows_the_theme() -> None:
    import pandas as pd

    nodes = pd.DataFrame(
        {"id": ["o", "c"], "name": ["Org", "<b>C</b>"], "type": ["organization", "customer"]}
    )
    edges = pd.DataFrame({"source": ["c"], "target": ["o"], "type": ["BUYS_FROM"]})
    payload = network_payload((nodes, edges))
    for kind in ("light", "dark"):
        colours = drawing_theme(kind)
        page = render_payload_html(payload, theme=kind)
        assert f'class="gc-theme-{kind}"' in page
        assert f"html, body, #gc-net {{ background: {colours['background']}; }}" in page
        data = json.loads(re.search(r'id="gc-data">(.*?)</script>', page, re.S).group(1))
        assert data["theme"] == colours
        # every node and legend colour is visible on the variant's background (3:1, WCAG 1.4.11)
        # in dark; the near-black organisation (1.01:1 on the dark background) is lifted
        if kind == "dark":
            shown = [n["color"] for n in data["nodes"]]
            shown += [e["color"] for part in ("nodes", "edges") for e in data["legend"][part]]
            assert min(contrast(c, colours["background"]) for c in shown) >= 3
        else:
            assert [n["color"] for n in data["nodes"]] == [n["color"] for n in payload["nodes"]]
    assert contrast(payload["nodes"][0]["color"], drawing_theme("dark")["background"]) < 1.1
    assert drawing_theme("light")["background"] != drawing_theme("dark")["background"]


@pytest.mark.usefixtures("snapshot_env")
def test_network_page_draws_in_the_active_theme(open_page) -> None:
    at = open_page("network")
    page = at.get("iframe")[0].proto.srcdoc
    assert 'class="gc-theme-light"' in page  # AppTest has no browser theme: light
    assert drawn_payload(at)["theme"] == drawing_theme("light")
