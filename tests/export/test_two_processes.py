"""``export_files(workers=2)`` (what ``graphcap export`` uses on 2+ CPUs) writes the formats in
this process and a forked one, each taking the next format: the same files as one process
writes, listed in the same order; every format is attempted, the first failing one in the
requested order is raised once both processes end, and every other file is whole."""

from __future__ import annotations

import io
import os
import re
import zipfile

import pytest
from pypdf import PdfReader

from graphcap.analysis import analyze
from graphcap.errors import ExportError
from graphcap.export.bundle import COST, FORMATS, _run, export_files, heaviest_first
from graphcap.sample import generate_sample

OPTIONS = {
    "title": "Board",
    "provenance": {"source": "test"},
    "lang": "en",
    "image": {"width_px": 600, "height_px": 400, "dpi": 100},
}


@pytest.fixture(scope="module")
def small():
    net = generate_sample(customers=40, suppliers=15, partners=10, agencies=10, competitors=10)
    return net, analyze(net)


def _same(a, b) -> bool:
    """The same file, but for what differs between any two runs (matplotlib's random SVG ids,
    the workbook's and the PDF's creation time)."""
    x, y = a.read_bytes(), b.read_bytes()
    if a.suffix == ".svg":
        ids = re.compile(rb"\b[pm][0-9a-f]{10}\b")
        return ids.sub(b"ID", x) == ids.sub(b"ID", y)
    if a.suffix == ".xlsx":
        za, zb = zipfile.ZipFile(io.BytesIO(x)), zipfile.ZipFile(io.BytesIO(y))
        names = za.namelist()
        return names == zb.namelist() and all(
            za.read(n) == zb.read(n) for n in names if n != "docProps/core.xml"
        )
    if a.suffix == ".pdf":
        pa, pb = PdfReader(io.BytesIO(x)).pages, PdfReader(io.BytesIO(y)).pages
        return len(pa) == len(pb) and all(
            p.extract_text() == q.extract_text() for p, q in zip(pa, pb, strict=True)
        )
    return x == y


def test_heaviest_formats_are_taken_first():
    order = heaviest_first(list(FORMATS))
    assert sorted(order) == sorted(FORMATS)
    assert [COST[f] for f in order] == sorted(COST.values(), reverse=True)
    assert heaviest_first(["csv", "html", "pdf"]) == ["pdf", "csv", "html"]  # ties keep order


def test_two_processes_write_the_same_files_in_the_same_order(tmp_path, small):
    net, analysis = small
    wanted = list(FORMATS)
    one = export_files(wanted, net, analysis, tmp_path / "one", "n", **OPTIONS)
    two = export_files(wanted, net, analysis, tmp_path / "two", "n", workers=2, **OPTIONS)
    assert [fmt for fmt, _p, _s in two] == wanted
    assert [[p.name for p in paths] for _f, paths, _s in two] == [
        [p.name for p in paths] for _f, paths, _s in one
    ]
    pairs = [
        (a, b)
        for (_f, pa, _s), (_g, pb, _t) in zip(one, two, strict=True)
        for a, b in zip(pa, pb, strict=True)
    ]
    assert len(pairs) >= len(FORMATS)
    assert [a.name for a, b in pairs if not _same(a, b)] == []
    assert sorted(p.name for p in (tmp_path / "two").rglob(".*")) == []  # no temporary files


def test_a_failing_format_is_raised_and_the_other_files_are_whole(tmp_path, small):
    net, analysis = small
    wanted = ["csv", "json", "pdf", "graphml"]
    ref = export_files(wanted, net, analysis, tmp_path / "ref", "n", **OPTIONS)
    out = tmp_path / "out"
    (out / "n.pdf").mkdir(parents=True)  # a folder where the PDF should go: it cannot be written
    with pytest.raises(ExportError, match=r"n\.pdf"):
        export_files(wanted, net, analysis, out, "n", workers=2, **OPTIONS)
    assert (out / "n.pdf").is_dir()
    for _fmt, paths, _s in ref:
        for p in paths:
            if p.suffix != ".pdf":
                assert _same(p, out / p.relative_to(tmp_path / "ref"))
    assert [p.name for p in out.rglob(".*")] == []  # no half-written file left

    # both sides fail: the format asked for first is the one raised
    (out / "n.json").unlink()
    (out / "n.json").mkdir()
    with pytest.raises(ExportError, match=r"n\.json"):
        export_files(wanted, net, analysis, out, "n", workers=2, **OPTIONS)
    with pytest.raises(ExportError, match=r"n\.pdf"):
        export_files(["pdf", *wanted[:2]], net, analysis, out, "n", workers=2, **OPTIONS)


def test_a_helper_that_dies_is_named():
    import multiprocessing

    parent = os.getpid()
    started = multiprocessing.get_context("fork").Event()
    written = []

    def write(fmt):
        if os.getpid() != parent:
            started.set()
            os._exit(3)  # the forked helper ends without a word on the format it took
        if not written:
            # this process holds the heaviest format until the helper has taken the next one
            assert started.wait(timeout=120)
        written.append(fmt)
        return []

    with pytest.raises(ExportError, match=r"writing json stopped unexpectedly \(exit code 3\)"):
        _run(["csv", "json", "pdf", "graphml"], write, 2)
    assert written == ["pdf", "graphml", "csv"]  # heaviest first; json went to the helper
