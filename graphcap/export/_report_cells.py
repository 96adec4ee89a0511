"""Cells and axes of the PDF report (:mod:`graphcap.export._report_parts`) in the report's
language: amounts in thousands and millions with the currency's symbol, shares, scores, dates,
graphcap's own category words, chart ticks with the language's decimal sign."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from graphcap.i18n import format_date, format_number, format_percent, gettext
from graphcap.metrics.wording import kind_label, quadrant_label, relationship_label, type_label

__all__ = ["column_header", "decimal_axes", "fmt", "kind_title", "money", "table_rows", "when"]

_ = gettext

#: graphcap's own category words in a table, written in the report's language
_LABELS = {
    "type": type_label,
    "relationship": relationship_label,
    "quadrant": quadrant_label,
    "kind": kind_label,
}


def money(value: Any, currency: str | None = None) -> str:
    """An amount in thousands or millions (``1,5 Mio. €``), with ``currency``'s symbol when one
    is set; "–" when missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    v = float(value)
    if not np.isfinite(v):
        return "–"
    if abs(v) >= 1e6:
        text = _("{amount} M").format(amount=format_number(v / 1e6, decimals=1))
    elif abs(v) >= 1e3:
        text = _("{amount} k").format(amount=format_number(v / 1e3, decimals=0))
    else:
        text = format_number(v, decimals=0)
    if currency:
        from babel.numbers import get_currency_symbol

        text += "\xa0" + get_currency_symbol(currency)
    return text


def fmt(value: Any, kind: str = "", currency: str | None = None) -> str:
    """A cell as text in the report's language: money in k/M, shares in %, scores with 3
    decimals, graphcap's category words translated, "–" for missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    if isinstance(value, float) and not np.isfinite(value):
        return "–"
    if kind == "money":
        return money(value, currency)
    if kind == "pct":
        return format_percent(float(value))
    if kind == "num":
        return format_number(float(value), decimals=3)
    if kind == "signed":
        return ("+" if float(value) >= 0 else "") + format_number(float(value), decimals=2)
    if kind == "int":
        return format_number(float(value), decimals=0)
    if kind in _LABELS:
        return _LABELS[kind](value)
    if isinstance(value, bool | np.bool_):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return format_number(value, decimals=2)
    return str(value)


def table_rows(
    frame: pd.DataFrame | None, spec: Sequence[tuple[str, str]], currency: str | None = None
) -> list[list[str]]:
    """Formatted rows of ``frame`` for (column, kind) pairs; a missing column prints "–"."""
    if frame is None or len(frame) == 0:
        return []
    cols = [frame[c].tolist() if c in frame.columns else [None] * len(frame) for c, _ in spec]
    return [
        [fmt(v, kind, currency) for v, (_c, kind) in zip(values, spec, strict=True)]
        for values in zip(*cols, strict=True)
    ]


def when(value: Any) -> str:
    """A provenance date in the report's language (its time of day kept after it)."""
    if value is None or str(value).strip() in {"", "None"}:
        return "–"
    text = str(value).strip()
    try:
        day = format_date(text[:10])
    except ValueError:
        return text
    rest = text[10:].lstrip("T ")
    return f"{day} {rest[:5]}".strip() if rest[:5].count(":") == 1 else day


def kind_title(kind: str) -> str:
    word = kind_label(kind)
    return word[:1].upper() + word[1:]


#: headers of the value-by-type table (its columns are kinds of money and shares of them)
_VALUE_HEADERS = {
    "type": "type",
    "stakeholders": "stakeholders",
    "value": "value",
    "value_share": "value share",
    "revenue": "revenue",
    "revenue_share": "revenue share",
    "spend": "spend",
    "spend_share": "spend share",
    "flow": "flow",
    "flow_share": "flow share",
    "clv": "Customer lifetime value",
}


def column_header(column: str) -> str:
    english = _VALUE_HEADERS.get(column)
    return column.replace("_", " ") if english is None else _(english)


def decimal_axes(ax: Any, *, y: bool = False) -> None:
    """Tick labels with the language's decimal sign (0,5 in German) on the x axis (and y)."""
    from matplotlib.ticker import FuncFormatter

    tick = FuncFormatter(lambda v, _pos: format_number(round(float(v), 6)))
    ax.xaxis.set_major_formatter(tick)
    if y:
        ax.yaxis.set_major_formatter(tick)
