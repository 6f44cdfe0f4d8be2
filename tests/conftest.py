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


@pytest.fixture(autouse=True)
def _no_lab_unless_integration(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Outside the lab tests, commands see no lab even when one is up on this machine.

    A command run without --lab refuses targets at the addresses of a lab that is up; tests
    that drive commands against simulators on loopback must not depend on another session's
    lab, so their lab folder (``--lab-dir``'s default) is an empty one.
    """
    if request.node.get_closest_marker("integration") is not None:
        return
    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setenv("MATOPS_LAB_DIR", str(tmp_path_factory.mktemp("no-lab")))
