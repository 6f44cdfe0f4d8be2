"""Shared test helpers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
EXAMPLE_TRUST = REPO / "inventories" / "example-trust"


@pytest.fixture
def mini_trust(tmp_path: Path) -> Path:
    """A writable copy of the small valid fixture trust."""
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "trusts" / "mini", target)
    return target
