"""The layers of docs/ARCHITECTURE.md hold: `lint-imports` checks the contracts in pyproject.toml
against every import in graphcap/, loaders/ and queries/ (including imports inside functions)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_imports_follow_the_layers():
    result = _lint(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


def test_the_check_fails_on_an_upward_import(tmp_path):
    """The contract is not vacuous: the same checker refuses the model importing the analysis."""
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_packages = ["graphcap"]\n\n'
        '[[tool.importlinter.contracts]]\nname = "analysis above model"\ntype = "layers"\n'
        'layers = ["graphcap.model", "graphcap.analysis"]\n'
    )
    result = _lint(config)
    assert result.returncode != 0
    assert "graphcap.analysis -> graphcap.model" in result.stdout
