"""The lab's tenants, scanned as a technician would: ``matops scan --lab`` reads the example
trust's Microsoft 365 and Google Workspace tenants from the lab's tenant simulator (its lab
address, the lab CA, the lab's made-up credentials), finds exactly the planted problems, and
after the problems are fixed in the simulator's data the same checks pass. The export of the
same tenants judged offline gives the live verdicts."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from typer.testing import CliRunner

from matops.cli import app
from matops.lab.record import read_record
from tests.conftest import EXAMPLE_TRUST
from tests.tenants.test_device_planted import (
    unfound_plants,
    unfound_register_plants,
    unplanted_failures,
)
from tests.tenants.test_tenant_scan import PLANTED

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration

runner = CliRunner()
TARGETS = ["--target", "northfield-m365", "--target", "northfield-google"]
TENANTS = [*TARGETS, "--checks", "tenant"]
LAB_TENANTS = EXAMPLE_TRUST / "lab" / "tenants"
DEVICE_READS = [
    ("northfield-m365", "intune_managed_devices", "managed_devices"),
    ("northfield-google", "chromeos_devices", "chromeos_devices"),
]


class LabSimulator:
    """The control API of the lab's tenant simulator (address and CA from lab.json)."""

    def __init__(self, state_dir: Path) -> None:
        record = read_record(state_dir)
        assert record is not None and "tenantsim" in record.data, "the lab runs no tenants"
        entry: dict[str, Any] = record.data["tenantsim"]
        self.base_url = str(entry["base_url"])
        self.ca = str(entry["ca"])
        self.token = (state_dir / "tenantsim" / "control-token").read_text().strip()

    def control(self, method: str, path: str) -> Any:
        context = ssl.create_default_context(cafile=self.ca)
        with httpx.Client(verify=context, trust_env=False, timeout=30) as client:
            answer = client.request(
                method, f"{self.base_url}/_sim/{path}",
                headers={"Authorization": f"Bearer {self.token}"},
            )  # fmt: skip
        answer.raise_for_status()
        return answer.json()


@pytest.fixture
def simulator(lab: Lab) -> Iterator[LabSimulator]:
    sim = LabSimulator(lab.state_dir)
    try:
        yield sim
    finally:
        sim.control("POST", "reset")


def _scan(
    args: list[str], out: Path, selection: list[str] = TENANTS
) -> dict[tuple[str, str, str], tuple[str, str]]:
    result = runner.invoke(
        app,
        ["scan", str(EXAMPLE_TRUST), *args, *selection, "--fail-on", "never", "--output", str(out)],
    )
    assert result.exit_code in (0, 1) and out.is_file(), result.output  # 1: expired waivers
    findings = json.loads(out.read_text())["findings"]
    return {(f["check"], f["target"], f["school"]): (f["status"], f["detail"]) for f in findings}


def test_a_live_scan_of_the_labs_tenants_finds_the_planted_problems_then_passes_when_fixed(
    lab: Lab, simulator: LabSimulator, tmp_path: Path
) -> None:
    lab_args = ["--lab-dir", str(lab.state_dir)]
    found = _scan(lab_args, tmp_path / "live.json")
    failing = {(check, target) for (check, target, _), (s, _) in found.items() if s == "fail"}
    assert failing == PLANTED
    assert {s for (c, t, _), (s, _) in found.items() if (c, t) not in PLANTED} == {"pass"}

    exported = runner.invoke(
        app, ["tenant", "export", str(EXAMPLE_TRUST), *lab_args, "--output", str(tmp_path / "x")]
    )
    assert exported.exit_code == 0, exported.output
    offline = _scan(["--offline", "--tenants", str(tmp_path / "x")], tmp_path / "offline.json")
    assert offline == found
    for tenant, fact, collection in DEVICE_READS:  # the export carries the devices too
        read = json.loads((tmp_path / "x" / tenant / "manifest.json").read_text())["reads"][fact]
        served = json.loads((LAB_TENANTS / tenant / f"{collection}.json").read_text())
        assert (read["status"], read["items"]) == ("read", len(served))

    for tenant in ("northfield-m365", "northfield-google"):
        simulator.control("POST", f"tenants/{tenant}/overlay/fixed")
    fixed = _scan(lab_args, tmp_path / "fixed.json")
    assert set(fixed) == set(found)
    assert {status for status, _ in fixed.values()} == {"pass"}


def test_a_live_device_scan_and_the_offline_scan_of_its_export_agree(
    lab: Lab, tmp_path: Path
) -> None:
    """The device checks read each school's devices from the lab's Intune and ChromeOS
    (Graph batching included) and judge them, finding every planted device problem and
    register mismatch and nothing else; an export judged offline gives the same verdicts and
    details, and every school a tenant serves is judged."""
    lab_args = ["--lab-dir", str(lab.state_dir)]
    devices = [*TARGETS, "--checks", "device"]
    found = _scan(lab_args, tmp_path / "live.json", devices)
    assert {(t, s) for (_, t, s) in found} == {
        ("northfield-m365", "riverside-academy"),
        ("northfield-m365", "oakfield-primary"),
        ("northfield-google", "st-marys-ce-primary"),
        ("northfield-google", "oakfield-primary"),
    }
    unread = ("Graph", "Google", "HTTP", "devices:", "school_devices", "not assessed")
    errors = {k: d for k, (s, d) in found.items() if s != "pass" and any(w in d for w in unread)}
    assert not errors, errors  # every device read answered (a stale data table may still err)
    assert {s for s, _ in found.values()} >= {"pass", "fail"}
    assert not unfound_plants(found), unfound_plants(found)  # every planted device problem
    assert not unfound_register_plants(found), unfound_register_plants(found)
    assert not unplanted_failures(found), unplanted_failures(found)  # and nothing else
    exported = runner.invoke(
        app, ["tenant", "export", str(EXAMPLE_TRUST), *lab_args, "--output", str(tmp_path / "x")]
    )
    assert exported.exit_code == 0, exported.output
    offline = _scan(["--offline", "--tenants", str(tmp_path / "x")], tmp_path / "off.json", devices)
    assert offline == found


def test_a_run_without_the_lab_never_reads_the_lab_tenants(lab: Lab, tmp_path: Path) -> None:
    """Without --lab the trust's own endpoints and credentials are used: here there are none
    (no vault value, no environment variable), so every tenant read is unreachable, with the
    missing variable named, and nothing is sent to the simulator."""
    result = runner.invoke(
        app, ["tenant", "export", str(EXAMPLE_TRUST), "--output", str(tmp_path / "x")]
    )
    assert result.exit_code == 1
    manifest = json.loads((tmp_path / "x" / "northfield-m365" / "manifest.json").read_text())
    reasons = {r["reason"] for r in manifest["reads"].values()}
    assert {r["status"] for r in manifest["reads"].values()} == {"unreachable"}
    assert any("vault_m365_client_secret" in reason for reason in reasons), reasons
