"""Short legacy-encoded files: the guess must not turn letters into symbols (mojibake)."""

from __future__ import annotations

import pytest

from loaders import load_path


@pytest.mark.parametrize(
    "name",
    ["Müller GmbH", "Bäckerei Öztürk", "Weiß & Söhne", "Café Élan", "Ærø Shipping"],
)
def test_one_accented_name_in_cp1252_reads_as_written(tmp_path, name):
    path = tmp_path / "nodes.csv"
    path.write_bytes(f"id;name;type\n00123;{name};Kunde\n".encode("cp1252"))
    result = load_path(path)
    assert result.network.nodes["name"].tolist() == [name]
    assert result.network.nodes["id"].tolist() == ["00123"]
    assert any("read as cp1252" in str(p) for p in result.warnings)


def test_cyrillic_cp1251_export_still_reads_as_cyrillic(tmp_path):
    names = [
        "Петров и партнёры",
        "Северсталь-Сервис",
        "Московский завод точного литья",
        "Уральские трубы",
        "Торговый дом Волга",
    ]
    rows = "\n".join(f"C{i};{n};customer" for i, n in enumerate(names))
    path = tmp_path / "nodes.csv"
    path.write_bytes(f"id;name;type\n{rows}\n".encode("cp1251"))
    result = load_path(path)
    assert result.network.nodes["name"].tolist() == names


def test_a_cp1252_file_whose_umlauts_start_late_reads_as_cp1252(tmp_path):
    """The first 64 KB are plain ASCII and the German names come only at the end (the guess
    sees a sample: the start and the bytes around the first non-UTF-8 one)."""
    plain = "".join(f"P{i:05d};Plain Supplier {i};supplier\n" for i in range(3000))
    names = ["Müller Großhandel", "Bäckerei Schön", "Weiß Söhne", "Jürgen Käßler", "Öztürk Bau"]
    late = "".join(f"G{i:05d};{names[i % len(names)]} {i};customer\n" for i in range(200))
    path = tmp_path / "nodes.csv"
    path.write_bytes(("id;name;type\n" + plain + late).encode("cp1252"))
    assert path.stat().st_size > 65536 + 4096
    result = load_path(path)
    got = result.network.nodes.set_index("id")["name"]
    assert got["G00000"] == "Müller Großhandel 0"
    assert got["G00003"] == "Jürgen Käßler 3"
    assert any("read as cp1252" in str(p) for p in result.warnings)


@pytest.mark.parametrize(
    ("encoding", "names"),
    [
        ("cp1251", ["Петров и партнёры", "Уральские трубы", "Торговый дом Волга"]),
        ("cp1253", ["Ελληνικά Πετρέλαια", "Αθηναϊκή Ζυθοποιία", "Όμιλος Μυτιληναίος"]),
        ("cp1250", ["Łódzkie Zakłady Mięsne", "Spółdzielnia Śnieżka", "Żabka Polska"]),
    ],
)
def test_files_of_other_scripts_and_latin_codepages_keep_their_encoding(tmp_path, encoding, names):
    """Text of other scripts and of the Central European Latin code page keeps its encoding (a
    Polish cp1250 file was read as cp1252: 'Zak\u00b3ady' for 'Zakłady')."""
    rows = "".join(f"C{i};{n};customer\n" for i, n in enumerate(names * 20))
    path = tmp_path / "nodes.csv"
    path.write_bytes(f"id;name;type\n{rows}".encode(encoding))
    result = load_path(path)
    assert result.network.nodes["name"].tolist()[:3] == names
