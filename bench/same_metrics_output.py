"""Check: every output of `graphcap metrics` is byte for byte the same in two checkouts.

A speed-up of the command must not change what it prints. This runs, in each checkout's own
process, the summary (text; JSON without ``timings``, which are seconds), every ``--table`` as
JSON and CSV, and ``--what-if`` / ``--intro`` as JSON, against the Neo4j in ``NEO4J_URI``... (the
network already imported, ``GRAPHCAP_CONFIG`` set) or, with ``--snapshot FILE``, on that
snapshot; it prints one line per output and exits 1 when any differs.

Run: ``python bench/same_metrics_output.py --other /work/main [--snapshot sample.gcap]
[--what-if ID] [--intro ID]``. Not run by ``python -m bench`` (it needs a second checkout).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: runs `graphcap ARGS` from the checkout in argv[1] (its code first on sys.path)
_CLI = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); "
    "from graphcap.cli import main; sys.argv[0] = 'graphcap'; sys.exit(main())"
)
TABLES = ("nodes", "edges", "risks", "rci", "communities")


def outputs(what_if: str | None, intro: str | None) -> list[list[str]]:
    """The argument lists of `graphcap metrics` to compare."""
    runs = [[], ["--format", "json"]]
    for table in TABLES:
        runs += [["--table", table, "--format", "json"], ["--table", table, "--format", "csv"]]
    if what_if:
        runs.append(["--what-if", what_if, "--format", "json"])
    if intro:
        runs.append(["--intro", intro, "--format", "json"])
    return runs


def printed(where: Path, args: list[str]) -> str:
    """What `graphcap metrics ARGS` of checkout ``where`` prints (JSON summaries without
    their ``timings``)."""
    proc = subprocess.run(
        [sys.executable, "-c", _CLI, str(where), "metrics", *args],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if proc.returncode:
        raise RuntimeError(f"{where}: graphcap metrics {' '.join(args)}: {proc.stderr[-2000:]}")
    text = proc.stdout
    if args[-2:] == ["--format", "json"] and not {"--table", "--what-if", "--intro"} & set(args):
        doc = json.loads(text)
        doc.pop("timings", None)
        text = json.dumps(doc, sort_keys=True)
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--other", required=True, type=Path, help="the checkout to compare with")
    ap.add_argument("--snapshot", type=Path, help="compare on this snapshot file, not Neo4j")
    ap.add_argument("--what-if", dest="what_if", help="a stakeholder id for --what-if")
    ap.add_argument("--intro", help="a stakeholder id for --intro")
    args = ap.parse_args(argv)
    source = ["--snapshot", str(args.snapshot.resolve())] if args.snapshot else []
    differ = 0
    for run in outputs(args.what_if, args.intro):
        cli = [*source, *run]
        this, other = printed(ROOT, cli), printed(args.other, cli)
        same = this == other
        differ += not same
        print(f"{'same' if same else 'DIFFERS'}: {len(this):>9,} bytes  metrics {' '.join(cli)}")
    print("every output identical" if not differ else f"{differ} output(s) differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
