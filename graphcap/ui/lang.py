"""The app's language, and numbers, dates and tables written the way that language writes them.

**Which language.** The sidebar's choice (English / Deutsch) is kept in the URL as ``?lang=de``,
so a bookmark or a shared link opens in the same language, and in the session, so moving between
pages keeps it. On a first visit without ``lang`` in the URL the language comes from
:func:`graphcap.i18n.resolve_language`: ``GRAPHCAP_LANG``, then ``[locale] language`` in
``graphcap.toml``, then the browser's ``Accept-Language``, else English.

**Per session.** ``app.py`` runs the login gate, the sidebar and the page inside
``with use_language(code)``: the language lives in a context variable of the script run's
thread, so two people on the same server each see their own.

**Formats.** :func:`table` shows a frame with translated column headers (:mod:`graphcap.ui.labels`)
and its numbers, shares and dates written in the current language (``1.234.567,89``,
``78 %``, ``31.12.2026`` in German) -- as text, so the browser's own locale does not matter;
underneath they stay numbers and dates, so a click on a column header sorts them as such.
Names and other data values are shown as they are.
"""

from __future__ import annotations

import math
import numbers
import threading
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from functools import cache, partial
from typing import Any

import pandas as pd
import streamlit as st

from graphcap.config import load_project_config
from graphcap.errors import GraphcapError
from graphcap.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    MISSING,
    current_language,
    format_date,
    format_number,
    format_percent,
    normalise_language,
    resolve_language,
)
from graphcap.i18n import gettext as _
from graphcap.ui.labels import VALUE_LABELS, column_label

__all__ = [
    "choose_language",
    "PreparedTable",
    "num",
    "pct",
    "render_language_choice",
    "show_table",
    "stamp",
    "styler",
    "table",
    "table_parts",
]

#: The session's language (kept across pages), and the sidebar widget's key.
_KEY = "gc_lang"
_PICK = "gc_lang_pick"
_CHOSEN = "gc_lang_chosen"


def _configured() -> str | None:
    try:
        return load_project_config().language
    except GraphcapError:
        return None  # require_valid_settings() shows the problem once the page runs


def choose_language() -> str:
    """The language of this run: the URL's ``lang``, else the session's, else the first visit's
    guess (environment, graphcap.toml, browser). A language the user chose (in the URL or the
    sidebar) is written back to the URL on every page; a guess is not (the address stays clean
    until someone chooses)."""
    asked = normalise_language(st.query_params.get("lang"))
    if asked:
        st.session_state[_KEY], st.session_state[_CHOSEN] = asked, True
    code = st.session_state.get(_KEY)
    if code is None:
        headers = getattr(st.context, "headers", None) or {}
        code = resolve_language(
            configured=_configured(), accept_language=headers.get("Accept-Language")
        )
        st.session_state[_KEY] = code
    if st.session_state.get(_CHOSEN) and st.query_params.get("lang") != code:
        st.query_params["lang"] = code  # a page switch drops the URL's parameters
    return code


def _picked() -> None:
    code = normalise_language(st.session_state.get(_PICK))
    if code:
        st.session_state[_KEY], st.session_state[_CHOSEN] = code, True
        st.query_params["lang"] = code


def render_language_choice(code: str) -> None:
    """The sidebar's language choice (each language under its own name)."""
    st.session_state[_PICK] = code
    st.sidebar.selectbox(
        _("Language"),
        list(LANGUAGES),
        format_func=lambda c: LANGUAGES[c],
        key=_PICK,
        on_change=_picked,
    )


def _css_text(text: str) -> str:
    """``text`` as a CSS string literal (our own catalogue's words; quotes and backslashes
    escaped, line breaks dropped)."""
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_streamlit_texts(code: str) -> None:
    """Streamlit's file uploader writes "Upload" and "200MB per file • CSV, …" in English and
    has no parameter for them (streamlit/streamlit#13500). In another language, a style sheet
    puts the language's words in their place (the accepted files are named in each uploader's
    own, translated label). English: nothing is added."""
    if code == DEFAULT_LANGUAGE:
        return
    upload = _css_text(_("Upload"))
    limit = _css_text(
        _("up to {mb} MB per file").format(mb=num(st.get_option("server.maxUploadSize")))
    )
    button = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
    hint = '[data-testid="stFileUploaderDropzoneInstructions"] span'
    st.html(
        "<style>"
        f"{button}, {hint} {{font-size: 0;}}"
        f"{button}::after {{content: {upload}; font-size: 0.875rem;}}"
        f"{hint}::after {{content: {limit}; font-size: 0.875rem;}}"
        "</style>"
    )


def _decimals(value: float) -> int:
    """Decimal places that show about four significant digits (at least none, at most six)."""
    if value == 0 or not math.isfinite(value) or float(value).is_integer():
        return 0
    return max(0, min(6, 3 - math.floor(math.log10(abs(value)))))


@cache
def _signs(code: str) -> dict[int, str]:
    """Python's grouping and decimal signs mapped to the language's (from its CLDR locale)."""
    sample = format_number(1234.5, decimals=1, lang=code)  # "1,234.5" / "1.234,5"
    return str.maketrans({",": sample[1], ".": sample[5]})


def num(value: Any, decimals: int | None = None) -> str:
    """A number in the current language; ``decimals=None``: about four significant digits,
    without trailing zeros. Writes what :func:`graphcap.i18n.format_number` writes, about
    twenty times faster (a table may hold many thousands of numbers).

    >>> from graphcap.i18n import use_language
    >>> with use_language("de"):
    ...     num(1234567), num(0.012345), num(-1234.5, 1), num(0.5), num(None)
    ('1.234.567', '0,01235', '-1.234,5', '0,5', '–')
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return format_number(None)
    if not math.isfinite(number):
        return format_number(number)
    places = _decimals(number) if decimals is None else decimals
    text = f"{number:,.{places}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # -0.0001 with two places: "0.00", not "-0.00"
    return text.translate(_signs(current_language()))


def pct(share: Any, decimals: int = 0) -> str:
    """A share (0.775) as a percentage in the current language (``78 %`` / ``78%``)."""
    return format_percent(share, decimals=decimals)


def stamp(value: Any) -> str:
    """A date in the current language, with the time of day when it has one
    (``31.12.2026 14:05``)."""
    text = format_date(value)
    if text == MISSING:  # None, NaN, NaT
        return text
    if isinstance(value, str):
        value = pd.Timestamp(value)
    if isinstance(value, datetime) and (value.hour, value.minute) != (0, 0):
        text += f" {value:%H:%M}"
    return text


def _cell(value: Any, decimals: int | None) -> str:
    if value is None or isinstance(value, str):
        return "" if value is None else value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return stamp(value)
    if isinstance(value, numbers.Number):
        return num(value, decimals)
    return str(value)


def table(
    frame: Any,
    *,
    decimals: Mapping[str, int] | None = None,
    percent: Collection[str] = (),
    progress: Mapping[str, float] | None = None,
    wide: Collection[str] = (),
    into: Any = None,
    **kwargs: Any,
) -> Any:
    """Show ``frame`` (a DataFrame or a list of row dicts) as a table in the current language.

    Headers: :func:`~graphcap.ui.labels.column_label`. Numbers: :func:`num` with
    ``decimals[col]`` places (else about four significant digits). ``percent``: shares written
    as percentages; ``progress``: shares drawn as bars from 0 to the given maximum; dates and
    timestamps: :func:`~graphcap.i18n.format_date`; ``wide``: text columns given more room.
    Numbers and dates stay numbers and dates (a click on the header sorts them as such); only
    their shown text is the language's. Other keyword arguments go to ``st.dataframe``
    (``height``, ``width`` ...)."""
    parts = table_parts(frame, decimals=decimals, percent=percent, progress=progress, wide=wide)
    return show_table(parts, into=into, **kwargs)


#: A table ready to show: its data (numbers and dates kept as such), the shown text of each
#: formatted column's values, and the column configuration.
TableParts = tuple[pd.DataFrame, dict[Any, Callable[[Any], str]], dict[str, Any]]


def table_parts(
    frame: Any,
    *,
    decimals: Mapping[str, int] | None = None,
    percent: Collection[str] = (),
    progress: Mapping[str, float] | None = None,
    wide: Collection[str] = (),
) -> TableParts:
    """What :func:`table` shows, formatted but not yet shown: the data with numeric and date
    columns kept numeric and dates (Streamlit sorts by them), the text shown for each of their
    values in the current language, and the column configuration (translated headers, bars,
    check boxes). Formatting costs a Python call per value, so a page caches this per data
    version and language (``state.memo``) and shows it with :func:`show_table` on every rerun."""
    data = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(list(frame))
    shown = data.copy()
    if not shown.index.is_unique:  # a Styler needs unique labels to format cells
        shown = shown.reset_index(drop=True)
    places = dict(decimals or {})
    bars = dict(progress or {})
    config: dict[str, Any] = {}
    formats: dict[Any, Any] = {}
    for col in data.columns:
        series = data[col]
        label = column_label(col)
        if col in bars:  # drawn as a bar; the number as a percentage the language's way
            shown[col] = pd.to_numeric(series, errors="coerce") * 100 / bars[col]
            sign = "\u00a0%%" if current_language() == "de" else "%%"
            config[col] = st.column_config.ProgressColumn(
                label, min_value=0.0, max_value=100.0, format="%.0f" + sign
            )
        elif col in percent:
            shown[col] = pd.to_numeric(series, errors="coerce")
            formats[col] = pct
            config[col] = st.column_config.NumberColumn(label)
        elif pd.api.types.is_bool_dtype(series):
            config[col] = st.column_config.CheckboxColumn(label)
        elif pd.api.types.is_datetime64_any_dtype(series):
            formats[col] = stamp
            config[col] = st.column_config.DatetimeColumn(label)
        elif pd.api.types.is_numeric_dtype(series):
            formats[col] = partial(num, decimals=places.get(col))
            config[col] = st.column_config.NumberColumn(label)
        else:
            if series.dtype == object:
                shown[col] = series.map(partial(_cell, decimals=places.get(col)))
            words = VALUE_LABELS.get(str(col))
            if words is not None and current_language() != DEFAULT_LANGUAGE:
                shown[col] = shown[col].map(words).astype(object)
            config[col] = st.column_config.TextColumn(label, width="large" if col in wide else None)
    texts: dict[Any, Callable[[Any], str]] = {
        col: partial(_lookup, texts={v: fmt(v) for v in set(shown[col].dropna().tolist())}, fmt=fmt)
        for col, fmt in formats.items()
    }
    return shown, texts, config


class PreparedTable:
    """A table made by :func:`table_parts` together with what Streamlit makes of its ``Styler``
    (the shown text of every cell as Arrow), worked out once and shared by every session that
    shows it (``state.memo_table``): turning a ``Styler`` of ~10k rows into Streamlit's message
    takes seconds of CPU per page run, the same seconds for every session. Read-only once made.
    """

    def __init__(self, parts: TableParts) -> None:
        self.parts = parts
        self._lock = threading.Lock()
        self._marshalled: dict[str, Any] = {}

    def marshalled(self, default_uuid: str, marshall: Callable[..., None]) -> Any:
        """The ``ArrowData`` message Streamlit's ``marshall`` makes of this table's ``Styler``
        at an element position (``default_uuid``), made at most once per position.

        Made column by column (:func:`_display_frame`: what the ``Styler`` shows, without
        pandas' per-cell HTML bookkeeping, seconds for ~10k rows) when that gives the same
        message as ``marshall`` on the table's first rows, else by ``marshall`` itself."""
        with self._lock:
            done = self._marshalled.get(default_uuid)
            if done is None:
                done = _fast_marshalled(self.parts, default_uuid, marshall)
                if done is None:
                    done = _new_arrow_data()
                    with _max_elements(self.parts[0]):
                        marshall(done, styler(self.parts), default_uuid)
                if len(self._marshalled) >= 8:  # a table shown at many positions: keep a few
                    self._marshalled.clear()
                self._marshalled[default_uuid] = done
            return done


def _new_arrow_data() -> Any:
    from streamlit.proto.ArrowData_pb2 import ArrowData

    return ArrowData()


def _display_frame(parts: TableParts) -> pd.DataFrame:
    """Every cell as the table's ``Styler`` (:func:`styler`) shows it, as Streamlit collects
    them (``str`` of each display value): the worked-out text of a formatted column
    (:data:`MISSING` for a missing value), pandas' default text elsewhere (empty when missing)."""
    from pandas.io.formats.style_render import _default_formatter

    shown, texts, _config = parts
    precision = int(pd.get_option("styler.format.precision"))
    columns: dict[int, list[str]] = {}
    for k, col in enumerate(shown.columns):
        fmt = texts.get(col)
        values = shown.iloc[:, k].tolist()
        if fmt is not None:
            columns[k] = [MISSING if pd.isna(v) is True else str(fmt(v)) for v in values]
        else:
            columns[k] = [
                "" if pd.isna(v) is True else str(_default_formatter(v, precision)) for v in values
            ]
    out = pd.DataFrame(columns, index=shown.index).astype(str)
    out.columns = shown.columns
    return out


def _fast_marshalled(parts: TableParts, default_uuid: str, marshall: Callable[..., None]) -> Any:
    """The ``Styler`` message of ``parts`` made from :func:`_display_frame`, or ``None`` when
    that differs from ``marshall``'s on the first rows (a pandas or Streamlit whose ``Styler``
    shows cells otherwise): then the caller marshalls the whole table the slow way."""
    from streamlit import dataframe_util

    shown, texts, config = parts
    head = (shown.head(64), texts, config)
    expected = _new_arrow_data()
    with _max_elements(head[0]):
        marshall(expected, styler(head), default_uuid)
    made = _new_arrow_data()
    made.styler.uuid = expected.styler.uuid
    made.styler.display_values = dataframe_util.convert_pandas_df_to_arrow_bytes(
        _display_frame(head)
    )
    if made != expected:
        return None
    made.styler.display_values = dataframe_util.convert_pandas_df_to_arrow_bytes(
        _display_frame(parts)
    )
    return made


def _max_elements(shown: pd.DataFrame) -> Any:
    """pandas' cap on the cells of a Styler lifted to this table's size."""
    cells = max(int(shown.size), int(pd.get_option("styler.render.max_elements")))
    return pd.option_context("styler.render.max_elements", cells)


def _reuse_marshalled_stylers() -> bool:
    """Let ``st.dataframe`` take a :class:`PreparedTable`'s worked-out ``Styler`` message instead
    of working it out again: Streamlit's ``marshall_styler`` is wrapped so that a ``Styler``
    carrying a prepared table (``_gc_prepared``) gets that table's message; every other
    ``Styler`` goes through unchanged. ``False`` when this Streamlit has no such function
    (then :func:`show_table` formats per call, as before)."""
    try:
        from streamlit.elements import arrow
    except ImportError:  # pragma: no cover - depends on the Streamlit version
        return False
    original = getattr(arrow, "marshall_styler", None)
    if original is None:  # pragma: no cover - depends on the Streamlit version
        return False
    if getattr(original, "_gc_reuses", False):
        return True

    def marshall_styler(proto: Any, styled: Any, default_uuid: str) -> None:
        prepared = getattr(styled, "_gc_prepared", None)
        if not isinstance(prepared, PreparedTable):
            original(proto, styled, default_uuid)
            return
        proto.MergeFrom(prepared.marshalled(default_uuid, original))

    marshall_styler._gc_reuses = True  # type: ignore[attr-defined]
    arrow.marshall_styler = marshall_styler  # type: ignore[assignment]
    return True


_REUSE = _reuse_marshalled_stylers()


def show_table(parts: TableParts | PreparedTable, *, into: Any = None, **kwargs: Any) -> Any:
    """Show a table made by :func:`table_parts` (a fresh ``Styler`` per call: Stylers are not
    shared between sessions), or a :class:`PreparedTable` (its cells' shown text worked out once
    for every session); keyword arguments go to ``st.dataframe``."""
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    where = into if into is not None else st
    if isinstance(parts, PreparedTable):
        if _REUSE:
            shown, _texts, config = parts.parts
            styled = shown.copy().style  # no formatting here: the prepared message has the text
            styled._gc_prepared = parts  # type: ignore[attr-defined]
            return where.dataframe(styled, column_config=config, **kwargs)
        parts = parts.parts
    shown, _texts, config = parts
    styled = styler(parts)
    with _max_elements(shown):  # pandas' cap for a Styler
        return where.dataframe(styled, column_config=config, **kwargs)


def styler(parts: TableParts) -> Any:
    """A new pandas ``Styler`` over the table's data that shows the worked-out texts (Streamlit
    shows a Styler's text and sorts by the values underneath)."""
    shown, texts, _config = parts
    styled = shown.style.format(formatter=texts, na_rep=MISSING)
    others = [c for c in shown.columns if c not in texts]
    if others:
        styled = styled.format(na_rep="", subset=others)
    return styled


def _lookup(value: Any, *, texts: Mapping[Any, str], fmt: Callable[[Any], str]) -> str:
    """The text of ``value`` worked out in advance (else formatted now)."""
    try:
        return texts[value]
    except (KeyError, TypeError):
        return fmt(value)
