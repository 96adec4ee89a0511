"""Look-alike names (#17 item 6): a name that differs from another only by characters of another
script that look the same (Unicode TR39 confusables) is a *possible duplicate* warning, on every
input path. The look-alike pairs are written here by code point, not taken from the module."""

from __future__ import annotations

import pytest

from graphcap.errors import ValidationError
from loaders import load_bytes, load_path

#: "Siemens AG" with the Cyrillic small letter ie (U+0435) for the first "e", written by code
#: point so no code under test produces it.
CYRILLIC_E = "Si\u0435mens AG"
GREEK_O = "B\u03bfsch GmbH"  # Greek small letter omicron for "o"
ROWS = (
    f"id,name,type\nO1,Orbit,organization\nC1,Siemens AG,customer\nC2,{CYRILLIC_E},customer\n"
    f"C3,Bosch GmbH,supplier\nC4,{GREEK_O},supplier\nC5,Siemens Energy,customer\n"
)


def _lookalikes(warnings) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return {p.row: p.why for p in warnings if "possible duplicate" in p.why}


def test_look_alike_names_warn_as_possible_duplicates(tmp_path):
    path = tmp_path / "nodes.csv"
    path.write_text(ROWS, encoding="utf-8")
    result = load_path(path)
    found = _lookalikes(result.warnings)
    # rows 4 and 6 (1 = header) look like rows 3 and 5; "Siemens Energy" is simply another name
    assert sorted(found) == [4, 6]
    assert "'Siemens AG'" in found[4] and "(row 3)" in found[4]
    assert "'Bosch GmbH'" in found[6] and "(row 5)" in found[6]
    assert len(result.network.nodes) == 6  # a warning, not a refusal: the user decides


def test_the_upload_path_warns_the_same(tmp_path):
    result = load_bytes(ROWS.encode("utf-8"), "nodes.csv")
    assert sorted(_lookalikes(result.warnings)) == [4, 6]


def test_the_same_name_twice_in_one_script_is_not_a_look_alike(tmp_path):
    path = tmp_path / "nodes.csv"
    path.write_text(
        "id,name,type\nO1,Orbit,organization\nC1,Müller AG,customer\nC2,Mu\u0308ller AG,customer\n",
        encoding="utf-8",
    )  # the same text, composed and decomposed (NFC-equal): no look-alike warning
    try:
        warnings = load_path(path).warnings
    except ValidationError as exc:  # pragma: no cover - shows the problems if it ever fails
        pytest.fail(str(exc))
    assert _lookalikes(warnings) == {}


def test_a_case_variant_is_named_as_such_not_as_look_alike_characters() -> None:
    """'STRAUSS GIESSEREI' and 'Strauß Gießerei' differ in case (and ß/ss), a Cyrillic е is a
    look-alike character: each warning says which it is."""
    from loaders.lookalike import lookalike_problems

    names = ["Strauß Gießerei GmbH", "STRAUSS GIESSEREI GMBH", "Siemens AG", "Si\u0435mens AG"]
    whys = {i: why for i, _other, why in lookalike_problems(names)}
    assert "differs only in upper/lower case" in whys[1]
    assert "differs in look-alike characters" in whys[3]
