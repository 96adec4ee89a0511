"""Sheet names and column headers of a spreadsheet in the reader's language.

An XLSX export in German (``graphcap export xlsx --lang de``) is a workbook for people: its
sheets and column headers are German, the reasons of the at-risk radar and the index breakdown
are German sentences. The column names themselves stay the stable English keys everywhere a
program reads them (CSV, JSON, an English XLSX for re-import). A column graphcap does not know
(a property a project added) keeps its own name.
"""

from __future__ import annotations

import pandas as pd

from graphcap.columns import COLUMN_LABELS, SHEET_LABELS
from graphcap.i18n import current_language
from graphcap.i18n import gettext as _
from graphcap.metrics.wording import dimension_label, dimension_meaning, reasons_text

__all__ = ["COLUMN_LABELS", "SHEET_LABELS", "column_headers", "sentences", "sheet_name"]


def sentences(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Sheet ``name``'s radar reasons and index breakdown as sentences in the current language
    (English: as they are)."""
    if current_language() == "en":
        return frame
    if name == "risks" and "reasons_text" in frame.columns:
        rows = frame.to_dict("records")
        return frame.assign(reasons_text=[reasons_text(r) for r in rows])
    if name == "rci" and {"dimension", "meaning"} <= set(frame.columns):
        pairs = zip(frame["dimension"], frame["meaning"], strict=True)
        return frame.assign(
            meaning=[dimension_meaning(d) or m for d, m in pairs],
            dimension=[dimension_label(d) for d in frame["dimension"]],
        )
    return frame


def sheet_name(name: str) -> str:
    """A sheet's name in the current language (English: the key), at most 31 characters."""
    label = SHEET_LABELS.get(name)
    return (name if label is None or current_language() == "en" else _(label))[:31]


def column_headers(columns: list[str]) -> list[str]:
    """Headers for ``columns`` in the current language (English: the keys). Two columns never
    get the same header: on a clash the second keeps its key."""
    if current_language() == "en":
        return list(columns)
    headers: list[str] = []
    for col in columns:
        label = COLUMN_LABELS.get(col)
        header = _(label) if label else col
        headers.append(col if header in headers else header)
    return headers
