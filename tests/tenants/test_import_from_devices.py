"""``matops inventory import-assets --from-intune|--from-google`` as a technician runs it against
the lab's tenants (the simulator on loopback, recorded in a lab folder as ``lab up`` leaves it;
the command builds its connection profile from ``--lab-dir``): the managed devices no register
holds are proposed as rows to check, the rest are accounted for, and nothing is merged."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matops.cli import app
from matops.inventory.from_devices import PROPOSAL_COLUMNS
from matops.inventory.importer import import_csv
from matops.inventory.loader import load_trust
from matops.lab.record import LabRecord
from tests.conftest import EXAMPLE_TRUST
from tests.support.tenantsim import SimTenants
from tests.tenants.conftest import lab_profile

runner = CliRunner()


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


@pytest.fixture
def trust(tmp_path: Path) -> Path:
    copy = tmp_path / "example-trust"
    shutil.copytree(EXAMPLE_TRUST, copy)
    return copy


def _propose(trust: Path, args: list[str], out: Path) -> tuple[int, str, list[dict[str, str]]]:
    result = runner.invoke(
        app, ["inventory", "import-assets", "--trust", str(trust), *args, "--output", str(out)]
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text()))) if out.is_file() else []
    return result.exit_code, result.output, rows


def test_intune_devices_missing_from_riverside_register_are_proposed(
    lab: Path, trust: Path, tmp_path: Path
) -> None:
    register = trust / "assets" / "riverside-academy.csv"
    before = register.read_text()
    out = tmp_path / "proposed.csv"
    args = ["--from-intune", "--school", "riverside-academy", "--lab-dir", str(lab)]
    code, output, rows = _propose(trust, args, out)
    assert code == 0, output
    assert register.read_text() == before  # proposed, never merged
    assert list(rows[0]) == list(PROPOSAL_COLUMNS)
    by_serial = {r["serial"]: r for r in rows}
    # WNNFXGB9: in Intune (category Riverside), in no register; QS9XHFV6 and W01D901L: enrolled,
    # while their register rows (MLT-RIV-00037, MLT-RIV-00140) have no serial.
    assert set(by_serial) == {"WNNFXGB9", "QS9XHFV6", "W01D901L"}
    row = by_serial["W01D901L"]
    assert {k: row[k] for k in ("type", "model", "os", "os_version", "end_of_support")} == {
        "type": "desktop", "model": "Dell OptiPlex 3050", "os": "Windows 10",
        "os_version": "22H2", "end_of_support": "2025-10-14",
    }  # fmt: skip
    assert row["notes"].startswith(
        "or is it MLT-RIV-00140 (same model, no serial in the register)?"
    )
    assert row["seen_in"].startswith("intune northfield-m365 (category Riverside; last sync ")
    assert (
        "northfield-m365 (intune): 147 device(s) in riverside-academy, 142 in its register, "
        "3 proposed, 3 not proposed" in output
    )
    assert all(r["asset_tag"] == "" for r in rows)
    assert "GMNSTCJPSFRJ" not in by_serial  # personally owned iPhone
    assert "TXSFRMVC6MDM" not in by_serial  # unplaced
    assert "W2UGE1G" not in by_serial  # disposed in the register, still enrolled
    assert "not proposed: GMNSTCJPSFRJ" in output and "personally owned" in output
    assert "not proposed: TXSFRMVC6MDM" in output and "in no school" in output
    assert "not proposed: W2UGE1G" in output and "was disposed of on" in output
    # Importing the file as written takes nothing: each row needs its asset tag first.
    imported = import_csv(out.read_text())
    assert imported.assets == []
    assert {reason for _, reason in imported.rejected} == {"missing required field 'asset_tag'"}


def test_google_devices_missing_from_oakfield_register_are_proposed(
    lab: Path, trust: Path, tmp_path: Path
) -> None:
    out = tmp_path / "proposed.csv"
    args = ["--from-google", "--school", "oakfield-primary", "--lab-dir", str(lab)]
    code, output, rows = _propose(trust, args, out)
    assert code == 0, output
    by_serial = {r["serial"]: r for r in rows}
    # WVS7WX5V: in /Devices/Oakfield, in no register; B3RZBB06: its row MLT-OAK-00040 has no serial
    assert set(by_serial) == {"WVS7WX5V", "B3RZBB06"}
    row = by_serial["WVS7WX5V"]
    assert (row["type"], row["os"]) == ("laptop", "ChromeOS")
    assert row["end_of_support"]
    assert "P8SSR4JV" not in by_serial and "not proposed: P8SSR4JV" in output


def test_an_unreadable_tenant_writes_nothing(
    sim: SimTenants, lab: Path, trust: Path, tmp_path: Path
) -> None:
    sim.fault("/graph.microsoft.com/v1.0/deviceManagement/managedDevices", status=403, count=10)
    out = tmp_path / "proposed.csv"
    args = ["--from-intune", "--school", "riverside-academy", "--lab-dir", str(lab)]
    code, output, _ = _propose(trust, args, out)
    assert code == 1, output
    assert not out.exists()
    assert "northfield-m365: devices not read" in output
    assert "nothing written" in output


def test_a_saved_export_gives_the_same_proposal(lab: Path, trust: Path, tmp_path: Path) -> None:
    exported = runner.invoke(
        app,
        ["tenant", "export", str(trust), "--lab-dir", str(lab), "--output", str(tmp_path / "x")],
    )
    assert exported.exit_code == 0, exported.output
    school = ["--from-google", "--school", "oakfield-primary"]
    live = _propose(trust, [*school, "--lab-dir", str(lab)], tmp_path / "live.csv")
    saved = _propose(trust, [*school, "--tenants", str(tmp_path / "x")], tmp_path / "saved.csv")
    assert saved[0] == 0 and saved[2] == live[2]


def test_a_tenant_without_a_devices_block_is_refused(
    lab: Path, trust: Path, tmp_path: Path
) -> None:
    settings = trust / "group_vars" / "all.yml"
    lines = settings.read_text().splitlines(keepends=True)
    google = next(i for i, line in enumerate(lines) if "provider: google_workspace" in line)
    start = next(i for i in range(google, len(lines)) if lines[i].startswith("    devices:"))
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith("      ")), len(lines)
    )
    settings.write_text("".join(lines[:start] + lines[end:]))  # the Google tenant's devices: block
    out = tmp_path / "proposed.csv"
    args = ["--from-google", "--school", "oakfield-primary", "--lab-dir", str(lab)]
    code, output, _ = _propose(trust, args, out)
    assert code == 2, output
    assert "has no devices: block" in output and not out.exists()


def test_a_dry_run_proposes_without_writing(lab: Path, trust: Path, tmp_path: Path) -> None:
    out = tmp_path / "proposed.csv"
    args = ["--from-google", "--school", "oakfield-primary", "--lab-dir", str(lab), "--dry-run"]
    code, output, _ = _propose(trust, args, out)
    assert code == 0, output
    assert "dry run: 2 row(s) would be proposed; nothing written" in output
    assert not out.exists()
