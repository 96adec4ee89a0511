"""The app in German: every page renders with German texts and German number formats, the
language is chosen in the sidebar and kept in the URL, and no text reaches Streamlit untranslated.

Expected German texts are written here by hand (docs/GLOSSARY.md); expected figures come from the
test network's frames, formatted by hand in the German way (``.`` groups, ``,`` decimals).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from graphcap.analysis import analyze
from graphcap.config import load_project_config
from graphcap.errors import ConfigError
from tests.ui.apphelpers import metric, shown_table

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "graphcap" / "ui"

# page -> texts it must show in German (title first)
GERMAN = {
    "overview": ["Übersicht", "Woraus sich der Index zusammensetzt", "Schlüsselakteure"],
    "network": ["Netzwerk", "Stakeholder-Typen", "Mindeststärke"],
    "stakeholder": ["Stakeholder", "Eigenschaften", "Kennzahlen", "Empfehlungsweg"],
    "stakeholders": ["Stakeholderliste", "Name enthält", "Sortieren nach", "Spalten"],
    "risks": ["Risiken", "Risiko-Radar", "Was-wäre-wenn-Simulator"],
    "grid": ["Macht-Interesse-Matrix", "Alle Stakeholder", "Eng einbinden"],
    "export": ["Export und Snapshots", "Formate", "Dateien vorbereiten"],
    "import": ["Import", "Graph-Dateien", "Nachsichtig: die gültigen Zeilen importieren"],
    "console": [
        "Cypher-Konsole",
        "Fragen",
        "Die Cypher-Konsole braucht Neo4j",
        # the first library question's description (from h15c.po; the .cypher is English)
        "Unsere wichtigsten Kunden sind die umsatzstärksten",
    ],
    "maintain": ["Pflegen", "Überfällig für einen Kontakt"],
}
ENGLISH_LEFTOVERS = ["Relationships", "Stakeholder types", "Minimum strength", "Download CSV",
                     "Open its page", "Key players", "Reconnect", "Metrics engine"]  # fmt: skip


def _texts(at) -> str:  # type: ignore[no-untyped-def]
    """Every text the run shows: titles, markdown, captions, messages, widget labels, tabs."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success", "metric", "button", "selectbox", "multiselect", "slider",
                 "text_input", "tabs", "expander", "radio", "checkbox", "toggle", "number_input",
                 "date_input", "text_area"):  # fmt: skip
        for el in at.get(kind):
            for attr in ("value", "label", "body"):
                v = getattr(el, attr, None) if attr != "value" or kind in {
                    "title", "header", "subheader", "markdown", "caption", "info", "warning",
                    "error", "success", "metric"} else None  # fmt: skip
                if isinstance(v, str):
                    parts.append(v)
            proto = getattr(el, "proto", None)
            parts.append(str(getattr(proto, "label", "")))
    return "\n".join(parts)


@pytest.mark.usefixtures("snapshot_env")
@pytest.mark.parametrize("page", list(GERMAN))
def test_every_page_in_german(open_page, page: str) -> None:
    query = {"lang": "de", **({"id": "s00001"} if page == "stakeholder" else {})}
    at = open_page(page, query=query)
    shown = _texts(at) + "\n" + _texts_sidebar(at)
    assert at.title[0].value == GERMAN[page][0]
    for text in GERMAN[page][1:]:
        assert text in shown, (page, text)
    sidebar = _texts_sidebar(at)
    assert "Eingebetteter Snapshot (kein Neo4j)" in sidebar
    assert "Neu verbinden" in sidebar
    for english in ENGLISH_LEFTOVERS:
        assert english not in shown.split("\n"), (page, english)
    assert at.query_params["lang"] == ["de"] or at.query_params["lang"] == "de"


def _texts_sidebar(at) -> str:  # type: ignore[no-untyped-def]
    parts = [str(getattr(el, "value", "")) for el in at.sidebar.get("caption")]
    parts += [str(el.value) for el in at.sidebar.get("info")]
    parts += [str(el.value) for el in at.sidebar.get("warning")]
    parts += [str(el.label) for el in at.sidebar.get("button")]
    parts += [str(el.label) for el in at.sidebar.get("selectbox")]
    return "\n".join(parts)


@pytest.mark.usefixtures("snapshot_env")
def test_overview_numbers_and_tables_are_german(open_page, small_network) -> None:
    at = open_page("overview", query={"lang": "de"})
    expected = analyze(small_network)
    assert metric(at, "Stakeholder") == str(len(small_network.nodes))
    assert metric(at, "Gefährdete Beziehungen") == str(len(expected.risks))
    share = expected.concentration["pareto_share"]
    assert metric(at, "Umsatz von den Top 20 %") == f"{round(share * 100):d}\xa0%"
    # the breakdown by type: German headers, two decimals with a comma
    by_type = at.dataframe[0].value
    strength = expected.rci.by_type["strength"].iloc[0]
    assert by_type["strength"].dtype == "float64"  # sorts as a number ...
    assert by_type["strength"].iloc[0] == pytest.approx(strength)
    shown = shown_table(at.dataframe[0])  # ... and reads as German
    assert shown["strength"].iloc[0] == f"{strength:.2f}".replace(".", ",")
    # built-in types in German practice's words (docs/GLOSSARY.md), in the same order
    words = {"agency": "Behörde", "competitor": "Wettbewerber", "customer": "Kunde",
             "partner": "Partner", "supplier": "Lieferant"}  # fmt: skip
    assert shown["type"].tolist() == [words[t] for t in expected.rci.by_type["type"]]


@pytest.mark.usefixtures("snapshot_env")
def test_type_filters_offer_german_words_and_keep_filtering(open_page, small_network) -> None:
    at = open_page("risks", query={"lang": "de"})
    [types] = [m for m in at.multiselect if m.key == "rk_types"]
    words = {"agency": "Behörde", "competitor": "Wettbewerber", "customer": "Kunde",
             "partner": "Partner", "supplier": "Lieferant"}  # fmt: skip
    kinds = sorted(analyze(small_network).risks["type"].astype(str).unique())
    assert list(types.options) == [words[k] for k in kinds]
    assert types.value == kinds  # the data keeps its codes: the filter still matches them
    network = open_page("network", query={"lang": "de"})
    [rels] = [m for m in network.multiselect if m.key == "net_rels"]
    assert "kauft bei" in rels.options and "BUYS_FROM" not in rels.options
    # Streamlit's own English placeholder and ISO date format are replaced
    [comms] = [m for m in network.multiselect if m.key == "net_communities"]
    assert comms.proto.placeholder == "Auswählen"
    assert [str(d.proto.format) for d in network.date_input] == ["DD.MM.YYYY"]


@pytest.mark.usefixtures("snapshot_env")
def test_sidebar_choice_switches_language_and_keeps_it_in_the_url(open_page) -> None:
    at = open_page("overview")
    assert at.title[0].value == "Overview"
    at.selectbox(key="gc_lang_pick").set_value("de").run()
    assert at.title[0].value == "Übersicht"
    assert at.query_params["lang"] in ("de", ["de"])
    assert at.sidebar.selectbox(key="gc_lang_pick").label == "Sprache"
    at.selectbox(key="gc_lang_pick").set_value("en").run()
    assert at.title[0].value == "Overview"


@pytest.mark.usefixtures("snapshot_env")
def test_first_visit_takes_graphcap_lang(open_page, monkeypatch) -> None:
    monkeypatch.setenv("GRAPHCAP_LANG", "de")
    at = open_page("risks")
    assert at.title[0].value == "Risiken"
    at = open_page("risks", query={"lang": "en"})  # the URL (the user's choice) wins
    assert at.title[0].value == "Risks"


def test_graphcap_toml_sets_language_and_currency(tmp_path) -> None:
    cfg = tmp_path / "graphcap.toml"
    cfg.write_text('[locale]\nlanguage = "de-DE"\ncurrency = "chf"\n', encoding="utf-8")
    config = load_project_config(cfg, env={})
    assert (config.language, config.currency) == ("de", "CHF")
    assert load_project_config(None, env={}).language is None
    for bad, words in (
        ('[locale]\nlanguage = "ru"\n', "language must be one of en, de"),
        ('[locale]\ncurrency = "€"\n', "ISO 4217"),
        ('[locale]\nlang = "de"\n', "knows only 'language' and 'currency'"),
    ):
        cfg.write_text(bad, encoding="utf-8")
        with pytest.raises(ConfigError, match=words):
            load_project_config(cfg, env={})


# --- no text reaches Streamlit without _() --------------------------------------------------

#: Streamlit calls whose first argument (or label/help/placeholder/text keyword) is shown.
_SHOWN = {
    "title", "header", "subheader", "caption", "markdown", "text", "info", "warning", "error",
    "success", "metric", "button", "download_button", "selectbox", "multiselect", "slider",
    "select_slider", "text_input", "text_area", "number_input", "date_input", "checkbox",
    "toggle", "radio", "file_uploader", "expander", "tabs", "form_submit_button", "spinner",
    "progress", "open_page", "pick_stakeholder", "set_page_config",
}  # fmt: skip
_KEYWORDS = {"label", "help", "placeholder", "text", "page_title", "title"}
#: Texts that are the same in every language (names, symbols, formats).
ALLOWED = {"graphcap", "PageRank", "RCI", "Gini", "HHI", "—", "–", "·"}


def _literal_texts(node: ast.AST) -> list[str]:
    """English words in ``node`` that are not passed through _() / ngettext()."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant)]
    if isinstance(node, ast.List | ast.Tuple):
        return [t for el in node.elts for t in _literal_texts(el)]
    if isinstance(node, ast.BinOp):
        return _literal_texts(node.left) + _literal_texts(node.right)
    return []


def _is_logger(node: ast.AST | None) -> bool:
    """``logging.getLogger(...)`` or a name bound to a logger (``log``, ``logger``)."""
    if isinstance(node, ast.Call):
        return getattr(node.func, "attr", None) == "getLogger"
    return isinstance(node, ast.Name) and node.id in {"log", "logger", "_log", "LOG"}


def _untranslated(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        if _is_logger(getattr(node.func, "value", None)):
            continue  # a log line for the operator (logging.getLogger(...).warning), not the page
        args: list[ast.AST] = []
        if name in _SHOWN:
            args += node.args[:1]
        if name in _SHOWN or name in {"X", "Y", "Tooltip", "Color", "Shape", "properties"}:
            args += [k.value for k in node.keywords if k.arg in _KEYWORDS]
        for arg in args:
            for text in _literal_texts(arg):
                words = text.strip(" .:,;()*-·—|/0123456789%{}")
                cypher = text.startswith("MATCH ")  # an example query is Cypher in every language
                if any(ch.isalpha() for ch in words) and words not in ALLOWED and not cypher:
                    found.append(text)
    return found


def test_the_checker_finds_untranslated_texts() -> None:
    source = (
        'st.title("Risks")\nst.caption(f"{n} rows")\nst.button(_("Run"))\n'
        'c1.metric("RCI", x)\nst.tabs(["Table", _("Network")])\n'
        'alt.X("a:Q", title="share")\nst.info(" · ".join(xs))\nst.warning("Careful")\n'
        'logging.getLogger(__name__).warning("for the log: %s", e)\nlog.warning("also")\n'
    )
    assert _untranslated(source) == ["Risks", " rows", "Table", "share", "Careful"]


@pytest.mark.parametrize("path", sorted(UI.rglob("*.py")), ids=lambda p: str(p.relative_to(UI)))
def test_no_text_reaches_streamlit_untranslated(path: Path) -> None:
    assert _untranslated(path.read_text(encoding="utf-8")) == []


def test_table_cells_in_both_languages() -> None:
    """What :func:`graphcap.ui.lang.table` writes into a cell, by hand for both languages."""
    import pandas as pd

    from graphcap.i18n import use_language
    from graphcap.ui.lang import _cell, num, stamp

    when = pd.Timestamp("2026-03-05 14:07")
    with use_language("de"):
        assert (num(-1234567.891, 2), num(0.0123456), num(float("nan"))) == (
            "-1.234.567,89",
            "0,01235",
            "–",
        )
        assert (stamp(when), stamp(pd.Timestamp("2026-03-05")), stamp(pd.NaT)) == (
            "05.03.2026 14:07",
            "05.03.2026",
            "–",
        )
        assert (_cell(True, None), _cell(None, None), _cell("Müller & Co", None)) == (
            "ja",
            "",
            "Müller & Co",
        )
    with use_language("en"):
        assert (num(-1234567.891, 2), stamp(when), _cell(False, None)) == (
            "-1,234,567.89",
            "2026-03-05 14:07",
            "no",
        )


def test_table_numbers_stay_numbers_and_read_german() -> None:
    """Numbers, shares and dates keep their dtype (a header click sorts 9 before 10 and
    1.234.567 last), while the text shown is the language's, worked out by hand."""
    import pandas as pd
    from streamlit.elements.lib.pandas_styler_utils import _use_display_values

    from graphcap.i18n import use_language
    from graphcap.ui.lang import styler, table_parts

    frame = pd.DataFrame(
        {
            "name": ["Müller & Co", None, "Beta"],
            "revenue": [1234567.891, 9.0, float("nan")],
            "degree": [10, 9, 100],
            "share": [0.775, 0.05, None],
            "since": pd.to_datetime(["2026-03-05 14:07", "2025-12-31 00:00", None]),
        }
    )
    for lang, expected in {
        "de": [
            ["Müller & Co", "1.234.567,89", "10", "78\xa0%", "05.03.2026 14:07"],
            ["", "9,00", "9", "5\xa0%", "31.12.2025"],
            ["Beta", "–", "100", "–", "–"],
        ],
        "en": [
            ["Müller & Co", "1,234,567.89", "10", "78%", "2026-03-05 14:07"],
            ["", "9.00", "9", "5%", "2025-12-31"],
            ["Beta", "–", "100", "–", "–"],
        ],
    }.items():
        with use_language(lang):
            parts = table_parts(frame, decimals={"revenue": 2}, percent=["share"])
            styled, config = styler(parts), parts[2]
            shown = _use_display_values(styled.data, styled._translate(False, False))
        data = styled.data
        assert pd.api.types.is_float_dtype(data["revenue"])
        assert pd.api.types.is_integer_dtype(data["degree"])
        assert pd.api.types.is_float_dtype(data["share"])
        assert pd.api.types.is_datetime64_any_dtype(data["since"])
        assert data.sort_values("degree")["degree"].tolist() == [9, 10, 100]
        assert shown.values.tolist() == expected, lang
        assert config["revenue"]["type_config"]["type"] == "number"
    with use_language("de"):
        assert table_parts(frame)[2]["revenue"]["label"] == "Umsatz"


@pytest.mark.usefixtures("snapshot_env")
def test_sessions_in_turn_keep_their_own_language(open_page) -> None:
    """One server, two people taking turns: no run leaves its language behind for the next.

    AppTest keeps one Streamlit runtime per process and tears it down after each run, so two
    AppTests cannot run in parallel threads (the second finds the runtime gone); the parallel
    case is checked below on the context variable the script runs use, with real threads.
    """
    titles: dict[str, list[str]] = {"de": [], "en": []}
    for lang in ("de", "en", "de", "en", "en", "de"):
        at = open_page("risks", query={"lang": lang})
        titles[lang].append(at.title[0].value)
        titles[lang].append(at.tabs[0].label)
    assert set(titles["de"]) == {"Risiken", "Risiko-Radar"}
    assert set(titles["en"]) == {"Risks", "At-risk radar"}


def test_two_threads_at_once_keep_their_own_language() -> None:
    """Two script threads translating at the same moment each see only their own language."""
    import threading

    from graphcap.i18n import gettext, use_language

    barrier = threading.Barrier(2)
    seen: dict[str, set[str]] = {"de": set(), "en": set()}
    errors: list[BaseException] = []

    def session(lang: str) -> None:
        try:
            with use_language(lang):
                for _ in range(200):
                    barrier.wait(timeout=10)
                    seen[lang].add(gettext("Risks"))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(lang,)) for lang in ("de", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert seen == {"de": {"Risiken"}, "en": {"Risks"}}


@pytest.mark.usefixtures("snapshot_env")
def test_stakeholder_page_names_types_in_german(open_page, small_network) -> None:
    at = open_page("stakeholder", query={"lang": "de", "id": "s00001"})
    me = small_network.nodes.set_index("id").loc["s00001"]
    words = {"agency": "Behörde", "competitor": "Wettbewerber", "customer": "Kunde",
             "partner": "Partner", "supplier": "Lieferant"}  # fmt: skip
    props = next(shown_table(t) for t in at.dataframe if "property" in t.value.columns)
    assert props.loc[props["property"] == "Typ", "value"].tolist() == [words[me["type"]]]
    rels = next(shown_table(t) for t in at.dataframe if "direction" in t.value.columns)
    assert not set(rels["type"]) & {"BUYS_FROM", "SUPPLIES", "REFERS", "INFLUENCES"}
    assert all(not w.isupper() for w in rels["type"])  # worded, not the stored code


@pytest.mark.usefixtures("snapshot_env")
def test_console_questions_are_listed_in_german(open_page) -> None:
    """The library's titles come from the catalogue (the .cypher headers stay English)."""
    at = open_page("console", query={"lang": "de"})
    options = list(at.selectbox(key="cq_pick").options)
    assert "Die wichtigsten Kunden nach Wert und Stärke" in options
    assert "Top customers by value and strength" not in options
    at = open_page("console")
    assert "Top customers by value and strength" in list(at.selectbox(key="cq_pick").options)
