"""The light and dark variants of the app's theme, for the network drawing.

The colours are those of ``[theme.light]`` and ``[theme.dark]`` in the packaged Streamlit
settings (``graphcap/ui/streamlit_config.toml``), read once, so the drawing and the app around it
cannot drift apart. The drawing (an iframe) gets the active variant's background, text and muted
colours; the stakeholder-type colours stay the same in both (they read on either background).
No streamlit import here (the picture layer sits below the app): the HTML export draws with the
light variant.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["MIN_CONTRAST", "THEMES", "contrast", "drawing_theme", "readable"]

THEMES = ("light", "dark")
#: WCAG 2.1 (1.4.11): shapes a user must see need 3:1 against their background
MIN_CONTRAST = 3.0


@cache
def _settings() -> dict[str, Any]:
    text = resources.files("graphcap.ui").joinpath("streamlit_config.toml").read_text("utf-8")
    return tomllib.loads(text).get("theme", {})


def drawing_theme(kind: str | None = "light") -> dict[str, str]:
    """Colours of the drawing for ``kind`` ("light" or "dark"; anything else is light).

    >>> drawing_theme("dark")["background"], drawing_theme(None)["background"]
    ('#0f172a', '#ffffff')
    """
    name = kind if kind in THEMES else "light"
    t = _settings().get(name, {})
    dark = name == "dark"
    return {
        "name": name,
        "background": t.get("backgroundColor", "#0f172a" if dark else "#ffffff"),
        "panel": t.get("secondaryBackgroundColor", "#1e293b" if dark else "#f3f4f6"),
        "text": t.get("textColor", "#e5e7eb" if dark else "#111827"),
        "muted": "#9ca3af" if dark else "#6b7280",
        "border": "#334155" if dark else "#e5e7eb",
    }


def _luminance(colour: str) -> float:
    h = colour.lstrip("#")
    channels = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21).

    >>> round(contrast("#000000", "#ffffff"), 1), round(contrast("#111827", "#0f172a"), 2)
    (21.0, 1.01)
    """
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(colour: str, theme: dict[str, str]) -> str:
    """``colour``, or the first mix of it towards the theme's text colour (steps of 5 %) that
    has :data:`MIN_CONTRAST` against the theme's background: the hue stays, so categories stay
    apart, and a near-black (the organisation) becomes visible on the dark background.

    >>> dark = drawing_theme("dark")
    >>> readable("#60a5fa", dark), contrast(readable("#111827", dark), dark["background"]) >= 3
    ('#60a5fa', True)
    """
    if not (isinstance(colour, str) and len(colour) == 7 and colour.startswith("#")):
        return colour
    bg, to = theme["background"], theme["text"]
    for step in range(21):
        t = step / 20
        mixed = "#" + "".join(
            f"{round(int(colour[i : i + 2], 16) * (1 - t) + int(to[i : i + 2], 16) * t):02x}"
            for i in (1, 3, 5)
        )
        if contrast(mixed, bg) >= MIN_CONTRAST:
            return mixed
    return to
