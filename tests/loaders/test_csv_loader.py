"""CSV loader: real-export quirks that must load, and bad files with their exact messages."""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest

from graphcap.errors import LoaderError, ValidationError
from loaders import CsvLoader, load_path
from tests.loaders.files import EDGES, NODES, problem_lines, write_csv

GERMAN_NODES = (
    "id;name;type;revenue;since;satisfaction;Bemerkung\r\n"
    "00123;Müller & Söhne GmbH;Kunde;1.234,56;04.07.2024;0,8;NA\r\n"
    "NA;None;Lieferant;1,5E+03;Mar 25, 2015;80 %;\r\n"
    "null;N/A;Organisation;NULL;2024-07-04;;x\r\n"
)
GERMAN_EDGES = (
    "source;target;type;trust;sentiment\r\n00123;null;kauft von;0,5;-0,25\r\nNA;null;SUPPLIES;;\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"])
def test_german_excel_export_loads_in_every_encoding(tmp_path, encoding):
    write_csv(tmp_path, GERMAN_NODES, GERMAN_EDGES, encoding=encoding)
    result = load_path(tmp_path)
    nodes = result.network.nodes.set_index("id")
    # ids and names like NA / None / null / N/A stay text; "00123" keeps its zeros
    assert list(nodes.index) == ["00123", "NA", "null"]
    assert nodes.loc["NA", "name"] == "None" and nodes.loc["null", "name"] == "N/A"
    assert nodes.loc["00123", "name"] == "Müller & Söhne GmbH"
    assert list(nodes["type"]) == ["customer", "supplier", "organization"]
    # 1.234,56 with a decimal comma, 1,5E+03 scientific, NULL missing
    assert nodes.loc["00123", "revenue"] == 1234.56
    assert nodes.loc["NA", "revenue"] == 1500.0
    assert np.isnan(nodes.loc["null", "revenue"])
    assert nodes.loc["00123", "satisfaction"] == 0.8 and nodes.loc["NA", "satisfaction"] == 0.8
    assert list(nodes["since"]) == [
        pd.Timestamp(2024, 7, 4),
        pd.Timestamp(2015, 3, 25),
        pd.Timestamp(2024, 7, 4),
    ]
    assert str(nodes["since"].dtype) == "datetime64[ns]"
    # unknown column kept; "NA" in a text column is text, empty is missing
    assert nodes.loc["00123", "Bemerkung"] == "NA" and nodes.loc["NA", "Bemerkung"] is None
    edges = result.network.edges
    assert edges["type"].tolist() == ["BUYS_FROM", "SUPPLIES"]
    assert edges["trust"].iloc[0] == 0.5 and edges["sentiment"].iloc[0] == -0.25
    warned = [str(p) for p in result.warnings]
    if encoding == "cp1252":
        assert "nodes.csv: not UTF-8; read as cp1252" in warned
    else:
        assert not any("not UTF-8" in w for w in warned)


def test_comma_file_with_thousands_and_quoted_multiline_cells(tmp_path):
    nodes = (
        'id,name,type,revenue\nA,"Smith, Jones & Co",customer,"1,250,000.50"\n'
        'B,"two\nlines",customer,2.5e-3\nC,Plain,customer,"1,234"\n'
    )
    write_csv(tmp_path, nodes, "source,target,type\nA,B,REFERS\n")
    nodes_frame = load_path(tmp_path).network.nodes
    assert nodes_frame["revenue"].tolist() == [1250000.5, 0.0025, 1234.0]
    assert nodes_frame["name"].tolist() == ["Smith, Jones & Co", "two\nlines", "Plain"]
    # the row after a two-line cell is spreadsheet row 4, not physical line 5
    bad = nodes.replace("C,Plain,customer", "C,Plain,kustomer")
    write_csv(tmp_path, bad, "source,target,type\nA,B,REFERS\n")
    with pytest.raises(ValidationError) as info:
        load_path(tmp_path)
    assert problem_lines(info.value)[0].startswith("nodes.csv, row 4, column 'type': unknown ")


def test_folder_zip_and_single_file_give_the_same_network(tmp_path):
    folder = write_csv(
        tmp_path / "export", NODES, EDGES, "date,source,target,channel\n2024-01-02,C1,ORG,mail\n"
    )
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("nodes.csv", "edges.csv", "interactions.csv"):
            zf.write(folder / name, f"export/{name}")
    results = [load_path(folder), load_path(archive), load_path(folder / "nodes.csv")]
    for result in results[1:]:
        pd.testing.assert_frame_equal(result.network.nodes, results[0].network.nodes)
        pd.testing.assert_frame_equal(result.network.edges, results[0].network.edges)
        pd.testing.assert_frame_equal(result.network.interactions, results[0].network.interactions)
    assert results[0].network.counts == {"nodes": 3, "edges": 2, "interactions": 1}


def test_loader_protocol_describe_and_preview(tmp_path):
    write_csv(tmp_path, GERMAN_NODES, GERMAN_EDGES)
    loader = CsvLoader(tmp_path)
    assert loader.describe()["format"] == "CSV"
    preview = loader.preview(2)
    assert list(preview["nodes"].index) == [2, 3]  # spreadsheet rows
    assert preview["nodes"]["revenue"].tolist() == ["1.234,56", "1,5E+03"]  # as read


def test_missing_edges_file_is_a_warning_with_suggestion(tmp_path):
    write_csv(tmp_path, NODES, None)
    (tmp_path / "egdes.csv").write_text(EDGES)
    result = load_path(tmp_path)
    assert result.network.counts["edges"] == 0
    assert [str(p) for p in result.warnings] == [
        f"{tmp_path}: no edges file (edges.csv) (did you mean 'egdes.csv'?); importing "
        "stakeholders without relationships"
    ]


def test_missing_nodes_file_lists_what_is_there(tmp_path):
    (tmp_path / "knotn.csv").write_text(NODES)
    with pytest.raises(LoaderError) as info:
        load_path(tmp_path)
    assert str(info.value) == (
        f"{tmp_path}: no nodes file (nodes.csv); CSV files there: knotn.csv"
        "; to add relationships or interactions to the stakeholders "
        "already in Neo4j, use --onto-graph"
    )


def test_undecodable_bytes_give_a_precise_encoding_error(tmp_path):
    # bytes that are neither UTF-8 nor any single-byte Western text: random binary noise
    data = NODES.encode() + bytes(range(0x80, 0x100)) * 3 + b"\x00\x81\x8d\x8f\x90\x9d" * 40
    (tmp_path / "nodes.csv").write_bytes(data)
    with pytest.raises(LoaderError) as info:
        load_path(tmp_path)
    message = str(info.value)
    assert message.startswith(
        f"nodes.csv: cannot read the file as text: byte {len(NODES.encode())} (line 5)"
    )
    assert "Save the file as UTF-8" in message


def test_mojibake_is_refused_with_the_likely_text(tmp_path):
    write_csv(tmp_path, "id,name,type\n1,MÃ¼ller GmbH,customer\n", None)
    with pytest.raises(ValidationError) as info:
        load_path(tmp_path)
    assert problem_lines(info.value) == [
        "nodes.csv, row 2, column 'name': looks like mis-decoded text (mojibake): probably "
        "'Müller GmbH'; the file was converted to UTF-8 twice or read with the wrong encoding "
        "(value 'MÃ¼ller GmbH')"
    ]


BAD_NODES = (
    "id,name,typ,satisfaction,since\n"
    "A,Alpha,Kunde,0.5,2024-01-01\n"
    "A,Alpha 2,customer,,\n"  # duplicate id
    ",No Id,customer,,\n"  # empty id
    "B,Beta,Kundee,,\n"  # unknown type
    "C,Gamma,customer,1.5,\n"  # out of range
    "D,Delta,customer,,2024-02-30\n"  # unparseable date
    "E,Ep\x07silon,customer,abc,\n"  # control char + not a number
    "F,,customer,,\n"  # empty name
)
BAD_EDGES = (
    "source,target,type,sentiment,interactions\n"
    "A,B,BUYS_FROM,-2,\n"  # sentiment out of range
    "A,Z,SUPPLIES,,\n"  # unknown node
    "A,B,BUYS_FROM,,\n"  # duplicate relationship
    "B,A,LIKES,,2.5\n"  # unknown type, count not whole
)


def test_every_problem_is_reported_at_once_with_exact_text(tmp_path):
    write_csv(tmp_path, BAD_NODES, BAD_EDGES)
    with pytest.raises(ValidationError) as info:
        load_path(tmp_path)
    lines = problem_lines(info.value)
    assert lines == [
        "nodes.csv, row 3, column 'id': duplicate id (also in row 2); ids must be unique (value 'A')",
        "nodes.csv, row 4, column 'id': empty id; every row needs one",
        "nodes.csv, row 5, column 'typ': unknown stakeholder type (did you mean 'Kunde', "
        "'Kunden', 'Kundin'?); allowed: agency, competitor, customer, organization, partner, "
        "supplier (or a German/English alias such as Kunde, Lieferant, Behörde) (value 'Kundee')",
        "nodes.csv, row 6, column 'satisfaction': must be between 0 and 1 (for a percentage write "
        "80 %) (value '1.5')",
        "nodes.csv, row 7, column 'since': value is not a date; use 2024-07-04, 04.07.2024 or "
        "Jul 4, 2024 (value '2024-02-30')",
        "nodes.csv, row 8, column 'name': contains the control character U+0007; remove it "
        "(value 'Ep\\x07silon')",
        "nodes.csv, row 8, column 'satisfaction': value is not a number (read with a decimal "
        "point) (value 'abc')",
        "nodes.csv, row 9, column 'name': empty name; every row needs one",
        "edges.csv, row 2, column 'sentiment': must be between -1 and 1 (value '-2')",
        "edges.csv, row 3, column 'target': target is not the id of any node in nodes.csv "
        "(value 'Z')",
        "edges.csv, row 4, column 'type': duplicate relationship 'A' -BUYS_FROM-> 'B' (also in "
        "row 2); one relationship per source, type and target (value 'BUYS_FROM')",
        "edges.csv, row 5, column 'type': unknown relationship type (did you mean 'SUPPLIES'?); "
        "allowed: BUYS_FROM, "
        "COMPETES_WITH, INFLUENCES, MEMBER_OF, PARTNERS_WITH, REFERS, REGULATES, SERVES, "
        "SUPPLIES (value 'LIKES')",
        "edges.csv, row 5, column 'interactions': must be a whole number, 0 or more (value '2.5')",
    ]
    assert str(info.value).startswith("13 problem(s) in the input; nothing was imported.\n")


def test_missing_required_columns_suggest_close_headers(tmp_path):
    write_csv(tmp_path, "idd,nmae,type\n1,A,customer\n", "src,target,typ\n1,1,REFERS\n")
    with pytest.raises(ValidationError) as info:
        load_path(tmp_path)
    assert problem_lines(info.value) == [
        "nodes.csv, row 1, column 'id': required column 'id' is missing (did you mean "
        "'idd'?); the nodes table needs id, name, type",
        "nodes.csv, row 1, column 'name': required column 'name' is missing (did you mean "
        "'nmae'?); the nodes table needs id, name, type",
        "edges.csv, row 1, column 'source': required column 'source' is missing (did you mean "
        "'src'?); the edges "
        "table needs source, target, type",
    ]


def test_lenient_keeps_valid_rows_and_reports_the_rest(tmp_path):
    write_csv(tmp_path, BAD_NODES, BAD_EDGES)
    result = load_path(tmp_path, lenient=True)
    assert result.network.nodes["id"].tolist() == ["A"]
    assert result.network.edges.empty
    assert result.rejected == {"nodes": 7, "edges": 4}
    # the 13 problems of the strict run, plus 3 edges whose node B was left out
    assert len(result.errors) == 16
    # the edge to a node that was left out says so instead of vanishing
    assert (
        "edges.csv, row 2, column 'target': target node was rejected (nodes.csv row 5) "
        "(value 'B')" in [str(p) for p in result.errors]
    )


def test_row_with_too_many_values(tmp_path):
    write_csv(tmp_path, "id;name;type\n1;A;customer;;\n2;B;customer;x\n", None)
    with pytest.raises(ValidationError) as info:
        load_path(tmp_path)
    assert problem_lines(info.value) == [
        "nodes.csv, row 3: row has 4 values but the header has 3 columns; quote values that "
        "contain ';' (value 'x')"
    ]


def test_nfc_and_nfd_ids_are_not_two_stakeholders_silently(tmp_path):
    nfc, nfd = "M\u00fcller", "Mu\u0308ller"
    write_csv(
        tmp_path, f"id,name,type\n{nfc},{nfc} GmbH,customer\n{nfd},{nfd} GmbH,customer\n", None
    )
    with pytest.raises(ValidationError) as info:
        load_path(tmp_path)
    errors = [p for p in info.value.problems if p.severity == "error"]
    warnings = [p for p in info.value.problems if p.severity == "warning"]
    assert [str(p) for p in errors] == [
        f"nodes.csv, row 3, column 'id': id is the same text as id {nfc!r} in row 2 in another "
        "Unicode form (NFC/NFD); it would become a second stakeholder; write both the same way "
        f"(value {nfd!r})"
    ]
    assert [(p.row, p.column) for p in warnings if p.row] == [(3, "name")]  # the names too
    # bytes are kept exactly: nothing is normalised behind the user's back
    write_csv(tmp_path, f"id,name,type\n1,{nfd},customer\n", None)
    assert load_path(tmp_path).network.nodes["name"].iloc[0] == nfd


def test_hostile_strings_are_plain_values(tmp_path):
    hostile = [
        "<script>alert(1)</script>",
        "`) DETACH DELETE n //",
        '=HYPERLINK("http://x","y")',
        "'; MATCH (n) SET n.x=1 //",
        "${jndi:ldap://x}",
        "{{7*7}}",
        "+cmd|' /C calc'!A0",
    ]
    body = "".join(
        f'H{i},"{s.replace(chr(34), chr(34) * 2)}",customer,"{s.replace(chr(34), chr(34) * 2)}"\n'
        for i, s in enumerate(hostile)
    )
    write_csv(tmp_path, "id,name,type,note\n" + body, None)
    nodes = load_path(tmp_path).network.nodes
    assert nodes["name"].tolist() == hostile
    assert nodes["note"].tolist() == hostile


def test_ambiguous_slash_dates_use_the_column_or_are_reported(tmp_path):
    write_csv(
        tmp_path, "id,name,type,since\n1,A,customer,03/04/2024\n2,B,customer,03/25/2024\n", None
    )
    assert load_path(tmp_path).network.nodes["since"].tolist() == [
        pd.Timestamp(2024, 3, 4),
        pd.Timestamp(2024, 3, 25),
    ]  # month first, as row 3 shows
    write_csv(tmp_path, "id,name,type,since\n1,A,customer,03/04/2024\n", None)
    with pytest.raises(ValidationError) as info:
        load_path(tmp_path)
    assert "is ambiguous (day/month or month/day?)" in problem_lines(info.value)[0]


def test_open_end_date_is_missing_and_zip_size_guard(tmp_path):
    from graphcap.config.limits import Limits

    write_csv(tmp_path, NODES, "source,target,type,contract_until\nC1,ORG,BUYS_FROM,31.12.9999\n")
    assert load_path(tmp_path).network.edges["contract_until"].isna().all()

    archive = tmp_path / "big.zip"
    body = NODES + "".join(f"X{i},Y,customer\n" for i in range(1000))  # 16,8xx bytes
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("nodes.csv", body)
    with pytest.raises(
        LoaderError, match=f"unpacks to {len(body):,} bytes, more than the limit of 10,000 bytes"
    ):
        load_path(archive, limits=Limits(max_uncompressed_bytes=10_000))
    assert (
        len(load_path(archive, limits=Limits(max_uncompressed_bytes=len(body))).network.nodes) > 0
    )


def test_project_types_and_uploaded_bytes(tmp_path):
    from graphcap.model.schema import DEFAULT_SCHEMA
    from loaders import load_bytes

    schema = DEFAULT_SCHEMA.extend(
        node_types={"investor": "Investor"}, rel_types={"FUNDS": "funds"}
    )
    write_csv(tmp_path, NODES + "I1,Venture Fonds,Investor\n", EDGES + "I1,ORG,funds\n")
    result = load_path(tmp_path, schema=schema)
    assert result.network.nodes["type"].tolist()[-1] == "investor"
    assert result.network.edges["type"].tolist()[-1] == "FUNDS"
    with pytest.raises(ValidationError, match="unknown stakeholder type"):
        load_path(tmp_path)  # the default schema has no investors

    archive = tmp_path / "up.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("nodes.csv", NODES)
    uploaded = load_bytes(archive.read_bytes(), "C:\\Users\\me\\export.zip")
    assert uploaded.source == "export.zip" and uploaded.network.counts["nodes"] == 3
    assert [str(p) for p in uploaded.warnings] == [
        "export.zip: no edges file (edges.csv); importing stakeholders without relationships"
    ]


def test_interaction_log_rows_are_checked(tmp_path):
    write_csv(
        tmp_path,
        NODES,
        EDGES,
        "Datum;von;nach;Kanal;Wert;sentiment\n04.07.2024;C1;ORG;Besuch;1.200,50;0,5\n"
        "31.02.2024;C1;ORG;Mail;;\n;C1;ORG;Mail;;\n05.07.2024;C9;ORG;Mail;;2\n",
    )
    with pytest.raises(ValidationError) as info:
        load_path(tmp_path)
    assert problem_lines(info.value) == [
        "interactions.csv, row 3, column 'Datum': value is not a valid date (no such day) "
        "(value '31.02.2024')",
        "interactions.csv, row 4, column 'Datum': empty date; every interaction needs one",
        "interactions.csv, row 5, column 'sentiment': must be between -1 and 1 (value '2')",
        "interactions.csv, row 5, column 'von': source is not the id of any node in nodes.csv "
        "(value 'C9')",
    ]
    log = load_path(tmp_path, lenient=True).network.interactions
    assert log[["date", "source", "target", "channel", "value", "sentiment"]].values.tolist() == [
        [pd.Timestamp(2024, 7, 4), "C1", "ORG", "Besuch", 1200.5, 0.5]
    ]


@pytest.mark.parametrize("fast", [True, False])
def test_blank_lines_short_rows_and_row_numbers_in_both_parsers(tmp_path, monkeypatch, fast):
    import loaders.csv_files as csv_files

    if not fast:  # the csv-module path, used for multi-line cells and long rows
        monkeypatch.setattr(csv_files, "_fast_records", lambda text, sep: None)
    nodes = "id;name;type;revenue\r\n\r\nA;Alpha;Kunde\r\nB;Beta;Kunde;1,5\r\n;;;\r\nC;Gamma;Kundee;\r\n\r\n"
    write_csv(tmp_path, nodes, None)
    with pytest.raises(ValidationError) as info:
        load_path(tmp_path)
    assert problem_lines(info.value) == [
        "nodes.csv, row 6, column 'type': unknown stakeholder type (did you mean 'Kunde', "
        "'Kunden', 'Kundin'?); allowed: agency, competitor, customer, organization, partner, "
        "supplier (or a German/English alias such as Kunde, Lieferant, Behörde) (value 'Kundee')"
    ]
    write_csv(tmp_path, nodes.replace("Kundee", "Kunde"), None)
    frame = load_path(tmp_path).network.nodes
    assert frame["id"].tolist() == ["A", "B", "C"]
    assert frame["revenue"].tolist()[1] == 1.5 and frame["revenue"].isna().tolist() == [
        True,
        False,
        True,
    ]


def test_excel_sep_line_tsv_and_header_only_edges(tmp_path):
    write_csv(
        tmp_path,
        'sep=;\r\nid;name;type\r\n1;"A; B";Kunde\r\n2;C;Kunde\r\n',
        "source;target;type\r\n",
    )
    result = load_path(tmp_path)
    assert result.network.nodes["name"].tolist() == ["A; B", "C"]
    assert result.network.edges.empty and list(result.network.edges.columns)[:3] == [
        "source",
        "target",
        "type",
    ]
    write_csv(tmp_path, "sep=;\nid;name;type\n1;A;Kundee\n", None)
    with pytest.raises(ValidationError, match="nodes.csv, row 2, column 'type'"):
        load_path(tmp_path)
    (tmp_path / "nodes.csv").unlink()
    (tmp_path / "edges.csv").unlink()
    (tmp_path / "nodes.tsv").write_text("id\tname\ttype\n1\tA, Inc.\tclient\n")
    assert load_path(tmp_path).network.nodes[["name", "type"]].values.tolist() == [
        ["A, Inc.", "customer"]
    ]


def test_zip_with_two_sets_of_files_is_refused(tmp_path):
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("2023/nodes.csv", NODES)
        zf.writestr("2024/nodes.csv", NODES)
    with pytest.raises(LoaderError) as info:
        load_path(archive)
    assert str(info.value) == (
        f"{archive}: the zip holds nodes.csv twice (2023/nodes.csv and "
        "2024/nodes.csv); keep one set of files per zip"
    )


def test_extra_columns_of_numbers_are_numbers(tmp_path):
    """An extra column is stored as numbers when every cell is a plain number (Cypher can add
    them up), as booleans when every cell is true/false; ids with leading zeros stay text."""
    (tmp_path / "nodes.csv").write_text(
        "id,name,type,number_transactions,share,is_key,code,mixed\n"
        "C1,A,customer,12,0.5,True,007,1\n"
        "C2,B,customer,3,,false,010,x\n",
        encoding="utf-8",
    )
    nodes = load_path(tmp_path).network.nodes
    assert nodes["number_transactions"].tolist() == [12, 3]
    assert str(nodes["number_transactions"].dtype) == "int64"
    assert nodes["share"].tolist()[0] == 0.5 and nodes["share"].isna().tolist() == [False, True]
    assert nodes["is_key"].tolist() == [True, False]
    assert nodes["code"].tolist() == ["007", "010"]
    assert nodes["mixed"].tolist() == ["1", "x"]


def test_spelled_german_dates_and_epoch_times(tmp_path):
    (tmp_path / "nodes.csv").write_text(
        "id,name,type,since\nC1,A,customer,4. Juli 2024\nC2,B,customer,25 März 2015\n"
        "C3,C,customer,1720051200\nC4,D,customer,1720051200000\nC5,E,customer,3. Dez. 2020\n",
        encoding="utf-8",
    )
    since = load_path(tmp_path).network.nodes["since"].dt.strftime("%Y-%m-%d").tolist()
    assert since == ["2024-07-04", "2015-03-25", "2024-07-04", "2024-07-04", "2020-12-03"]


def test_a_small_number_is_still_no_date(tmp_path):
    (tmp_path / "nodes.csv").write_text(
        "id,name,type,since\nC1,A,customer,45000\n", encoding="utf-8"
    )
    with pytest.raises(ValidationError, match="since"):
        load_path(tmp_path)


def test_an_unquoted_comma_is_reported_where_it_is(tmp_path):
    (tmp_path / "nodes.csv").write_text(
        "id,name,type,country\nC1,Acme, Inc.,customer,US\nC2,Beta,customer,DE\n", encoding="utf-8"
    )
    with pytest.raises(ValidationError) as info:
        load_path(tmp_path)
    first = str([p for p in info.value.problems if p.severity == "error"][0])
    assert first.startswith(
        "nodes.csv, row 2, column 'name': row has 5 values but the header has 4 columns"
    )
    assert "(value 'Acme, Inc.')" in first
