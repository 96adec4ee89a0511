"""File names from snapshot names are harmless, and nothing is written outside the folder."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphcap.errors import ExportError
from graphcap.files import MAX_NAME_BYTES, output_path, safe_filename, write_atomic


@pytest.mark.parametrize(
    "name",
    [
        "../escape.csv",
        "..",
        "a/../../b.csv",
        "sub/file.csv",
        "..\\windows.csv",
        "/etc/passwd",
        "C:\\Windows\\x.csv",
        "c:x.csv",
        "nul\x00.csv",
        "bell\x07.csv",
        "CON",
        "con.pdf",
        "LPT1.txt",
        "COM9",
        "x" * (MAX_NAME_BYTES + 1),
        "ü" * (MAX_NAME_BYTES // 2 + 1),  # short in characters, too long in bytes
        "",
        "trailing.",
        "trailing ",
        "what?.csv",
        "a|b.csv",
    ],
)
def test_output_path_refuses_escapes_and_bad_names(tmp_path, name):
    with pytest.raises(ExportError):
        output_path(tmp_path, name)
    assert list(tmp_path.iterdir()) == []


def test_output_path_refuses_a_link_pointing_outside(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "report.pdf").symlink_to(outside / "report.pdf")
    with pytest.raises(ExportError, match="outside the output folder"):
        output_path(folder, "report.pdf")


def test_output_path_accepts_plain_and_unicode_names(tmp_path):
    for name in ("network.graphml", "Q3 board – Müller.pdf", "日本.csv", ".hidden.json"):
        path = output_path(tmp_path / "new", name)
        assert path.parent == (tmp_path / "new").resolve() and path.name == name


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["", ".pdf", ".tar.gz", ".csv"]))
def test_safe_filename_always_gives_an_acceptable_name(name, ext):
    made = safe_filename(name, ext=ext)
    assert made.endswith(ext) and len(made) > len(ext)
    assert len(made.encode("utf-8")) <= MAX_NAME_BYTES
    assert "/" not in made and "\\" not in made and "\x00" not in made
    assert not made.startswith((".", "-"))
    output_path("/tmp", made, create=False)  # never raises: the derived name passes the checks


def test_safe_filename_examples():
    assert safe_filename("Q3 / board: Müller & Co.", ext=".pdf") == "Q3 _ board_ Müller _ Co.pdf"
    assert safe_filename("..") == "graphcap"
    assert safe_filename("aux", ext=".pdf") == "_aux.pdf"
    assert safe_filename("  ") == "graphcap"
    with pytest.raises(ExportError):
        safe_filename("x", ext="/../.pdf")


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path):
    target = output_path(tmp_path, "keep.txt")
    target.write_text("old")

    def broken(tmp):
        tmp.write_text("half")
        raise OSError("disk full")

    with pytest.raises(ExportError, match="disk full"):
        write_atomic(target, broken)
    assert target.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["keep.txt"]
