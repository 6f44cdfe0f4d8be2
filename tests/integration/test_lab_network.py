"""``matops network`` against the lab's simulated switches at their management addresses.

The example trust (with fictional vault values for the network secrets) is pushed to every
switch of the lab; a following diff shows nothing left to change on any of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from matops.cli import app
from matops.lab import lifecycle
from tests.network.conftest import FICTIONAL, make_vaulted_trust

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration


def test_push_converges_on_every_lab_switch(
    lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, password = make_vaulted_trust(tmp_path)
    monkeypatch.setenv("MATOPS_LAB_DIR", str(lab.state_dir))
    try:
        _push_and_diff(lab, root, password)
    finally:  # leave the switches at factory defaults for the other tests
        lifecycle.lab_down(lab.state_dir, reset=True)
        lab.up()


def _push_and_diff(lab: Lab, root: Path, password: Path) -> None:
    common = [str(root), "--vault-password-file", str(password)]
    runner = CliRunner()

    pushed = runner.invoke(app, ["network", "push", *common, "--parallel", "8"], terminal_width=200)
    assert pushed.exit_code == 0, pushed.output
    for switch in lab.switches:
        assert switch.name in pushed.stdout

    after = runner.invoke(app, ["network", "diff", *common], terminal_width=200)
    assert after.exit_code == 0, after.output
    assert "planned" not in after.stdout
    assert after.stdout.count("unchanged") >= len(lab.switches)
    backups = sorted(p.stem for p in (root / "backups").glob("*/*.cfg"))
    assert backups == sorted(s.name for s in lab.switches)
    for backup in (root / "backups").glob("*/*.cfg"):
        text = backup.read_text()
        assert not any(value in text for value in FICTIONAL.values()), backup
