"""Helpers shared by the tests (import as ``from tests.support import require``)."""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(available: bool, what: str, how: str) -> None:
    """Skip locally / fail under CI when a real part the test needs is missing."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing under CI=true (never skipped in CI): {how}")
    pytest.skip(f"{what} is missing: {how}")
