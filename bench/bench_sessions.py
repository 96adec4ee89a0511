"""Concurrent sessions on one app server: N browser sessions at once vs one alone.

The app (``streamlit run app.py``, the embedded sample snapshot, no Neo4j) is started fresh for
each N. N sessions (separate browser contexts of one headless Chromium: separate Streamlit
sessions) open the Overview at the same moment on the cold server, then walk Overview ->
Network -> Stakeholders -> Risks for ``--seconds``. A page load is the time from ``goto`` until
the page has its title and Streamlit's "running" indicator is gone.

What it shows: the network, its analysis and its layout are cached per data version across
sessions (``graphcap.ui.state``: ``st.cache_data`` computes a key once, other sessions wait for
it and get a copy), so the first loads of N sessions cost about one computation, not N, and
the steady loads are limited by the two cores the sessions share. Baseline: one session alone
in the same run.

    python bench/bench_sessions.py --sessions 8 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import machine, markdown_table, write_section  # noqa: E402
from tests.ui.appserver import CHROMIUM_ARGS, running_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PAGES = ("", "network", "stakeholders", "risks")
_SETTLED = (
    "() => document.querySelector('h1') && "
    "!document.querySelector('[data-testid=\"stStatusWidget\"]')"
)


async def _session(browser, url: str, start: asyncio.Event, seconds: float) -> dict:  # type: ignore[no-untyped-def]
    context = await browser.new_context()
    page = await context.new_page()
    loads: list[float] = []
    errors = 0
    first: float | None = None
    try:
        await start.wait()
        end = time.monotonic() + seconds
        k = 0
        while time.monotonic() < end or first is None:
            path = PAGES[k % len(PAGES)]
            k += 1
            t0 = time.perf_counter()
            try:
                await page.goto(f"{url}/{path}", wait_until="commit", timeout=300_000)
                await page.wait_for_timeout(300)  # let the script run start
                await page.wait_for_function(_SETTLED, timeout=300_000, polling=100)
            except Exception:  # noqa: BLE001 - a failed load counts as an error, not a crash
                errors += 1
                continue
            took = time.perf_counter() - t0
            if first is None:
                first = took
            else:
                loads.append(took)
            if await page.locator('[data-testid="stException"]').count():
                errors += 1
    finally:
        await context.close()
    return {"first": first, "loads": loads, "errors": errors}


def _server_reruns(folder: Path, runs: int = 3) -> list[list[str]]:
    """Server-side time of one warm rerun per page (AppTest in this process, no browser): what
    one session costs the server once the per-version work is cached."""
    import os

    from streamlit.testing.v1 import AppTest

    os.environ.update({"GRAPHCAP_DATA_DIR": str(folder / "data-apptest"), "NEO4J_URI": "",
                       "NEO4J_PASSWORD": ""})  # fmt: skip
    app = Path(__file__).resolve().parents[1] / "app.py"
    rows = []
    for path in PAGES:
        page = path or "overview"
        at = AppTest.from_file(str(app), default_timeout=300)
        at.run()
        at.switch_page(f"graphcap/ui/pages/{page}.py")
        at.run()
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
        rows.append([page.capitalize(), f"{statistics.median(times):.2f}"])
    return rows


async def _run(n: int, seconds: float, folder: Path) -> dict:
    from playwright.async_api import async_playwright

    env = {"GRAPHCAP_DATA_DIR": str(folder / f"data-{n}"), "NEO4J_URI": "",
           "NEO4J_PASSWORD": "", "GRAPHCAP_NEO4J_PORT": "1"}  # fmt: skip
    with running_app(env, log=folder / f"app-{n}.log", timeout_s=180) as url:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            start = asyncio.Event()
            tasks = [asyncio.create_task(_session(browser, url, start, seconds)) for _ in range(n)]
            await asyncio.sleep(1.0)  # every context open before the first request
            start.set()
            results = await asyncio.gather(*tasks)
            await browser.close()
    loads = sorted(x for r in results for x in r["loads"])
    firsts = [r["first"] for r in results if r["first"] is not None]
    return {
        "n": n,
        "first_max": max(firsts) if firsts else float("nan"),
        "median": statistics.median(loads) if loads else float("nan"),
        "p90": statistics.quantiles(loads, n=10)[8] if len(loads) > 1 else float("nan"),
        "pages": len(loads) + len(firsts),
        "errors": sum(r["errors"] for r in results),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--no-write", action="store_true", help="print, do not write PERFORMANCE")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="graphcap-bench-sessions-") as tmp:
        one = asyncio.run(_run(1, args.seconds, Path(tmp)))
        many = asyncio.run(_run(args.sessions, args.seconds, Path(tmp)))
        server = _server_reruns(Path(tmp))
    rows = []
    for r in (one, many):
        rows.append([
            f"{r['n']} session(s)", f"{r['first_max']:.1f}", f"{r['median']:.2f}",
            f"{r['p90']:.2f}", r["pages"], r["errors"],
            f"{r['median'] / one['median']:.2f}x", f"{r['first_max'] / one['first_max']:.2f}x",
        ])  # fmt: skip
    table = markdown_table(
        ["sessions at once", "first load, slowest session s", "page load median s", "p90 s",
         "pages loaded", "errors", "median vs 1 session", "first load vs 1 session"],
        rows,
    )  # fmt: skip
    intro = (
        f"`bench/bench_sessions.py`: {args.sessions} browser sessions (headless Chromium "
        f"contexts) at once vs one alone, each on a fresh app server on the sample snapshot, "
        f"each session walking Overview, Network, Stakeholders, Risks for {args.seconds:g} s "
        "after opening the Overview together on the cold server. The network, analysis and "
        "layout are cached per data version across sessions (`graphcap.ui.state`: computed "
        "once under Streamlit's per-key lock, the other sessions wait and get a copy; a copy "
        "of the sample's network, analysis and view costs ~25 ms per rerun, the analysis "
        "itself ~0.4 s). The browsers run on the same 2 cores as the server, so N sessions "
        "cost at least N times the CPU of one: a ratio near N means they share it fairly, well "
        "above N that work per page grows under load. "
        f"{machine()}; the machine was shared with other work, so compare the ratios."
    )
    table += (
        "\n\nWhere the time goes: one warm rerun of each page on the server alone (AppTest, no "
        "browser, median of 3), the server's share of a page load once the per-version work "
        "is cached:\n\n" + markdown_table(["page", "server rerun s"], server)
    )
    if args.no_write:
        print(intro + "\n\n" + table)
    else:
        write_section("Concurrent sessions", intro + "\n\n" + table)
        print(table)


if __name__ == "__main__":
    main()
