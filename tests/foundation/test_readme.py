"""The README stays true: the two commands first, every command it shows exists."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from graphcap.cli import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def test_first_code_block_is_the_two_commands():
    first = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first.strip().splitlines()]
    assert commands == ["make run", "make test"]


def test_ci_runs_exactly_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text()
    lines = [
        ln.strip() for ln in script.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
    ]
    assert lines[-1] == "make test"
    assert all(ln.startswith(("set ", "cd ", "export CI=")) for ln in lines[1:-1]), lines


def test_every_graphcap_command_in_the_readme_exists():
    code = "\n".join(
        re.findall(r"```bash\n(.*?)```", README, re.S) + re.findall(r"`([^`\n]+)`", README)
    )
    shown = set(
        re.findall(
            r"(?:^|\s)graphcap ([a-z0-9][a-z0-9-]*(?: (?:start|stop|status|create|list|show|diff))?)",
            code,
            re.M,
        )
    )
    assert shown, "the README shows no graphcap command"
    runner = CliRunner()
    for command in sorted(shown):
        result = runner.invoke(cli, [*command.split(), "--help"])
        assert result.exit_code == 0, (command, result.output)
        assert "not available in this build" not in result.output, command


def test_every_make_target_in_the_readme_exists():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, re.M))
    for target in set(re.findall(r"`make ([a-z-]+)`", README)):
        assert target in targets, target
