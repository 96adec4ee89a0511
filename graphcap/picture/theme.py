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

__all__ = ["THEMES", "drawing_theme"]

THEMES = ("light", "dark")


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
