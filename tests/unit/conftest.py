"""Fixtures shared by the unit tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.linux_stubs import StubHost


@pytest.fixture
def stub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StubHost:
    """A Linux host of stub programs (``linux_stubs``), alone on PATH."""
    host = StubHost(tmp_path / "host")
    monkeypatch.setenv("PATH", str(host.bin))
    return host
