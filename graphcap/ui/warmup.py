"""Warm a freshly started app server before its first user arrives (``graphcap app`` calls
:func:`warm_up` once the server answers its health check).

``streamlit run`` runs no code of the app before the first session, so on a cold server the
first Overview would read and analyse the network on that user's request (seconds to tens of
seconds on ~10k stakeholders). The warm-up opens one session by Streamlit's own websocket
protocol (``/_stcore/stream``: a ``rerun_script`` message for the Overview, then wait for
``script_finished``), as a browser would; that run reads, analyses and (in the background,
:func:`graphcap.ui.state.lay_out_when_done`) lays out the network into the caches every session
shares. When a login is required the run stops at the login form, which starts the same shared
preparation in the background (:func:`graphcap.ui.state.prepare_in_background`): the data is the
same for every user.

It then waits until Streamlit's ``/_stcore/metrics`` lists the shared view and layout caches
(:data:`WARM_CACHES`), so "ready" means the next Overview and Network are served from them.
Everything here is best effort: the caller logs one line on a failure and the app serves as it
would have without the warm-up. No credentials are sent or logged: the session is anonymous.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request

from graphcap.i18n import gettext as _

__all__ = ["WARM_CACHES", "cached", "open_page", "open_page_async", "warm_up"]

#: The shared caches (``graphcap.ui.state``) that hold the prepared data once warm.
WARM_CACHES = ("graphcap.ui.state._view", "graphcap.ui.state._layout")


async def open_page_async(url: str, page: str, timeout_s: float) -> bool:
    """:func:`open_page` in a running event loop (bench/bench_sessions.py's light client)."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    stream = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    error = False
    async with websockets.connect(
        stream,
        subprotocols=[websockets.Subprotocol("streamlit")],
        max_size=None,
        ping_interval=None,
    ) as ws:  # no pings: a server busy analysing cannot answer them in time
        back = BackMsg()
        back.rerun_script.query_string = ""
        back.rerun_script.page_name = page
        await ws.send(back.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=timeout_s))
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                error |= msg.delta.new_element.WhichOneof("type") == "exception"
            if kind == "script_finished":
                return not error


def open_page(url: str, page: str = "", timeout_s: float = 600) -> bool:
    """Open ``page`` (``""``: the default page, the Overview) in a new anonymous session of the
    server at ``url`` and wait until its script run has finished; False when the page showed an
    exception."""
    return asyncio.run(open_page_async(url, page, timeout_s))


def cached(url: str, names: tuple[str, ...] = WARM_CACHES) -> set[str]:
    """Which of the caches ``names`` hold an entry, by the server's ``/_stcore/metrics``."""
    with urllib.request.urlopen(url + "/_stcore/metrics", timeout=30) as r:
        text = r.read().decode("utf-8", "replace")
    found = set()
    for line in text.splitlines():
        if line.startswith("cache_memory_bytes{"):
            found |= {name for name in names if f'cache="{name}"' in line}
    return found


def warm_up(url: str, *, timeout_s: float = 600, alive: object = None) -> None:
    """Open the Overview once on the server at ``url`` and wait until the shared caches
    :data:`WARM_CACHES` are filled. Raises on a failure (the page showed an exception, the
    caches were not filled within ``timeout_s``); ``alive``: a callable that says whether the
    server still runs (the wait ends when it stops)."""
    if not open_page(url, "", timeout_s):
        raise RuntimeError(_("the first page run showed an error"))
    deadline = time.monotonic() + timeout_s
    while cached(url) != set(WARM_CACHES):
        if callable(alive) and not alive():
            raise RuntimeError(_("the server stopped"))
        if time.monotonic() > deadline:
            raise RuntimeError(
                _("the shared data was not prepared within {seconds} s").format(
                    seconds=f"{timeout_s:.0f}"
                )
            )
        time.sleep(0.5)
