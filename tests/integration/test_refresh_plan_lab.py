"""``matops refresh plan`` against the lab: pre-flight results and the network lines per switch.

Read-only: St Mary's switches are read, and its Linux host is asked for ``df`` and whether a
reboot is pending (the deploy's check mode is not run: the hosts belong to the deploy tests).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from matops.cli import app
from matops.refresh.model import CheckStatus
from matops.refresh.plan import read_plan
from tests.network.conftest import make_vaulted_trust

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration


def test_plan_reads_every_device_and_changes_nothing(lab: Lab, tmp_path: Path) -> None:
    root, vault = make_vaulted_trust(tmp_path)
    plan_file = str(tmp_path / "plan.json")
    args = ["refresh", "plan", str(root), "--lab", "--lab-dir", str(lab.state_dir),
            "--school", "st-marys-ce-primary", "--no-deploy-check",
            "--vault-password-file", str(vault), "--output", plan_file]  # fmt: skip
    first = CliRunner().invoke(app, args, terminal_width=200)
    assert first.exit_code == 0, first.output
    plan = read_plan(tmp_path / "plan.json")
    devices = {d.name: d for s in plan.schools for d in s.devices}
    assert sorted(devices) == ["stm-srv01", "stm-sw01", "stm-sw02"]
    for name in ("stm-sw01", "stm-sw02"):
        checks = {p.name: p.status for p in devices[name].preflight}
        assert checks["reachable"] is CheckStatus.OK
        assert "config saved" in checks and "recent backup" in checks
        assert devices[name].changes_note == "against the running config"
    host = {p.name: p for p in devices["stm-srv01"].preflight}
    assert host["reachable"].status is CheckStatus.OK
    assert host["free disk"].status is CheckStatus.OK and "MB free" in host["free disk"].detail
    assert host["pending reboot"].status in {CheckStatus.OK, CheckStatus.WARN}
    again = CliRunner().invoke(app, args, terminal_width=200)
    assert again.exit_code == 0, again.output
    second = read_plan(tmp_path / "plan.json")
    assert [d.changes for s in second.schools for d in s.devices] == [
        d.changes for s in plan.schools for d in s.devices
    ]  # planning changed nothing on the switches
