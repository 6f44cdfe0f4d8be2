"""Plan: pre-flight judgements from data, the table, the JSON file, and the offline CLI."""

from __future__ import annotations

import shlex
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from matops.cli import app
from matops.refresh.capture import DeviceConfigs
from matops.refresh.model import CheckStatus, DevicePlan, Plan, Preflight, SchoolPlan
from matops.refresh.plan import plan_table, read_plan, write_plan
from matops.refresh.preflight import judge_free_disk, judge_reboot, judge_saved
from tests.conftest import REPO
from tests.network.conftest import make_vaulted_trust

DF = "Filesystem 1024-blocks Used Available Capacity Mounted on\noverlay 9000000 1 {free} 1% /\n"


def test_preflight_judgements() -> None:
    assert judge_free_disk(DF.format(free=4 * 1024 * 1024)).status is CheckStatus.OK
    low = judge_free_disk(DF.format(free=100 * 1024))
    assert (low.status, low.detail) == (CheckStatus.FAIL, "100 MB free on /")
    assert judge_free_disk("garbage").status is CheckStatus.FAIL
    assert judge_reboot("no\n").status is CheckStatus.OK
    assert judge_reboot("yes").status is CheckStatus.WARN
    saved = "Building configuration...\n!\nhostname a\n"
    assert judge_saved(DeviceConfigs(saved, "hostname a\n", None)).status is CheckStatus.OK
    assert judge_saved(DeviceConfigs(saved, "hostname b\n", None)).status is CheckStatus.WARN
    assert judge_saved(DeviceConfigs(saved, None, None)).status is CheckStatus.WARN


def _plan() -> Plan:
    down = Preflight(name="reachable", status=CheckStatus.FAIL, detail="no answer at 198.18.30.3")
    devices = [
        DevicePlan(name="stm-sw01", kind="switch", platform="cisco_ios", address="198.18.30.2",
                   changes=["no ip http server", "hostname stm-sw01"],
                   preflight=[Preflight(name="reachable", status=CheckStatus.OK)]),
        DevicePlan(name="stm-sw02", kind="switch", platform="cisco_ios", address="198.18.30.3",
                   preflight=[down]),
    ]  # fmt: skip
    school = SchoolPlan(id="st-marys-ce-primary", name="St Mary's", wave=1, devices=devices)
    return Plan(trust="example-trust", trust_dir=Path("/t"), created=datetime.now(UTC),
                offline=False, schools=[school])  # fmt: skip


def test_plan_blockers_table_and_file(tmp_path: Path) -> None:
    plan = _plan()
    assert plan.blockers == ["st-marys-ce-primary: stm-sw02: reachable: no answer at 198.18.30.3"]
    console = Console(width=200, record=True)
    console.print(plan_table(plan))
    text = console.export_text()
    assert "2 lines" in text
    assert "reachable: no answer at 198.18.30.3" in text
    write_plan(plan, tmp_path / "plan.json")
    assert read_plan(tmp_path / "plan.json") == plan


def _doc_commands() -> list[list[str]]:
    """The ``matops refresh plan … --offline`` examples of docs/refresh.md."""
    lines = (REPO / "docs" / "refresh.md").read_text().splitlines()
    return [shlex.split(x[2:]) for x in lines if x.startswith("$ matops refresh plan")]


def test_the_documented_offline_plan_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, vault = make_vaulted_trust(tmp_path)
    monkeypatch.setenv("MATOPS_NET_USERNAME", "netadmin")  # fictional: nothing is contacted
    monkeypatch.setenv("MATOPS_NET_PASSWORD", "fictional-offline-password")
    commands = _doc_commands()
    assert commands
    for argv in commands:
        args = [str(root) if a == "example-trust" else a for a in argv[1:]]
        args = [str(tmp_path / a) if a.endswith(".json") else a for a in args]
        result = CliRunner().invoke(
            app, [*args, "--vault-password-file", str(vault)], terminal_width=200
        )
        assert result.exit_code == 0, result.output
        assert "Refresh plan: example-trust (offline)" in result.output
        plan = read_plan(tmp_path / "plan.json")
        assert plan.offline and not plan.blockers
        notes = {d.name: d.changes_note for s in plan.schools for d in s.devices}
        assert notes["stm-sw01"] == "offline: no saved config"
        assert notes["stm-srv01"].startswith("host changes not computed")
