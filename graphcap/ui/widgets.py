"""Small pieces several pages share: picking a stakeholder, jumping to its detail or its network.

Names are user data: they reach Streamlit only as select-box options (plain text), table cells
(plain text) or through :func:`graphcap.ui.plaintext.md_escape` where a widget label renders markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from graphcap.graph.textmatch import fold, folded
from graphcap.i18n import gettext as _
from graphcap.ui.labels import vocabulary_label
from graphcap.ui.lang import num
from graphcap.ui.state import show_text

__all__ = [
    "NETWORK_PAGE",
    "STAKEHOLDER_PAGE",
    "open_network_focused",
    "open_stakeholder",
    "PICKER_SHORTLIST",
    "find_stakeholder",
    "pick_stakeholder",
    "requested_stakeholder",
    "stakeholder_labels",
]

_PAGES = Path(__file__).parent / "pages"
NETWORK_PAGE = _PAGES / "network.py"
STAKEHOLDER_PAGE = _PAGES / "stakeholder.py"


def stakeholder_labels(nodes: pd.DataFrame, *, among: pd.DataFrame | None = None) -> dict[str, str]:
    """id -> "name · type" (ids added where two stakeholders share a name). ``among``: the
    stakeholders a name must be unique in (default ``nodes``), so that a few rows of a larger
    frame are labelled as they are among all of them."""
    names = nodes["name"].astype(str)
    if among is None:
        dup = names.duplicated(keep=False)
    else:
        pool = among["name"].astype(str)
        dup = names.isin(pool[pool.duplicated(keep=False)])
    kinds = nodes["type"].astype(str)
    words = {kind: str(vocabulary_label(kind)) for kind in kinds.unique()}
    labels = names + " · " + kinds.map(words)
    labels = labels.where(~dup, labels + " · " + nodes["id"].astype(str))
    return dict(zip(nodes["id"].astype(str), labels, strict=True))


def type_filter(where: Any, label: str, options: list[str], *, key: str) -> list[str]:
    """A filter over stakeholder or relationship types: every type chosen at first, each shown
    in the current language's words (the data keeps its codes, so the choice filters by them)."""
    return list(
        where.multiselect(
            label,
            options,
            default=options,
            format_func=vocabulary_label,
            placeholder=_("Choose options"),
            key=key,
        )
    )


#: Above this many stakeholders a picker lists only the first this many (in its order) and
#: takes any other name or id typed in. Every option travels to each browser on every page load:
#: a list of 10,000 names cost a headless Chromium about 0.3 CPU seconds a load more than a bare
#: page, one of 250 nothing measurable (``bench/bench_browser_elements.py``).
PICKER_SHORTLIST = 250


def pick_stakeholder(
    label: str,
    nodes: pd.DataFrame,
    *,
    key: str,
    default: str | None = None,
    allow_none: bool = False,
    order_by: str | None = None,
    none_label: str = "—",
    into: Any = None,
) -> str | None:
    """A select box over the stakeholders (searchable by typing); returns the chosen id.

    Up to :data:`PICKER_SHORTLIST` stakeholders it lists them all. Above, it lists the first
    :data:`PICKER_SHORTLIST` by ``order_by`` (plus ``default`` and the last choice) and takes
    any other name or id typed in and confirmed with Enter: an exact id or name (case
    ignored), else the first stakeholder in that order whose name contains the text."""
    where = into if into is not None else st
    frame = nodes
    if order_by and order_by in nodes.columns:
        frame = nodes.sort_values(order_by, ascending=False, kind="stable")
    short = len(frame) > PICKER_SHORTLIST
    listed = frame
    if short:  # the first ones, and what was chosen stays listed; only these are labelled
        chosen = frame["id"].astype(str).isin([default, st.session_state.get(key)]).to_numpy()
        listed = frame[(np.arange(len(frame)) < PICKER_SHORTLIST) | chosen]
    labels = stakeholder_labels(listed, among=frame)
    options: list[str | None] = list(labels)
    if allow_none:
        options = [None, *options]
    index = options.index(default) if default in options else 0
    value = where.selectbox(
        label,
        options,
        index=index,
        key=key,
        format_func=lambda i: none_label if i is None else labels.get(i, str(i)),
        accept_new_options=short,
        help=_(
            "Lists the first {n} of {total} stakeholders; type any other name or id and press "
            "Enter."
        ).format(n=num(PICKER_SHORTLIST), total=num(len(frame)))
        if short
        else None,
    )
    if value is None or value in labels:
        return value
    found, matches = find_stakeholder(frame, str(value))
    if found is not None and found not in labels:
        labels |= stakeholder_labels(frame[frame["id"].astype(str) == found], among=frame)
    if found is None:
        show_text(
            _("No stakeholder's name or id matches “{text}”.").format(text=value),
            into=where,
            caption=True,
        )
    elif matches == 1:  # say which stakeholder the typed text was taken to mean
        show_text(_("Found: {label}").format(label=labels[found]), into=where, caption=True)
    else:
        show_text(
            _("{n} names contain “{text}”: showing {label}. Type more of the name for another.")
            .format(n=num(matches), text=value, label=labels[found]),
            into=where,
            caption=True,
        )  # fmt: skip
    return found


def find_stakeholder(nodes: pd.DataFrame, text: str) -> tuple[str | None, int]:
    """The stakeholder ``text`` (typed by a user) means, and how many names it fits: an exact
    id, else an exact name, else the first in ``nodes``' order whose name contains it, all
    compared as :func:`graphcap.graph.textmatch.fold` compares (case, accents and spaces
    ignored). ``(None, 0)`` when nothing fits."""
    needle = fold(text)
    if not needle:
        return None, 0
    ids = nodes["id"].astype(str)
    exact_id = ids[folded(ids) == needle]
    if not exact_id.empty:
        return str(exact_id.iloc[0]), 1
    names = folded(nodes["name"])
    for hits in (names == needle, names.str.contains(needle, regex=False)):
        if hits.any():
            return str(ids[hits].iloc[0]), int(hits.sum())
    return None, 0


def requested_stakeholder(param: str = "id") -> str | None:
    """The stakeholder a link or a click asked for (the URL's query parameter, so it can be
    bookmarked and shared)."""
    value = st.query_params.get(param)
    return str(value) if value else None


def open_stakeholder(stakeholder_id: str) -> None:
    """Go to the Stakeholder page for ``stakeholder_id``."""
    st.switch_page(STAKEHOLDER_PAGE, query_params={"id": str(stakeholder_id)})


def open_network_focused(stakeholder_id: str) -> None:
    """Go to the Network page showing the neighbourhood of ``stakeholder_id``."""
    st.switch_page(NETWORK_PAGE, query_params={"focus": str(stakeholder_id)})


def stakeholder_buttons(
    ids: Sequence[str], labels: dict[str, str], *, key: str, network: bool = True
) -> None:
    """One row per stakeholder with "Network" and "Detail" buttons (labels escaped)."""
    for k, sid in enumerate(ids):
        left, mid, right = st.columns([6, 1, 1], vertical_alignment="center")
        show_text(labels.get(sid, sid), into=left)
        if network and mid.button(
            _("Network"), key=f"{key}_net_{k}", help=_("Show its neighbourhood")
        ):
            open_network_focused(sid)
        if right.button(_("Detail"), key=f"{key}_det_{k}", help=_("Open the stakeholder's page")):
            open_stakeholder(sid)
