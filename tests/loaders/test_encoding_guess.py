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
