"""Concurrent sessions on one app server: N sessions at once vs one alone, and first opens.

The app (``streamlit run app.py``, no Neo4j) is started fresh for each measurement, on the
sample snapshot or (``--data realshape``) on ``bench/realshape.py``'s network (~10k
stakeholders, 16k relationships, 20k interactions) written as a snapshot. N sessions open the
Overview at the same moment on the cold server, then walk Overview -> Network -> Stakeholders
-> Risks for ``--seconds``; every page load is a new session, as a browser's reload is.

Two kinds of client (``--clients``):

- ``browser``: separate contexts of one headless Chromium. A page load is the time from
  ``goto`` until the page has its title and Streamlit's "running" indicator is gone. The
  browsers run on the same cores as the server, so this is what a team sees only when their
  browsers are on other machines *and* those are as slow as these.
- ``light``: Streamlit's own websocket protocol, no browser (``/_stcore/stream``: a
  ``rerun_script`` message for the page, then wait for ``script_finished``). A page load is the
  server's time to run the page and send it; what the browser then spends drawing is not in it.
  This is the server's figure, measured without 8 browsers competing for the 2 cores.

First opens (one light client, then one browser, each on a fresh server): the Overview on the
cold server (the data is read and analysed on this open), then the Network (laid out on this
open), then a new session opening each again (what every later user sees). The same once more
on this tree after the warm-up ``graphcap app`` does before the first user
(:func:`graphcap.ui.warmup.warm_up`; its own seconds are noted): what the first user of a
server started with ``graphcap app`` sees.

``--floor`` measures the same on a bare Streamlit app with the same four page paths, each
only a title and a line (no data, no graphcap): the floor of a page load that Streamlit and the
browsers set on this machine, whatever graphcap's pages do.

``--baseline REV`` runs the same on the git revision ``REV`` of this repository (``git archive``
into a temporary folder) in the same run: the before figures.

    python bench/bench_sessions.py --data realshape --clients light,browser --baseline main
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._harness import machine, markdown_table, publish  # noqa: E402
from tests.ui.appserver import CHROMIUM_ARGS, running_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PAGES = ("", "network", "stakeholders", "risks")
_SETTLED = (
    "() => document.querySelector('h1') && "
    "!document.querySelector('[data-testid=\"stStatusWidget\"]')"
)

#: One page load: (path) -> (seconds, error?) or an exception.
Loader = Callable[[str], Awaitable[tuple[float, bool]]]


async def _light_load(url: str, path: str) -> tuple[float, bool]:
    """One page load by Streamlit's websocket protocol (:func:`graphcap.ui.warmup.open_page`:
    a new session asks for ``path`` and waits until the server says the script finished);
    error when the page showed an exception."""
    from graphcap.ui.warmup import open_page_async

    t0 = time.perf_counter()
    ok = await open_page_async(url, path, 600)
    return time.perf_counter() - t0, not ok


async def _page_bytes(url: str, path: str) -> dict[str, int]:
    """The bytes a new session of ``path`` receives over the websocket, by kind of element
    (``dataframe``, ``iframe``, ``selectbox`` ...; ``other``: every other message)."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    stream = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    sizes: dict[str, int] = {}
    async with websockets.connect(
        stream, subprotocols=[websockets.Subprotocol("streamlit")], max_size=None,
        ping_interval=None,
    ) as ws:  # fmt: skip
        back = BackMsg()
        back.rerun_script.page_name = path
        await ws.send(back.SerializeToString())
        while True:
            raw = await ws.recv()
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind: str = msg.WhichOneof("type") or "other"
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                kind = msg.delta.new_element.WhichOneof("type") or "other"
            elif kind != "script_finished":
                kind = "other"
            sizes[kind] = sizes.get(kind, 0) + len(raw)
            if kind == "script_finished":
                return sizes


def _cpu_seconds(roots: list) -> float:  # type: ignore[type-arg]
    """User + system CPU seconds of the processes ``roots`` (psutil) and all their children,
    each process once (a root may be another root's child: Chromium's renderers are children
    of its browser process)."""
    import psutil

    procs = {}
    for root in roots:
        try:
            procs |= {p.pid: p for p in [root, *root.children(recursive=True)]}
        except psutil.Error:
            continue
    total = 0.0
    for proc in procs.values():
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


async def _page_cpu(
    url: str,
    rounds: int,
    paths: Sequence[str] = PAGES,
    *,
    from_blank: bool = False,
    warm_round: bool = False,
) -> dict[str, tuple[float, float]]:
    """CPU seconds one page load costs the browser and the server: one headless Chromium
    session walks ``paths`` ``rounds`` times (a reload each, as in the walk); per page the
    median of the Chromium process tree's and the app server's CPU time from ``goto`` until
    the page has settled, its network drawn (``data-drawn-nodes``) and a second has passed.
    ``from_blank``: each page is opened from a blank page, so the previous page's teardown is
    not counted; ``warm_round``: one walk first that is not counted (the browser's caches).
    CPU time depends far less than the wall time on what else runs on the machine."""
    import psutil
    from playwright.async_api import async_playwright

    port = int(url.rsplit(":", 1)[1])
    server = next(
        psutil.Process(c.pid)
        for c in psutil.net_connections("tcp")
        if c.status == "LISTEN" and c.laddr.port == port and c.pid
    )
    spent: dict[str, list[tuple[float, float]]] = {p: [] for p in paths}
    async with async_playwright() as pw:
        before = {p.pid for p in psutil.Process().children(recursive=True)}
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await (await browser.new_context()).new_page()
        for round_ in range(rounds + warm_round):
            for path in paths:
                if from_blank:
                    await page.goto("about:blank")
                    await page.wait_for_timeout(500)
                chromium = [
                    p for p in psutil.Process().children(recursive=True)
                    if p.pid not in before and "chrom" in p.name().lower()
                ]  # fmt: skip
                b0, s0 = _cpu_seconds(chromium), _cpu_seconds([server])
                await page.goto(f"{url}/{path}", wait_until="commit", timeout=600_000)
                await page.wait_for_timeout(300)
                await page.wait_for_function(_SETTLED, timeout=600_000, polling=100)
                if path == "network" and await page.locator("iframe").count():
                    drawn = page.frame_locator("iframe").locator("#gc-root[data-drawn-nodes]")
                    await drawn.wait_for(timeout=600_000)
                await page.wait_for_timeout(1000)
                if round_ or not warm_round:
                    spent[path].append(
                        (_cpu_seconds(chromium) - b0, _cpu_seconds([server]) - s0)
                    )  # fmt: skip
        await browser.close()
    return {
        p: (statistics.median(b for b, _ in xs), statistics.median(s for _, s in xs))
        for p, xs in spent.items()
    }


async def _browser_loader(browser, url: str) -> tuple[Loader, Callable[[], Awaitable[None]]]:  # type: ignore[no-untyped-def]
    context = await browser.new_context()
    page = await context.new_page()

    async def load(path: str) -> tuple[float, bool]:
        t0 = time.perf_counter()
        await page.goto(f"{url}/{path}", wait_until="commit", timeout=600_000)
        await page.wait_for_timeout(300)  # let the script run start
        await page.wait_for_function(_SETTLED, timeout=600_000, polling=100)
        took = time.perf_counter() - t0
        return took, bool(await page.locator('[data-testid="stException"]').count())

    return load, context.close


async def _walk(load: Loader, start: asyncio.Event, seconds: float) -> dict:
    loads: list[float] = []
    by_page: dict[str, list[float]] = {p: [] for p in PAGES}
    errors = 0
    first: float | None = None
    await start.wait()
    end = float("inf")  # the walk's seconds count from the session's first page
    k = 0
    while time.monotonic() < end:
        path = PAGES[k % len(PAGES)]
        k += 1
        try:
            took, error = await load(path)
        except Exception:  # noqa: BLE001 - a failed load counts as an error, not a crash
            errors += 1
            continue
        errors += error
        if first is None:
            first = took
            end = time.monotonic() + seconds
        else:
            loads.append(took)
            by_page[path].append(took)
    return {"first": first, "loads": loads, "by_page": by_page, "errors": errors}


def _summary(n: int, results: list[dict]) -> dict:
    loads = sorted(x for r in results for x in r["loads"])
    firsts = [r["first"] for r in results if r["first"] is not None]
    return {
        "n": n,
        "first_max": max(firsts) if firsts else float("nan"),
        "median": statistics.median(loads) if loads else float("nan"),
        "p90": statistics.quantiles(loads, n=10)[8] if len(loads) > 1 else float("nan"),
        "pages": len(loads) + len(firsts),
        "errors": sum(r["errors"] for r in results),
        "by_page": [
            statistics.median(xs) if xs else float("nan")
            for xs in ([x for r in results for x in r["by_page"][p]] for p in PAGES)
        ],
    }


async def _sessions(kind: str, url: str, n: int, seconds: float) -> dict:
    start = asyncio.Event()
    if kind == "light":
        tasks = [
            asyncio.create_task(_walk(lambda p: _light_load(url, p), start, seconds))
            for _ in range(n)
        ]
        await asyncio.sleep(0.5)
        start.set()
        return _summary(n, list(await asyncio.gather(*tasks)))
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        opened = [await _browser_loader(browser, url) for _ in range(n)]
        tasks = [asyncio.create_task(_walk(load, start, seconds)) for load, _ in opened]
        await asyncio.sleep(1.0)  # every context open before the first request
        start.set()
        results = list(await asyncio.gather(*tasks))
        for _, close in opened:
            await close()
        await browser.close()
    return _summary(n, results)


async def _first_opens(kind: str, url: str) -> list[float]:
    """Overview on the cold server, Network, then both again in new sessions."""
    if kind == "light":
        return [(await _light_load(url, p))[0] for p in ("", "network", "", "network")]
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        times = []
        for path in ("", "network", "", "network"):
            load, close = await _browser_loader(browser, url)  # a new session each time
            times.append((await load(path))[0])
            await close()
        await browser.close()
    return times


def _data(kind: str, folder: Path) -> dict[str, str]:
    env = {"NEO4J_URI": "", "NEO4J_PASSWORD": "", "GRAPHCAP_NEO4J_PORT": "1"}
    if kind == "realshape":
        from bench.realshape import real_shaped
        from graphcap.snapshot import write_snapshot

        snap, toml = folder / "realshape.gcap", folder / "graphcap.toml"
        if not snap.exists():
            net, _schema, text = real_shaped()
            toml.write_text(text, encoding="utf-8")
            write_snapshot(net, snap)
        env |= {"GRAPHCAP_SNAPSHOT": str(snap), "GRAPHCAP_CONFIG": str(toml)}
    return env


def _tree(rev: str, folder: Path) -> Path:
    """The source tree of git revision ``rev`` (git archive), for the baseline."""
    target = folder / f"tree-{rev.replace('/', '_')}"
    target.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


_FLOOR_APP = """\
import streamlit as st

TEXT = "A title and this line: what any Streamlit page costs, the floor of a page load."


def _page(title):
    def run():
        st.title(title)
        st.write(TEXT)

    run.__name__ = title.lower()
    return run


st.navigation([
    st.Page(_page("Overview"), title="Overview", default=True),
    st.Page(_page("Network"), title="Network", url_path="network"),
    st.Page(_page("Stakeholders"), title="Stakeholders", url_path="stakeholders"),
    st.Page(_page("Risks"), title="Risks", url_path="risks"),
]).run()
"""


def _floor_tree(folder: Path) -> Path:
    """A Streamlit app with the same four page paths, each only a title and a line: the
    baseline of what Streamlit and the browsers cost on this machine, whatever graphcap does."""
    target = folder / "tree-floor"
    target.mkdir()
    (target / "app.py").write_text(_FLOOR_APP, encoding="utf-8")
    return target


def _run(
    tree: Path,
    kind: str,
    data: dict[str, str],
    folder: Path,
    sessions: int,
    seconds: float,
    first_only: bool = False,
    cpu_rounds: int = 0,
) -> dict:
    tag = f"{tree.name}-{kind}"
    out: dict = {}
    steps = [("first", 0), ("warmed", 0), ("one", 1), ("many", sessions)]
    for step, n in steps:
        if step in ("one", "many") and first_only:
            continue
        if step == "warmed" and tree.name == "tree-floor":
            continue  # graphcap's warm-up waits for graphcap's caches; the floor has none
        env = {**data, "GRAPHCAP_DATA_DIR": str(folder / f"data-{tag}-{step}")}
        log = folder / f"app-{tag}-{step}.log"
        with running_app(env, log=log, timeout_s=300, root=tree) as url:
            if step == "warmed":  # what `graphcap app` does before the first user
                from graphcap.ui.warmup import warm_up

                t0 = time.perf_counter()
                warm_up(url)
                out["warm_s"] = time.perf_counter() - t0
            before = os.getloadavg()[0]
            if step in ("first", "warmed"):
                out[step] = asyncio.run(_first_opens(kind, url))
                if step == "warmed" and kind == "light":  # what each page sends a new session
                    out["bytes"] = {page: asyncio.run(_page_bytes(url, page)) for page in PAGES}
                # the floor has no warmed step: its CPU per page is measured on the first server
                cpu_step = "first" if tree.name == "tree-floor" else "warmed"
                if step == cpu_step and kind == "browser" and cpu_rounds:
                    out["cpu"] = asyncio.run(_page_cpu(url, cpu_rounds))
                    print(tag, "cpu", out["cpu"], flush=True)
            else:
                out[step] = asyncio.run(_sessions(kind, url, n, seconds))
            out[f"{step}_load"] = f"{before:.1f} / {os.getloadavg()[0]:.1f}"
        print(tag, step, out[step], out[f"{step}_load"], flush=True)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--data", choices=("sample", "realshape"), default="realshape")
    parser.add_argument("--clients", default="light,browser", help="light, browser or both")
    parser.add_argument("--baseline", default=None, help="git revision to measure as 'before'")
    parser.add_argument("--no-write", action="store_true", help="print, do not write PERFORMANCE")
    parser.add_argument("--first-only", action="store_true", help="only the first opens")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also measure a bare Streamlit app (a title per page) the same way: the floor",
    )
    parser.add_argument(
        "--cpu-rounds", type=int, default=4, help="browser: walks measuring CPU per page (0: none)"
    )
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.clients.split(",") if k.strip()]
    with tempfile.TemporaryDirectory(prefix="graphcap-bench-sessions-") as tmp:
        folder = Path(tmp)
        data = _data(args.data, folder)
        trees = [("this tree", ROOT)]
        if args.baseline:
            trees.append((f"before ({args.baseline})", _tree(args.baseline, folder)))
        if args.floor:
            trees.append(("Streamlit floor (a title per page)", _floor_tree(folder)))
        results = {
            (label, kind): _run(
                tree,
                kind,
                data,
                folder,
                args.sessions,
                args.seconds,
                args.first_only,
                args.cpu_rounds,
            )  # fmt: skip
            for kind in kinds
            for label, tree in trees
        }
    first_rows, load_rows = [], []
    page_names = dict(zip(PAGES, ("Overview", "Network", "Stakeholders", "Risks"), strict=True))
    for (label, kind), r in results.items():
        f = r["first"]
        first_rows.append([label, kind, *(f"{x:.2f}" for x in f), r["first_load"]])
        if "warmed" in r:
            warmed = f"{label}, after a {r['warm_s']:.1f} s warm-up"
            first_rows.append([warmed, kind, *(f"{x:.2f}" for x in r["warmed"]), r["warmed_load"]])
        if args.first_only:
            continue
        one = r["one"]
        for step in ("one", "many"):
            s = r[step]
            load_rows.append([
                label, kind, s["n"], f"{s['first_max']:.1f}", f"{s['median']:.2f}",
                " / ".join(f"{x:.2f}" for x in s["by_page"]),
                f"{s['p90']:.2f}", s["pages"], s["errors"], f"{s['median'] / one['median']:.2f}x",
                r[f"{step}_load"],
            ])  # fmt: skip
    byte_rows = [
        [label, page_names[page], f"{sum(sizes.values()) / 1e6:.2f}",
         ", ".join(f"{k} {v / 1e6:.2f}" for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])
                   if v >= 20_000)]
        for (label, _kind), r in results.items() if "bytes" in r
        for page, sizes in r["bytes"].items()
    ]  # fmt: skip
    data_text = (
        "the sample snapshot"
        if args.data == "sample"
        else "`bench/realshape.py`'s network (9,871 stakeholders, 16,461 relationships, "
        "19,600 interactions) as a snapshot"
    )
    intro = (
        f"`bench/bench_sessions.py --data {args.data} --clients {','.join(kinds)}"
        + (f" --baseline {args.baseline}" if args.baseline else "")
        + f"` on {data_text}: a fresh app server (no Neo4j) per measurement. *light*: "
        "Streamlit's websocket protocol without a browser (the server's time to run and send "
        "a page); *browser*: headless Chromium contexts on the same 2 cores as the server "
        "(until the page settled). Every page load is a new session, as a browser reload is. "
        f"{machine()}; the machine was shared with other work, so compare rows of the same "
        "run."
    )
    body = (
        intro
        + "\n\nFirst opens (seconds; one client, fresh server): the Overview on the cold server "
        "reads and analyses the data, the Network then lays it out; a new session opening each "
        "again is what every later user sees. *after a warm-up*: the same on a server that "
        "`graphcap app` warmed first (`graphcap.ui.warmup`).\n\n"
        + markdown_table(
            [
                "tree",
                "client",
                "Overview, cold server",
                "Network, first",
                "Overview, new session",
                "Network, new session",
                "load (1 min) before / after",
            ],
            first_rows,
        )  # fmt: skip
    )
    if not args.first_only:
        body += (
            f"\n\n{args.sessions} sessions at once for {args.seconds:g} s, walking Overview, "
            "Network, Stakeholders, Risks, against one session alone on the same tree and client:"
            "\n\n"
            + markdown_table(
                [
                    "tree",
                    "client",
                    "sessions",
                    "first load, slowest s",
                    "page load median s",
                    "median s by page (Overview / Network / Stakeholders / Risks)",
                    "p90 s",
                    "pages loaded",
                    "errors",
                    "median vs 1 session",
                    "load (1 min) before / after",
                ],
                load_rows,
            )  # fmt: skip
        )
    cpu_rows = [
        [label, *(f"{r['cpu'][p][0]:.2f} / {r['cpu'][p][1]:.2f}" for p in PAGES),
         f"{sum(r['cpu'][p][0] + r['cpu'][p][1] for p in PAGES) / len(PAGES):.2f}"]
        for (label, _kind), r in results.items() if "cpu" in r
    ]  # fmt: skip
    if cpu_rows:
        body += (
            f"\n\nCPU seconds of one page load, browser / server (one Chromium session on a "
            f"warmed server, median of {args.cpu_rounds} walks; CPU time depends far less than the wall "
            "time on the machine's load). With N sessions on C cores a page waits "
            "about N x (mean CPU per load) / C once the cores are saturated.\n\n"
            + markdown_table(["tree", *page_names.values(), "mean CPU s per load (both)"], cpu_rows)
        )
    if byte_rows:
        body += (
            "\n\nWhat a new session's page receives over the websocket (MB; the elements of "
            "20 kB or more):\n\n"
            + markdown_table(["tree", "page", "MB", "largest elements, MB"], byte_rows)
        )
    publish("Concurrent sessions", body, write=not args.no_write)


if __name__ == "__main__":
    main()
