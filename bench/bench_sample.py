"""Sample generator and snapshot files at benchmark scale.

Generates the ``bench`` sample (100 000 stakeholders, about half a million relationships, the
interaction log capped at 250 000 rows), then writes and reads it as a snapshot file against
baselines run in the same process on the same frames: plain pandas CSV (``to_csv`` /
``read_csv`` with dtypes and dates), plain Parquet (``to_parquet`` / ``read_parquet``, what a
snapshot holds without its checks and exact dtype restoration), and graphcap's own CSV loader
(the validating path a data steward's files take).

Run: ``python -m bench sample`` (writes the "Sample network and snapshots" section of
docs/PERFORMANCE.md).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import machine, markdown_table, measure, ratio, write_section  # noqa: E402

FRAMES = ("nodes", "edges", "interactions")


def main() -> None:
    import pandas as pd

    from graphcap.sample import SCALES, generate_sample
    from graphcap.snapshot import read_snapshot, write_snapshot
    from loaders import load_path

    tmp = Path(tempfile.mkdtemp(prefix="bench-sample-"))
    try:
        gen = measure(lambda: generate_sample(**SCALES["bench"]), runs=3)
        net = gen.result
        frames = {name: getattr(net, name) for name in FRAMES}
        c = net.counts

        def to_csv() -> None:
            for name, frame in frames.items():
                frame.to_csv(tmp / f"{name}.csv", index=False, date_format="%Y-%m-%d")

        def read_csv() -> None:
            dates = {
                "nodes": ["since"],
                "edges": ["since", "contract_until", "last_contact"],
                "interactions": ["date"],
            }
            for name in FRAMES:
                pd.read_csv(
                    tmp / f"{name}.csv",
                    dtype={"id": str, "source": str, "target": str},
                    parse_dates=dates[name],
                    low_memory=False,
                )

        def to_parquet() -> None:
            for name, frame in frames.items():
                frame.to_parquet(tmp / f"{name}.parquet", index=False)

        def read_parquet() -> None:
            for name in FRAMES:
                pd.read_parquet(tmp / f"{name}.parquet")

        snap = tmp / "bench.gcap"
        w_snap = measure(lambda: write_snapshot(net, snap), runs=3)
        w_csv = measure(to_csv, runs=3)
        w_pq = measure(to_parquet, runs=3)
        r_snap = measure(lambda: read_snapshot(snap), runs=3)
        r_csv = measure(read_csv, runs=3)
        r_pq = measure(read_parquet, runs=3)
        back = r_snap.result
        for name in FRAMES:  # the timed read gave back exactly what was written
            pd.testing.assert_frame_equal(getattr(back, name), frames[name])
        r_loader = measure(lambda: load_path(tmp), runs=1)
        size_snap = snap.stat().st_size
        size_csv = sum((tmp / f"{n}.csv").stat().st_size for n in FRAMES)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    rows = [
        ["generate_sample(**SCALES['bench'])", gen.text, "—", "target < 60 s"],
        [
            "write_snapshot",
            w_snap.text,
            ratio(w_snap, w_csv),
            f"{ratio(w_snap, w_pq)} of plain Parquet",
        ],
        ["  pandas to_csv (baseline)", w_csv.text, "1.00x", ""],
        ["  pandas to_parquet (baseline)", w_pq.text, ratio(w_pq, w_csv), ""],
        [
            "read_snapshot (checksums, exact dtypes)",
            r_snap.text,
            ratio(r_snap, r_csv),
            f"{ratio(r_snap, r_pq)} of plain Parquet",
        ],
        ["  pandas read_csv (baseline)", r_csv.text, "1.00x", ""],
        ["  pandas read_parquet (baseline)", r_pq.text, ratio(r_pq, r_csv), ""],
        [
            "  graphcap CSV loader, validating (baseline)",
            r_loader.text,
            ratio(r_loader, r_csv),
            "1 run",
        ],
    ]
    body = (
        __doc__.split("\n\n")[1].replace("\n", " ")
        + f"\n\nMeasured {machine()}. Network: {c['nodes']:,} stakeholders, {c['edges']:,} "
        f"relationships, {c['interactions']:,} interactions. Snapshot {size_snap / 1e6:.1f} MB, "
        f"the same as CSV {size_csv / 1e6:.1f} MB. Medians of 3 runs unless stated; the ratio "
        "column is against pandas CSV (write rows against to_csv, read rows against read_csv).\n\n"
        + markdown_table(["step", "median s", "vs pandas CSV", "note"], rows)
    )
    write_section("Sample network and snapshots", body)
    print(body)


if __name__ == "__main__":
    main()
