"""Streamed validation for ``graphcap import --bulk`` (:mod:`loaders.stream`): part by part, it
finds exactly the normal loader's problems (same rows, columns, reasons, order) and writes
byte for byte the offline importer's files the in-memory path writes, whatever the part size.
No Neo4j: a refused input never gets past validation (the CLI test has no server to reach)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graphcap.cli import cli
from graphcap.cli.bulk import validate_streamed
from graphcap.errors import ImportFailed, ValidationError
from graphcap.model.schema import DEFAULT_SCHEMA
from graphcap.sample.huge import huge_chunks
from graphcap.store.bulk import write_bulk_files
from loaders import loader_for
from loaders.stream import StreamedCsv, _parts, streamable

NODES = "id,name,type,revenue\nA,Alpha,customer,10.5\nB,Beta,supplier,3\nC,Gamma,partner,\n"


def _folder(tmp_path: Path, nodes: str, edges: str, name: str = "in") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "nodes.csv").write_text(nodes, encoding="utf-8")
    (folder / "edges.csv").write_text(edges, encoding="utf-8")
    return folder


def _normal(folder: Path):
    return loader_for(folder, schema=DEFAULT_SCHEMA).load()


def _streamed(folder: Path, chunk_rows: int, out: Path | None = None):
    loader = loader_for(folder, schema=DEFAULT_SCHEMA)
    assert streamable(loader)
    stream = StreamedCsv(loader, chunk_rows=chunk_rows)
    if out is None:
        return stream.validate(lambda frame: None)
    import loaders.stream as module

    saved = module.CHUNK_ROWS
    module.CHUNK_ROWS = chunk_rows
    try:
        return validate_streamed(loader, DEFAULT_SCHEMA, out)
    finally:
        module.CHUNK_ROWS = saved


def _problems(exc: ValidationError) -> list[dict]:
    return [p.as_dict() for p in exc.problems]


def _same_problems(folder: Path, chunk_rows: int) -> list[dict]:
    with pytest.raises(ValidationError) as normal:
        _normal(folder)
    with pytest.raises(ValidationError) as streamed:
        _streamed(folder, chunk_rows)
    assert _problems(streamed.value) == _problems(normal.value)
    return _problems(normal.value)


def test_parts_end_only_outside_quoted_cells_and_count_records(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(b'h1,h2\n1,"a\nb"\n2,x\r\n\n3,"c ""q"" d"\r4,y\n')
    parts = list(_parts(path, 1, "utf-8", ","))
    assert [p[0] for p in parts] == ["h1,h2\n"] * 5
    assert [p[1] for p in parts] == ['1,"a\nb"\n', "2,x\r\n", "\n", '3,"c ""q"" d"\r', "4,y\n"]
    assert [p[2] for p in parts] == [0, 1, 2, 3, 4]  # records before: a quoted break is none
    (tmp_path / "h.csv").write_bytes(b"h1,h2\n")
    assert list(_parts(tmp_path / "h.csv", 10, "utf-8", ",")) == [("h1,h2\n", "", 0)]


@pytest.mark.parametrize("chunk_rows", [13, 400, 10_000])
def test_streamed_files_equal_the_in_memory_bulk_files(tmp_path, chunk_rows):
    nodes, edges = next(huge_chunks(stakeholders=300, relationships=1500, seed=5, chunk=300))
    folder = tmp_path / "in"
    folder.mkdir()
    nodes.to_csv(folder / "nodes.csv", index=False)
    edges = edges.assign(
        last_contact=[f"2024-0{1 + i % 9}-1{i % 10}" if i % 3 else "" for i in range(len(edges))],
        note=[f'say "hi"\nline {i}' if i % 11 == 0 else f"n{i}" for i in range(len(edges))],
    )
    edges.to_csv(folder / "edges.csv", index=False)
    result = _normal(folder)
    expected = write_bulk_files(result.network, DEFAULT_SCHEMA, tmp_path / "memory")
    found, files, counts = _streamed(folder, chunk_rows, tmp_path / "streamed")
    assert files is not None
    assert counts == {"nodes": 300, "edges": len(edges), "interactions": 0}
    for kind in ("nodes", "edges"):
        assert Path(files[kind]).read_bytes() == Path(expected[kind]).read_bytes(), kind
    assert [p.as_dict() for p in found.problems] == [p.as_dict() for p in result.problems]
    latest = result.network.edges["last_contact"].max()
    assert found.network.edges["last_contact"].tolist() == [latest]  # the data's date
    assert sorted(p.name for p in (tmp_path / "streamed").iterdir()) == ["edges.csv", "nodes.csv"]


@pytest.mark.parametrize("late", ["2,5", "1.234"])
def test_decimal_separator_is_decided_over_the_whole_file(tmp_path, late):
    # volume: whole numbers in the first parts, then a value that decides the separator
    pairs = [("A", "B"), ("B", "C"), ("C", "A"), ("B", "A"), ("A", "C"), ("C", "B")]
    lines = [
        f"{a};{b};{t};0,{i % 10};{late if i == 20 else i}\n"
        for i, ((a, b), t) in enumerate(
            [(p, t) for t in ("INFLUENCES", "SUPPLIES", "PARTNERS_WITH", "REFERS") for p in pairs]
        )
    ]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "nodes.csv").write_text(NODES.replace(",", ";").replace("10.5", "10,5"))
    (folder / "edges.csv").write_text("source;target;type;trust;volume\n" + "".join(lines))
    result = _normal(folder)
    expected = write_bulk_files(result.network, DEFAULT_SCHEMA, tmp_path / "memory")
    _found, files, _counts = _streamed(folder, 5, tmp_path / "streamed")
    assert files is not None
    assert Path(files["edges"]).read_bytes() == Path(expected["edges"]).read_bytes()


HOSTILE_EDGES = (
    "source,target,type,trust,interactions,since\n"
    "A,B,INFLUENCES,0.5,3,2020-01-01\n"
    "A,Z,INFLUENCES,0.5,3,2020-01-01\n"  # dangling target
    "A,B,INFLUENCES,0.7,4,2021-01-01\n"  # duplicate of row 2, in another part
    ",B,SUPPLIES,1.5,-2,yesterday\n"  # empty source, trust out of range, negative count, date
    'B,C,"INFLUENCES`]->() DETACH DELETE n //",abc,x,2020-13-40\n'  # hostile type, bad values
    "C,A,SUPPLIES,0.1,1,2020-01-01,stray,values\n"  # too many values
    "C,\x00A,SUPPLIES,0.1,1,2020-01-01\n"  # NUL
    'C,"A\nB",SUPPLIES,0.2,1,2020-01-01\n'  # a line break inside an id
    "=cmd|'/C calc'!A0,B,SUPPLIES,0.2,1,2020-01-01\n"  # a formula: a dangling source
    "a,b,influences,0.5,3,2020-01-01\n"
    "A,B,INFLUENCES,0.9,5,2022-01-01\n"  # the same relationship a third time
    "B,A,Ã¼ber,0.5,3,2020-01-01\n"  # mojibake type
)


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 100])
def test_hostile_relationships_give_the_normal_loaders_problems(tmp_path, chunk_rows):
    problems = _same_problems(_folder(tmp_path, NODES, HOSTILE_EDGES), chunk_rows)
    rows = [p["row"] for p in problems]
    assert rows == sorted(rows) and len(problems) >= 12
    dup = [p for p in problems if "duplicate relationship" in p["why"]]
    assert [(p["row"], "also in row 2" in p["why"]) for p in dup] == [(4, True), (12, True)]


def test_bad_stakeholders_and_headers_give_the_normal_loaders_problems(tmp_path):
    bad_nodes = NODES + "A,Again,customer,1\nD,,alien,1e999x\nE,Ε,customer,\n"
    _same_problems(_folder(tmp_path, bad_nodes, HOSTILE_EDGES, "a"), 2)
    # a required column missing (fatal: no row of the file is checked), a column twice
    _same_problems(_folder(tmp_path, NODES, "source,target,trust,trust\nA,B,1,2\n", "b"), 1)
    # a file of garbage bytes
    garbage = bytes(range(256)).decode("latin-1") * 3
    _same_problems(_folder(tmp_path, NODES, "source,target,type\n" + garbage + "\n", "c"), 1)


def test_many_duplicates_and_dangling_ends_across_parts(tmp_path):
    edges = "source,target,type\n" + "A,B,INFLUENCES\nB,C,SUPPLIES\nX,A,SUPPLIES\n" * 40
    _same_problems(_folder(tmp_path, NODES, edges), 7)


def test_a_column_typed_apart_in_parts_is_refused_before_neo4j(tmp_path):
    # whole numbers in the first part, a decimal in the second: the whole file is decimals
    edges = "source,target,type,score_x\nA,B,INFLUENCES,1\nB,C,SUPPLIES,2.5\n"
    folder = _folder(tmp_path, NODES, edges)
    with pytest.raises(ImportFailed, match="score_x"):
        _streamed(folder, 1, tmp_path / "out")
    _streamed(folder, 10, tmp_path / "out2")  # one part: as the whole file


def test_cli_bulk_refuses_bad_input_with_the_dry_runs_report(tmp_path, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path / "data"))  # no server there
    folder = _folder(tmp_path, NODES, HOSTILE_EDGES)
    runner = CliRunner()
    dry = runner.invoke(cli, ["import", str(folder), "--dry-run"])
    bulk = runner.invoke(cli, ["import", "--bulk", str(folder)])
    assert dry.exit_code == bulk.exit_code == 3, bulk.output
    assert bulk.stderr == dry.stderr
    assert not (tmp_path / "data" / "neo4j" / "data").exists()  # no database was made
