"""Snapshot files (.gcap) and the embedded snapshot source: exact round trips, the source's read
interface, and every way a file can be broken, each with its own precise error."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphcap.errors import ExportError, SchemaError
from graphcap.model import Network
from graphcap.model.schema import DEFAULT_SCHEMA
from graphcap.sample import SCALES, generate_sample, sample_small
from graphcap.snapshot import (
    SnapshotSource,
    default_snapshot_path,
    ensure_sample_snapshot,
    read_manifest,
    read_snapshot,
    read_snapshot_frames,
    write_snapshot,
)
from graphcap.source import GraphSource


@pytest.fixture(scope="module")
def small() -> Network:
    return sample_small()


def assert_network_equal(a: Network, b: Network) -> None:
    pd.testing.assert_frame_equal(a.nodes, b.nodes)
    pd.testing.assert_frame_equal(a.edges, b.edges)
    pd.testing.assert_frame_equal(a.interactions, b.interactions)


# -- round trips --------------------------------------------------------------------------------


def test_sample_round_trip_keeps_frames_and_meta(tmp_path: Path, small: Network) -> None:
    path = write_snapshot(
        small, tmp_path / "s.gcap", meta={"source": "test", "when": datetime(2026, 1, 2, 3, 4)}
    )
    back = read_snapshot(path)
    assert_network_equal(small, back)
    assert back.meta == {**small.meta, "source": "test", "when": datetime(2026, 1, 2, 3, 4)}
    assert type(back.meta["as_of"]) is date
    manifest = read_manifest(path)
    assert manifest["counts"]["nodes"] == len(small.nodes)
    assert manifest["counts"]["edges_by_type"] == small.counts_by_type()["edges"]
    with zipfile.ZipFile(path) as zf:  # the stored checksums are the members' real sha256
        for member, spec in manifest["members"].items():
            assert hashlib.sha256(zf.read(member)).hexdigest() == spec["sha256"]


DTYPE_CASES = {
    "object_none": pd.Series(["a", None, "ü"], dtype=object),
    "object_nan": pd.Series(["a", np.nan, "ß"], dtype=object),
    "object_mixed": pd.Series([1, "a", 2.5, None, True], dtype=object),
    "object_lists": pd.Series(
        [["a", "b"], ("x", 1), {"k": [1, None]}, {"$odd": 1}, None], dtype=object
    ),
    "object_dates": pd.Series(
        [
            date(2024, 1, 2),
            pd.Timestamp("2024-01-02 10:00:00.000000001"),
            datetime(2020, 5, 6, 7, 8),
            pd.NaT,
            pd.NA,
        ],
        dtype=object,
    ),
    "object_floats": pd.Series([float("nan"), float("inf"), -0.0, 1e308], dtype=object),
    "str": pd.Series(["x", None, "Петров"], dtype="str"),
    "string": pd.Series(["x", None, "😀"], dtype="string"),
    "Int64": pd.array([1, None, -(2**62)], dtype="Int64"),
    "boolean": pd.array([True, None, False], dtype="boolean"),
    "Float64": pd.array([1.5, None, 2.0], dtype="Float64"),
    "float": pd.Series([0.1, np.nan, np.inf, -np.inf]),
    "int": pd.Series([1, 2, 3], dtype="int32"),
    "bool": pd.Series([True, False]),
    "dt_ns": pd.Series(pd.to_datetime(["2024-01-01", None, "1677-09-22"])).astype("datetime64[ns]"),
    "dt_s": pd.Series(pd.to_datetime(["2024-01-01", None])).astype("datetime64[s]"),
    "dt_tz": pd.Series(pd.to_datetime(["2024-03-31 01:30", None])).dt.tz_localize("Europe/Berlin"),
    "category": pd.Series(
        pd.Categorical(["b", "a", None], categories=["b", "a", "c"], ordered=True)
    ),
    "timedelta": pd.to_timedelta(pd.Series([1, None, 3]), unit="D"),
    "empty_object": pd.Series([], dtype=object),
}


@pytest.mark.parametrize("case", sorted(DTYPE_CASES))
def test_every_dtype_survives_exactly(tmp_path: Path, case: str) -> None:
    col = pd.Series(DTYPE_CASES[case]).reset_index(drop=True)
    n = len(col)
    nodes = pd.DataFrame(
        {
            "id": [f"n{i}" for i in range(n)],
            "name": ["x"] * n,
            "type": ["customer"] * n,
            "extra": col,
        }
    )
    net = Network(nodes=nodes, edges=pd.DataFrame(columns=["source", "target", "type"]))
    back = read_snapshot(write_snapshot(net, tmp_path / "d.gcap"))
    pd.testing.assert_frame_equal(back.nodes, nodes)
    pd.testing.assert_frame_equal(back.edges, net.edges)
    for a, b in zip(nodes["extra"], back.nodes["extra"], strict=True):
        assert type(a) is type(b)  # None stays None, NaN stays NaN, a tuple stays a tuple


HOSTILE = [
    '=HYPERLINK("http://x")',
    "'; MATCH (n) DETACH DELETE n //",
    "a`b\u0060c",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "\u202eevil\u202c",
    "Müller & Söhne GmbH",
    "ООО «Ромашка»",
    "株式会社テスト",
    "😀🏭",
    "tab\there",
    "line\nbreak\r\n",
    "\x00nul",
    "",
    " ",
    "NA",
    "None",
    "00123",
    "e\u0301",
    "é",
]

names = st.one_of(
    st.sampled_from(HOSTILE), st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            names,
            names,
            st.floats(allow_nan=True, allow_infinity=True),
            st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_any_unicode_and_numbers_survive(tmp_path: Path, rows: list) -> None:
    n = len(rows)
    nodes = pd.DataFrame(
        {
            "id": [f"{i}:{r[0]}" for i, r in enumerate(rows)],
            "name": pd.Series([r[1] for r in rows], dtype=object),
            "type": ["customer"] * n,
            "revenue": [r[2] for r in rows],
            "count": pd.array([r[3] for r in rows], dtype="Int64"),
            "label": pd.Series([r[1] for r in rows], dtype="str"),
        }
    )
    ids = nodes["id"]
    edges = pd.DataFrame(
        {
            "source": ids,
            "target": ids[::-1].to_numpy(),
            "type": "REFERS",
            "kind": pd.Series([r[0] for r in rows], dtype=object),
        }
    )
    net = Network(nodes=nodes, edges=edges, meta={"note": rows[0][1], "n": n})
    back = read_snapshot(write_snapshot(net, tmp_path / "h.gcap"))
    assert_network_equal(net, back)
    assert back.meta == net.meta


def test_lone_surrogate_is_refused_naming_the_column(tmp_path: Path) -> None:
    nodes = pd.DataFrame(
        {"id": ["a"], "name": pd.Series(["bad\ud800"], dtype=object), "type": ["customer"]}
    )
    net = Network(nodes=nodes, edges=pd.DataFrame(columns=["source", "target", "type"]))
    with pytest.raises(ExportError, match=r"frame 'nodes', column 'name'"):
        write_snapshot(net, tmp_path / "x.gcap")
    assert list(tmp_path.iterdir()) == []


def test_extra_frames(tmp_path: Path, small: Network) -> None:
    metrics = pd.DataFrame(
        {"id": small.nodes["id"], "pagerank": np.linspace(0, 1, len(small.nodes))}
    )
    path = write_snapshot(small, tmp_path / "m.gcap", extra_frames={"metrics": metrics})
    frames = read_snapshot_frames(path)
    assert list(frames) == ["nodes", "edges", "interactions", "metrics"]
    pd.testing.assert_frame_equal(frames["metrics"], metrics)
    pd.testing.assert_frame_equal(SnapshotSource(path).frames(["metrics"])["metrics"], metrics)
    with pytest.raises(
        ExportError, match="has no frame 'risks'; it has: nodes, edges, interactions, metrics"
    ):
        read_snapshot_frames(path, ["risks"])
    for bad in ("nodes", "../x", "Metrics", "a b", ""):
        with pytest.raises(ExportError, match="extra frame name"):
            write_snapshot(small, tmp_path / "bad.gcap", extra_frames={bad: metrics})


def test_failed_write_leaves_the_old_snapshot_and_no_temp_file(
    tmp_path: Path, small: Network
) -> None:
    path = write_snapshot(small, tmp_path / "keep.gcap")
    before = path.read_bytes()
    broken = small.nodes.copy()
    broken["thing"] = pd.Series([object()] * len(broken), dtype=object)
    with pytest.raises(
        ExportError, match=r"cannot write snapshot .*keep.gcap.*type object cannot be stored"
    ):
        write_snapshot(Network(nodes=broken, edges=small.edges), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.gcap"]


def test_version_is_a_content_hash(tmp_path: Path, small: Network) -> None:
    a = SnapshotSource(write_snapshot(small, tmp_path / "a.gcap"))
    b = SnapshotSource(write_snapshot(small, tmp_path / "b.gcap"))
    assert a.version() == b.version()
    other = generate_sample(seed=7, **SCALES["small"])
    write_snapshot(other, tmp_path / "b.gcap")  # same path, new data: the store notices
    assert b.version() != a.version()
    assert_network_equal(b.read_network(), other)


# -- the store ----------------------------------------------------------------------------------


def test_snapshot_store_reads_like_a_graph_source(tmp_path: Path, small: Network) -> None:
    path = write_snapshot(small, tmp_path / "s.gcap")
    store = SnapshotSource(path)
    assert isinstance(store, GraphSource)
    assert store.kind == "snapshot"
    text = store.describe()
    assert str(path) in text and f"{len(small.nodes)} stakeholders" in text
    by_type = small.counts_by_type()
    assert store.counts() == {
        "nodes": by_type["nodes"],
        "edges": by_type["edges"],
        "interactions": {"total": len(small.interactions)},
    }
    assert_network_equal(store.read_network(), small)

    keep = {"customer", "organization"}
    part = store.read_network(node_types=sorted(keep))
    ids = set(small.nodes.loc[small.nodes["type"].isin(keep), "id"])
    assert set(part.nodes["id"]) == ids and set(part.nodes["type"]) == keep
    expected_edges = [
        (s, t, y)
        for s, t, y in small.edges[["source", "target", "type"]].itertuples(index=False)
        if s in ids and t in ids
    ]
    assert (
        list(part.edges[["source", "target", "type"]].itertuples(index=False, name=None))
        == expected_edges
    )
    assert len(part.interactions) == sum(
        s in ids and t in ids
        for s, t in small.interactions[["source", "target"]].itertuples(index=False)
    )

    refs = store.read_network(rel_types=["refers", "BUYS_FROM"])
    assert set(refs.edges["type"]) == {"REFERS", "BUYS_FROM"}
    assert len(refs.edges) == small.edges["type"].isin(["REFERS", "BUYS_FROM"]).sum()
    assert len(refs.nodes) == len(small.nodes)
    with pytest.raises(SchemaError, match="stakeholder type 'investor' is not allowed"):
        store.read_network(node_types=["investor"])
    with pytest.raises(SchemaError, match="relationship type 'FUNDS` DELETE' is not allowed"):
        store.read_network(rel_types=["FUNDS` DELETE"])
    extended = SnapshotSource(
        path, schema=DEFAULT_SCHEMA.extend(node_types={"investor": "Investor"})
    )
    assert len(extended.read_network(node_types=["investor"]).nodes) == 0
    both = store.read_network(node_types=["customer"], rel_types=["REFERS"])
    assert (
        len(both.edges) == (small.edges["type"] == "REFERS").sum()
    )  # referrals are customer to customer


# -- broken files -------------------------------------------------------------------------------


def _rewrite(
    src: Path,
    dst: Path,
    *,
    drop=(),
    replace=None,
    add=None,
    manifest=None,
    method=zipfile.ZIP_STORED,
) -> Path:
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n not in drop}
    if manifest is not None:
        data = json.loads(members["manifest.json"])
        manifest(data)
        members["manifest.json"] = json.dumps(data).encode()
    members.update(replace or {})
    members.update(add or {})
    with zipfile.ZipFile(dst, "w") as zf:
        for name, blob in members.items():
            zf.writestr(name, blob, compress_type=method)
    return dst


@pytest.fixture
def good(tmp_path: Path, small: Network) -> Path:
    return write_snapshot(small, tmp_path / "good.gcap")


def _expect(path: Path, pattern: str) -> None:
    with pytest.raises(ExportError, match=pattern) as info:
        read_snapshot(path)
    assert str(path) in str(info.value)


def test_missing_directory_and_foreign_files(tmp_path: Path) -> None:
    _expect(tmp_path / "none.gcap", "does not exist")
    _expect(tmp_path, "is a directory")
    csv = tmp_path / "nodes.csv"
    csv.write_text("id,name,type\n1,a,customer\n")
    _expect(csv, "not a zip archive, or truncated")
    foreign = tmp_path / "foreign.zip"
    with zipfile.ZipFile(foreign, "w") as zf:
        zf.writestr("readme.txt", "hello")
    _expect(foreign, r"unexpected member 'readme.txt'")
    other = tmp_path / "other.gcap"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": "something-else", "format_version": 1}))
    _expect(other, "does not describe a graphcap snapshot")


def test_truncated_file(tmp_path: Path, good: Path) -> None:
    data = good.read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 30):
        short = tmp_path / f"cut{cut}.gcap"
        short.write_bytes(data[:cut])
        _expect(short, "not a zip archive, or truncated")


def test_wrong_format_version(tmp_path: Path, good: Path) -> None:
    bad = _rewrite(good, tmp_path / "v.gcap", manifest=lambda m: m.update(format_version=99))
    _expect(bad, "format version 99 is not supported .*reads version 1")


def test_checksum_mismatch_and_damage(tmp_path: Path, good: Path, small: Network) -> None:
    other = write_snapshot(generate_sample(seed=5, **SCALES["small"]), tmp_path / "o.gcap")
    with zipfile.ZipFile(other) as zf:
        swapped = zf.read("nodes.parquet")
    _expect(
        _rewrite(good, tmp_path / "swap.gcap", replace={"nodes.parquet": swapped}),
        "member 'nodes.parquet' does not match its checksum",
    )
    # a flipped byte inside a stored member: the zip's own CRC catches it
    raw = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("edges.parquet")
    raw[info.header_offset + 30 + len(info.filename) + 100] ^= 0xFF
    flipped = tmp_path / "flip.gcap"
    flipped.write_bytes(bytes(raw))
    _expect(flipped, "member 'edges.parquet' is damaged or truncated")
    # garbage whose checksum was updated: decoding fails
    garbage = b"PAR1 not really parquet PAR1"

    def fix(m: dict) -> None:
        m["members"]["edges.parquet"]["sha256"] = hashlib.sha256(garbage).hexdigest()

    _expect(
        _rewrite(good, tmp_path / "g.gcap", replace={"edges.parquet": garbage}, manifest=fix),
        "member 'edges.parquet' cannot be decoded",
    )
    _expect(
        _rewrite(good, tmp_path / "nojson.gcap", replace={"manifest.json": b"{not json"}),
        "manifest.json is not valid UTF-8 JSON",
    )
    _expect(
        _rewrite(good, tmp_path / "lost.gcap", drop=["edges.parquet"]),
        "member 'edges.parquet' is missing",
    )

    def strip(m: dict) -> None:
        del m["members"]["interactions.parquet"]

    _expect(
        _rewrite(good, tmp_path / "nomember.gcap", manifest=strip),
        "lacks the nodes, edges or interactions member",
    )


@pytest.mark.parametrize(
    "name",
    [
        "../evil.parquet",
        "/abs.parquet",
        "sub/nodes.parquet",
        "..\\x.parquet",
        "nodes.parquet/",
        "NODES.parquet",
    ],
)
def test_zip_slip_member_names_are_refused(tmp_path: Path, good: Path, name: str) -> None:
    bad = _rewrite(good, tmp_path / "slip.gcap", add={name: b"x"})
    _expect(bad, "unexpected member .*paths such as '../x' are refused")


def test_decompression_bomb_is_refused_unread(tmp_path: Path, good: Path) -> None:
    zeros = b"\0" * (40 * 1024**2)
    bomb = _rewrite(
        good, tmp_path / "bomb.gcap", add={"metrics.parquet": zeros}, method=zipfile.ZIP_DEFLATED
    )
    assert bomb.stat().st_size < 1024**2
    _expect(bomb, r"member 'metrics.parquet' expands \d+x .*zip bomb")
    with pytest.raises(
        ExportError,
        match=r"member '\w+\.parquet' would expand to \d+ bytes, more than the limit of 1000",
    ):
        read_snapshot(good, max_member_bytes=1000)


# -- the default snapshot -----------------------------------------------------------------------


def test_default_path_and_ensure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("GRAPHCAP_SNAPSHOT", raising=False)
    assert default_snapshot_path() == tmp_path / "data" / "sample.gcap"
    assert (
        default_snapshot_path({"GRAPHCAP_SNAPSHOT": str(tmp_path / "x.gcap")})
        == tmp_path / "x.gcap"
    )
    monkeypatch.setenv("GRAPHCAP_SNAPSHOT", str(tmp_path / "snap" / "mine.gcap"))
    path = ensure_sample_snapshot()
    assert path == tmp_path / "snap" / "mine.gcap"
    assert_network_equal(read_snapshot(path), generate_sample())
    stamp = path.stat().st_mtime_ns
    assert ensure_sample_snapshot() == path and path.stat().st_mtime_ns == stamp  # not rewritten
    path.write_bytes(b"damaged")  # a file the user chose is never overwritten
    assert ensure_sample_snapshot() == path and path.read_bytes() == b"damaged"


def test_default_sample_is_rewritten_when_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRAPHCAP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("GRAPHCAP_SNAPSHOT", raising=False)
    own = tmp_path / "sample.gcap"
    own.write_bytes(b"PK\x03\x04 left over")
    assert ensure_sample_snapshot() == own
    assert read_manifest(own)["meta"]["generator"] == "graphcap.sample"
    assert_network_equal(read_snapshot(own), generate_sample())


def test_snapshot_bytes_do_not_depend_on_meta_order(tmp_path: Path, small: Network) -> None:
    a = read_manifest(write_snapshot(small, tmp_path / "a.gcap", meta={"x": 1, "y": 2}))
    b = read_manifest(write_snapshot(small, tmp_path / "b.gcap", meta={"y": 2, "x": 1}))
    assert a["content_hash"] == b["content_hash"]
    c = read_manifest(write_snapshot(small, tmp_path / "c.gcap", meta={"x": 2}))
    assert c["content_hash"] != a["content_hash"]


def test_manifest_is_readable_json(good: Path) -> None:
    with zipfile.ZipFile(good) as zf:
        manifest = json.load(io.BytesIO(zf.read("manifest.json")))
    assert manifest["format"] == "graphcap-snapshot" and manifest["format_version"] == 1
    assert manifest["meta"]["as_of"] == {"$date": "2026-11-01"}
    assert manifest["meta"]["generator"] == "graphcap.sample"
