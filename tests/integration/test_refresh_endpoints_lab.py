"""The endpoint side of Riverside's summer refresh, in the lab: ``matops refresh run --lab
--steps endpoints,report`` reads the school's devices from the lab's simulated Intune (the
same tenant facts as the scan, through the lab's connection profile) and judges the example
trust's plan (``refresh/riverside-academy.yml`` and its delivery note).

Before the summer the new desktops are missing and the old ones enrolled: every device is
outstanding. After the simulator's ``delivered`` overlay (new devices enrolled, compliant,
encrypted, category Riverside; the old ones wiped and gone) and the technician's register
work (old rows disposed with their certificate references, new rows added), the sign-off pack
shows every device accounted for. With ``delivered_partial`` (one desktop never enrolled), that
one desktop is the only device outstanding. When Intune refuses the read (HTTP 403), no device
is accounted for and the record names the missing permission."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from matops.inventory import load_trust
from matops.inventory.assets import COLUMNS
from matops.lab.tenants import TenantsimControl
from matops.refresh.endpoint_plan import load_plan, plan_path
from tests.conftest import EXAMPLE_TRUST
from tests.integration.refresh_support import refresh_argv

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration

SCHOOL = "riverside-academy"
PLAN = load_plan(plan_path(EXAMPLE_TRUST, SCHOOL), load_trust(EXAMPLE_TRUST))
NEVER_ENROLLED = "06J17BT"
"""The delivery note's last desktop, which ``delivered_partial`` leaves out of Intune."""


@pytest.fixture
def simulator(lab: Lab) -> Iterator[TenantsimControl]:
    control = TenantsimControl.of_lab(lab.state_dir)
    control.reset()
    try:
        yield control
    finally:
        control.reset()


def _trust_copy(tmp_path: Path) -> Path:
    trust = tmp_path / "example-trust"
    shutil.copytree(EXAMPLE_TRUST, trust, ignore=shutil.ignore_patterns("backups"))
    return trust


def _record_the_summer_in_the_register(trust: Path) -> None:
    """What the technician does in the spreadsheet: the replaced rows disposed, with the
    certificate of data destruction's reference, and a row per delivered desktop."""
    path = trust / "assets" / f"{SCHOOL}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    replaced = {r.asset.asset_tag for r in PLAN.replaced}
    for row in rows:
        if row["asset_tag"] in replaced:
            row.update(disposed_date="2026-08-20", disposal_ref="CDD-NB-2026-0815")
    for n, device in enumerate(PLAN.new, start=1):
        rows.append(
            {
                "asset_tag": f"MLT-RIV-01{n:03d}",
                "type": "desktop",
                "model": device.model,
                "serial": device.serial,
                "location": "IT suite 2",
                "purchase_date": "2026-07-28",
                "os": "Windows 11 Education",
                "os_version": "24H2",
            }
        )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS), restval="")
        writer.writeheader()
        writer.writerows(rows)


def _run(trust: Path, lab: Lab, run_dir: Path) -> tuple[int, dict[str, Any], str]:
    """One ``refresh run`` of the endpoints and report steps; exit code, record, refresh.md."""
    env = {k: v for k, v in os.environ.items() if k != "MATOPS_LAB_DIR"}
    argv = [
        *refresh_argv("run", str(trust)),
        "--lab-dir",
        str(lab.state_dir),
        "--school",
        SCHOOL,
        "--steps",
        "endpoints,report",
        "--journal",
        str(run_dir / "journal.jsonl"),
    ]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300, check=False)
    record = run_dir / "endpoints" / f"{SCHOOL}.json"
    pack = run_dir / "signoff" / SCHOOL / "refresh.md"
    assert record.is_file() and pack.is_file(), done.stdout + done.stderr
    manifest = (run_dir / "signoff" / SCHOOL / "MANIFEST.sha256").read_text()
    assert "refresh.md" in manifest and "refresh.json" in manifest
    return done.returncode, json.loads(record.read_text()), pack.read_text()


def _outstanding(record: dict[str, Any]) -> dict[str, set[str]]:
    return {
        d["serial"]: {i["what"] for i in d["items"] if i["state"] in ("outstanding", "not_seen")}
        for d in record["devices"]
        if not d["accounted_for"]
    }


def test_riverside_endpoint_refresh_before_after_and_one_desktop_missing(
    lab: Lab, simulator: TenantsimControl, tmp_path: Path
) -> None:
    trust = _trust_copy(tmp_path)
    new = {d.serial for d in PLAN.new}
    old = {r.asset.serial for r in PLAN.replaced}
    assert len(new) == len(old) == 25

    code, record, pack = _run(trust, lab, tmp_path / "before")
    assert code == 0, pack  # judged: what is outstanding is in the record and the pack
    assert record["tenants"][0].startswith("northfield-m365 (Intune): ")
    assert "not read" not in record["tenants"][0]
    assert "devices read (sha256:" in record["tenants"][0], record["tenants"]
    outstanding = _outstanding(record)
    assert set(outstanding) == new | old
    assert {w for s in new for w in outstanding[s]} >= {"enrolled", "in the register"}
    still = {
        d["serial"]: d["items"][0]["detail"] for d in record["devices"] if d["role"] == "replaced"
    }
    assert all(d.startswith("still active in northfield-m365") for d in still.values()), still
    assert "0 of 50 devices accounted for, **50 outstanding**" in pack

    simulator.overlay("northfield-m365", "delivered")
    _record_the_summer_in_the_register(trust)
    code, record, pack = _run(trust, lab, tmp_path / "after")
    assert _outstanding(record) == {}
    assert code == 0, pack
    assert record["complete"] is True
    assert "50 of 50 devices accounted for, **0 outstanding**" in pack
    enrolled = {d["serial"]: [i["detail"] for i in d["items"]] for d in record["devices"]}
    assert enrolled[NEVER_ENROLLED][:4] == [
        "active in northfield-m365 (Intune)",
        "category 'Riverside'",
        "compliant",
        "encrypted",
    ]

    simulator.overlay("northfield-m365", "delivered_partial")
    code, record, pack = _run(trust, lab, tmp_path / "partial")
    assert code == 0
    assert _outstanding(record) == {
        NEVER_ENROLLED: {
            "enrolled",
            "in the school's category or org unit",
            "compliant",
            "encrypted",
        }
    }
    assert "49 of 50 devices accounted for, **1 outstanding**" in pack

    # Intune refusing the read (a permission taken away): nothing is counted as done
    simulator.fault("/graph.microsoft.com/v1.0/deviceManagement", status=403)
    code, record, pack = _run(trust, lab, tmp_path / "refused")
    assert code == 0, pack
    assert record["tenants"][0].startswith("northfield-m365 (Intune): not read: "), record
    assert "DeviceManagementManagedDevices.Read.All" in record["tenants"][0]
    assert len(_outstanding(record)) == 50
    assert {
        i["state"]
        for d in record["devices"]
        if d["role"] == "new"
        for i in d["items"]
        if i["what"] != "in the register"
    } == {"not_seen"}
    assert (
        f"| new | {NEVER_ENROLLED} | MLT-RIV-01025 | Dell OptiPlex Micro 7020 | **no** | enrolled: "
        in pack
    )
