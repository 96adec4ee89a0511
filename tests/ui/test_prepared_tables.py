"""A big table's cells are worked out once for every session (graphcap.ui.lang.PreparedTable):
what the browser receives is the same as when each session formats the table itself."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from graphcap.ui import lang
from tests.ui.apphelpers import shown_table


def _both_ways() -> None:
    """The same table shown the plain way (a Styler per call) and prepared, in German."""
    import datetime as dt

    import pandas as pd

    from graphcap.i18n import use_language
    from graphcap.ui.lang import PreparedTable, show_table, table_parts

    frame = pd.DataFrame(
        {
            "name": ["Ä <b>x</b>", "=HYPERLINK(1)", None],
            "value": [1234567.891, float("nan"), 0.012345],
            "share": [0.5, 0.25, None],
            "since": pd.to_datetime(["2024-01-02 00:00", None, "2025-12-31 14:05"]),
            "is_articulation": [True, False, True],
            "type": ["customer", "supplier", "partner"],
        }
    )
    when = dt.date(2024, 1, 2)
    frame["last"] = [when, None, when]
    with use_language("de"):
        parts = table_parts(frame, decimals={"value": 0}, progress={"share": 1})
        show_table(parts)
        prepared = PreparedTable(parts)
        show_table(prepared)
        show_table(prepared)  # again: the message made the first time is taken


def _without_uuid(el):  # type: ignore[no-untyped-def]
    proto = type(el.proto)()
    proto.CopyFrom(el.proto)
    proto.arrow_data.styler.ClearField("uuid")  # a fresh Styler gets a random one each time
    return proto


def test_a_prepared_table_sends_what_a_plain_one_sends() -> None:
    at = AppTest.from_function(_both_ways, default_timeout=120).run()
    assert not at.exception, [e.message for e in at.exception]
    plain, prepared, again = at.dataframe
    assert _without_uuid(prepared) == _without_uuid(plain)
    assert _without_uuid(again) == _without_uuid(plain)
    cells = shown_table(prepared)
    assert cells["value"].tolist() == ["1.234.568", "–", "0"]  # German signs, 0 places
    assert cells["name"].tolist()[:2] == ["Ä <b>x</b>", "=HYPERLINK(1)"]  # text, unchanged
    assert prepared.value["value"].iloc[0] == pytest.approx(1234567.891)  # sorts as a number


@pytest.mark.usefixtures("snapshot_env")
def test_two_sessions_share_the_stakeholders_table_and_see_the_same_cells(
    open_page, monkeypatch, small_network
) -> None:
    made: list[int] = []
    real = lang.styler

    def counting(parts):  # type: ignore[no-untyped-def]
        made.append(len(parts[0]))
        return real(parts)

    monkeypatch.setattr(lang, "styler", counting)
    first = open_page("stakeholders")
    second = open_page("stakeholders")  # another session, same data, language and filter
    # the Overview (every session's first page) formats its small tables per run; the list of
    # every stakeholder is formatted once for both sessions
    assert made.count(len(small_network.nodes)) == 1
    a, b = shown_table(first.dataframe[0]), shown_table(second.dataframe[0])
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == len(small_network.nodes)


def test_the_cells_are_worked_out_column_by_column_not_by_the_styler() -> None:
    """The quick way (seconds less for ~10k rows) is taken for the kinds of column the pages
    show, and gives Streamlit's own message for the whole table, not only its first rows."""
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler

    from graphcap.i18n import use_language

    rows = 150  # more than the rows checked against the Styler before the quick way is taken
    frame = pd.DataFrame(
        {
            "name": [f"n{k}" if k % 7 else None for k in range(rows)],
            "score": [k / 3 if k % 5 else float("nan") for k in range(rows)],
            "count": list(range(rows)),
            "flag": [k % 2 == 0 for k in range(rows)],
            "when": pd.to_datetime(["2024-03-04"] * rows),
            "share": [k / rows for k in range(rows)],
        }
    )
    for language in ("en", "de"):
        with use_language(language):
            parts = lang.table_parts(frame, decimals={"score": 1}, percent=["share"])
            quick = lang._fast_marshalled(parts, "u", marshall_styler)
            assert quick is not None
            whole = lang._new_arrow_data()
            with lang._max_elements(parts[0]):
                marshall_styler(whole, lang.styler(parts), "u")
            quick.styler.uuid = whole.styler.uuid
            assert quick == whole
