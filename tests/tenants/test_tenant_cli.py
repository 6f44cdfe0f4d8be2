"""``matops tenant export`` and ``matops scan --offline --tenants`` as a technician runs them,
against the simulator as a lab records it (its address in ``lab.json``, its CA and the made-up
credentials in the lab folder): the export holds no secret, and the offline scan of it gives
the verdicts of the live scan, failures included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from matops.cli import app
from matops.inventory.loader import load_trust
from matops.lab.record import LabRecord
from tests.conftest import EXAMPLE_TRUST
from tests.support.tenantsim import SimTenants
from tests.tenants.conftest import lab_profile

runner = CliRunner()
TENANT_TARGETS = ["--target", "northfield-m365", "--target", "northfield-google"]
COMMON = [*TENANT_TARGETS, "--checks", "tenant", "--scan-date", "2026-12-05", "--fail-on", "never"]


@pytest.fixture
def lab(sim: SimTenants, tmp_path: Path) -> Path:
    """A lab folder as ``lab up`` leaves it for the tenants (no hosts are needed here)."""
    folder = tmp_path / "lab"
    lab_profile(sim, folder, list(load_trust(EXAMPLE_TRUST).settings.tenants))
    (folder / "ssh_config").write_text("")
    record = LabRecord.new(folder, tmp_path)
    record.data["tenantsim"] = {"base_url": sim.base_url, "ca": str(folder / "tenant-ca.pem")}
    record.save()
    return folder


def _verdicts(path: Path) -> dict[tuple[str, str, str], tuple[str, str]]:
    results: dict[str, Any] = json.loads(path.read_text())
    return {
        (f["check"], f["target"], f["school"]): (f["status"], f["detail"])
        for f in results["findings"]
    }


def _export(lab: Path, out: Path) -> Any:
    return runner.invoke(
        app, ["tenant", "export", str(EXAMPLE_TRUST), "--lab-dir", str(lab), "--output", str(out)]
    )


def _scan(args: list[str], out: Path) -> dict[tuple[str, str, str], tuple[str, str]]:
    result = runner.invoke(app, ["scan", str(EXAMPLE_TRUST), *args, *COMMON, "--output", str(out)])
    # 1: the example trust has expired waivers, which fail any scan whatever --fail-on says
    assert result.exit_code in (0, 1) and out.is_file(), result.output
    return _verdicts(out)


def test_export_then_offline_scan_gives_the_live_verdicts(
    sim: SimTenants, lab: Path, tmp_path: Path
) -> None:
    exported = _export(lab, tmp_path / "export")
    assert exported.exit_code == 0, exported.output
    for name in ("northfield-m365", "northfield-google"):
        manifest = json.loads((tmp_path / "export" / name / "manifest.json").read_text())
        assert {r["status"] for r in manifest["reads"].values()} <= {"read", "unavailable"}
    secrets = sim.credentials["northfield-m365"], sim.credentials["northfield-google"]
    words = [
        str(secrets[0].client_secret), "BEGIN PRIVATE KEY", "access_token", "Bearer",
        str(secrets[1].service_account["private_key_id"]),
    ]  # fmt: skip
    for path in (tmp_path / "export").rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert not [w for w in words if w in text], path
            # no person's name: the registration report's userDisplayName is not read or kept
            assert "userDisplayName" not in text and 'displayName": "Hannah' not in text, path
    live = _scan(["--lab-dir", str(lab)], tmp_path / "live.json")
    offline = _scan(["--offline", "--tenants", str(tmp_path / "export")], tmp_path / "off.json")
    assert live and offline == live
    assert {status for status, _ in live.values()} >= {"pass", "fail"}


def test_a_read_that_failed_at_export_fails_the_same_way_offline(
    sim: SimTenants, lab: Path, tmp_path: Path
) -> None:
    sim.fault("/graph.microsoft.com/v1.0/identity/conditionalAccess/policies", status=403)
    exported = _export(lab, tmp_path / "export")
    assert exported.exit_code == 1
    assert "entra_conditional_access" in exported.output
    live = _scan(["--lab-dir", str(lab)], tmp_path / "live.json")
    offline = _scan(["--offline", "--tenants", str(tmp_path / "export")], tmp_path / "off.json")
    assert offline == live
    refused = [
        v for (check, _, _), v in live.items() if check == "entra_mfa_required_for_all_users"
    ]
    assert refused and all(status == "error" for status, _ in refused)
    assert all("Policy.Read.All" in detail for _, detail in refused)


def test_tenants_folder_is_for_offline_scans_only(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(EXAMPLE_TRUST), "--tenants", str(tmp_path)])
    assert result.exit_code == 2
    assert "--tenants is for --offline scans" in result.output


def test_an_unknown_tenant_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["tenant", "export", str(EXAMPLE_TRUST), "--tenant", "nope", "--output", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "no tenant named nope" in result.output


def test_without_lab_the_labs_simulator_and_secrets_are_never_used(
    sim: SimTenants, lab: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MATOPS_LAB_DIR", str(lab))  # the lab is there, but not asked for
    before = sim.stats()["requests"].get("total", 0)
    result = _export_without_lab(tmp_path / "x")
    assert result.exit_code == 1
    manifest = json.loads((tmp_path / "x" / "northfield-m365" / "manifest.json").read_text())
    assert {r["status"] for r in manifest["reads"].values()} == {"unreachable"}
    assert all(
        "no value for the variable vault_m365_client_secret in the environment or the trust's "
        "vault" in r["reason"]
        for r in manifest["reads"].values()
    )
    assert sim.stats()["requests"].get("total", 0) == before


def _export_without_lab(out: Path) -> Any:
    return runner.invoke(app, ["tenant", "export", str(EXAMPLE_TRUST), "--output", str(out)])
