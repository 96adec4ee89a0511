"""Data shown as text only, never through markdown: names, cell values and messages that carry
them (an imported name must not become a link, an image or formatting), and :func:`md_escape` for
text that does go into markdown. Used by the page state and by the login, which the state imports
(so this sits below both)."""

from __future__ import annotations

import html
import re
from typing import Any

import streamlit as st

from graphcap.i18n import gettext as _

__all__ = ["md_escape", "show_message", "show_text"]


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md_escape(text: Any) -> str:
    """``text`` made inert for Streamlit markdown (messages, captions): every markdown/HTML
    special character backslash-escaped. It does **not** stop GFM from turning a bare URL or
    e-mail address into a link: names (data) are shown with :func:`show_text` instead.

    >>> md_escape("<img src=x onerror=alert(1)> [a](javascript:x)")
    '\\\\<img src=x onerror=alert\\\\(1\\\\)\\\\> \\\\[a\\\\]\\\\(javascript\\\\:x\\\\)'
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text))


#: Colours of :func:`show_message`'s boxes (text, background), close to Streamlit's own alerts.
_ALERT_COLOURS = {
    "error": ("#7d353b", "rgba(255, 43, 43, 0.09)"),
    "warning": ("#926c05", "rgba(255, 227, 18, 0.1)"),
    "info": ("#004280", "rgba(28, 131, 225, 0.1)"),
    "success": ("#177233", "rgba(33, 195, 84, 0.1)"),
}


def show_message(text: Any, *, kind: str = "error", into: Any = None) -> None:
    """An error, warning, info or success box for a message that carries data (an error naming
    a stakeholder, a cell value, a file name): shown like :func:`show_text`, HTML-escaped and
    never through markdown, so nothing in it becomes a link or formatting; line breaks kept.
    ``st.error`` and friends render markdown, and GFM autolinks ``http://...`` in them."""
    if kind not in _ALERT_COLOURS:
        raise ValueError(
            _("kind must be one of {alert_colours}").format(alert_colours=sorted(_ALERT_COLOURS))
        )
    colour, background = _ALERT_COLOURS[kind]
    body = html.escape(str(text), quote=True)
    style = (
        f"color:{colour};background:{background};border-radius:0.5rem;padding:1rem;"
        "margin:0 0 1rem 0;white-space:pre-wrap;overflow-wrap:anywhere"
    )
    role = "alert" if kind in ("error", "warning") else "status"
    (into if into is not None else st).html(
        f'<div class="gc-alert gc-{kind}" role="{role}" style="{style}">{body}</div>'
    )


def show_text(
    text: Any, *, tag: str = "p", into: Any = None, strong: bool = False, caption: bool = False
) -> None:
    """Show ``text`` (a name or other data) exactly as written and as text only: HTML-escaped
    into one element (``h2``, ``p`` ...), never through markdown, so nothing in it can become a
    link, an image or formatting (GFM autolinks ``http://...``, ``www....`` and e-mail
    addresses even when every markdown character is escaped). ``caption``: small and muted, as
    ``st.caption`` shows text."""
    if tag not in _TEXT_TAGS:
        raise ValueError(_("tag must be one of {text_tags}").format(text_tags=sorted(_TEXT_TAGS)))
    body = html.escape(str(text), quote=True)
    if strong:
        body = f"<strong>{body}</strong>"
    style = ' style="font-size:0.875rem;opacity:0.65;margin:0"' if caption else ""
    (into if into is not None else st).html(f'<{tag} class="gc-text"{style}>{body}</{tag}>')


_TEXT_TAGS = frozenset({"h1", "h2", "h3", "p", "span"})
