"""``graphcap backtest``: the figures of graphcap.metrics.backtest, as text and JSON; errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphcap.cli import cli, main
from graphcap.metrics.backtest import backtest
from graphcap.sample import sample_small
from graphcap.snapshot import read_snapshot, write_snapshot


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_snapshot(sample_small(), tmp_path_factory.mktemp("bt") / "sample.gcap")


def test_text_and_json_agree_with_the_library(snapshot: Path) -> None:
    expected = backtest(read_snapshot(snapshot), "2026-03-01", horizon_days=120, k=10)
    result = CliRunner().invoke(
        cli,
        [
            "backtest",
            "--as-of",
            "2026-03-01",
            "--snapshot",
            str(snapshot),
            "--horizon",
            "120",
            "--k",
            "10",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert f"radar top 10: precision {expected.precision:.0%}" in result.stdout
    assert "recency-only top 10" in result.stdout and "radar ranking" in result.stdout
    out = CliRunner().invoke(
        cli,
        [
            "backtest",
            "--as-of",
            "2026-03-01",
            "--snapshot",
            str(snapshot),
            "--horizon",
            "120",
            "--k",
            "10",
            "--format",
            "json",
        ],
    )
    data = json.loads(out.stdout)
    assert data["precision"] == pytest.approx(expected.precision)
    assert data["judged"] == expected.judged and data["k"] == 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2026-10-01"], "pick an earlier date"),
        (["--as-of", "not a date; MATCH (n) DETACH DELETE n"], "as_of must be a date"),
    ],
)
def test_bad_requests_are_one_clear_line(
    snapshot: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backtest", "--snapshot", str(snapshot), *args]) == 11  # a metric error
    assert message in capsys.readouterr().err


def test_csv_is_the_whole_per_relationship_table(snapshot: Path) -> None:
    import csv
    import io

    expected = backtest(read_snapshot(snapshot), "2026-03-01", horizon_days=120, k=10)
    args = ["backtest", "--as-of", "2026-03-01", "--snapshot", str(snapshot), "--horizon", "120"]
    out = CliRunner().invoke(cli, [*args, "--k", "10", "--format", "csv"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == len(expected.table)  # every row, not the --top of the table form
    assert list(rows[0]) == [str(c) for c in expected.table.columns]
