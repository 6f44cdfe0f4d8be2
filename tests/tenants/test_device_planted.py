"""The lab's device estates through the whole scan: every problem planted in the simulator's
data (``lab/tenants/planted_devices.json``) is found by the check it names, on the device it
names; every live register row without a serial is found by ``register_devices_managed``; and
no device check fails on anything else. The lab scan of the same data is
``tests/integration/test_tenants_lab.py``, which holds it to the same lists."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from matops.connect.profile import ConnectionProfile
from matops.inventory.loader import load_trust
from matops.scan.catalogue import load_catalogue
from matops.scan.device_judging import ENDPOINT_TYPES, register_os
from matops.scan.live import LiveOptions
from matops.scan.runner import Selection
from matops.scan.session import ScanRequest, run_scan
from tests.conftest import EXAMPLE_TRUST
from tests.support.tenantsim import SimTenants
from tests.tenants.conftest import lab_profile
from tests.tenants.test_tenant_scan import DAY

PLANTED = json.loads((EXAMPLE_TRUST / "lab" / "tenants" / "planted_devices.json").read_text())
MORE = re.compile(r"…and (\d+) more")

Verdicts = dict[tuple[str, str, str], tuple[str, str]]


def unfound_plants(verdicts: Verdicts) -> list[str]:
    """Each planted problem not found as the planted list says: a check it names that did not
    fail (or err, for ``errors``) for that tenant with the device's serial in the detail.

    A detail lists at most eight devices and then ``…and N more``; a serial beyond those is
    counted as found when the finding's hidden count covers every planted serial it missed.
    """
    missing = []
    for plant in PLANTED["planted"]:
        for status, checks in (("fail", plant["checks"]), ("error", plant["errors"])):
            for check in checks:
                details = [
                    d for (c, t, _), (s, d) in verdicts.items()
                    if c == check and t == plant["tenant"] and s == status
                ]  # fmt: skip
                shown = [s for s in plant["serials"] if any(s in d for d in details)]
                hidden = sum(int(m) for d in details for m in MORE.findall(d))
                if len(plant["serials"]) - len(shown) > hidden or not details:
                    missing.append(f"{check} ({status}) on {plant['tenant']}: {plant['problem']}")
    return missing


def rows_without_serials() -> dict[tuple[str, str], list[str]]:
    """(tenant, school) → asset tags of the live laptops, desktops and tablets in that school's
    register with no serial, whose OS the tenant's plane manages (planted in the register)."""
    trust = load_trust(EXAMPLE_TRUST)
    found: dict[tuple[str, str], list[str]] = {}
    for tenant in trust.settings.tenants:
        plane = "google" if tenant.provider == "google_workspace" else "intune"
        for school in tenant.devices.schools if tenant.devices else {}:
            for asset in trust.school(school).assets:
                managed = register_os(asset.os)
                if (
                    asset.type in ENDPOINT_TYPES
                    and asset.disposed_date is None
                    and not asset.serial
                    and managed is not None
                    and managed[1] == plane
                ):
                    found.setdefault((tenant.name, school), []).append(asset.asset_tag)
    return found


def unfound_register_plants(verdicts: Verdicts) -> list[str]:
    """Register rows without serials that ``register_devices_managed`` did not fail on."""
    return [
        f"{tag} ({tenant}, {school})"
        for (tenant, school), tags in rows_without_serials().items()
        for tag in tags
        if verdicts.get(("register_devices_managed", tenant, school), ("", ""))[0] != "fail"
        or tag not in verdicts[("register_devices_managed", tenant, school)][1]
    ]


def unplanted_failures(verdicts: Verdicts) -> list[str]:
    """Device checks that fail for a tenant and school where nothing was planted for them."""
    planted = {(c, p["tenant"]) for p in PLANTED["planted"] for c in p["checks"]}
    register = {("register_devices_managed", t, s) for t, s in rows_without_serials()}
    return sorted(
        f"{c} {t} {school}: {d}"
        for (c, t, school), (s, d) in verdicts.items()
        if s == "fail" and (c, t) not in planted and (c, t, school) not in register
    )


def device_verdicts(findings: Iterable[dict[str, Any]]) -> Verdicts:
    """(check, tenant, school) → (status, detail) of the device findings (as in results JSON)."""
    return {
        (f["check"], f["target"], f["school"]): (f["status"], f["detail"])
        for f in findings
        if f["area"] == "device"
    }


def test_a_scan_finds_every_planted_device_problem_and_nothing_else(
    sim: SimTenants, tmp_path: Path
) -> None:
    trust = load_trust(EXAMPLE_TRUST)
    profile: ConnectionProfile = lab_profile(sim, tmp_path / "lab", list(trust.settings.tenants))
    catalogue = load_catalogue()
    results = run_scan(
        ScanRequest(
            root=EXAMPLE_TRUST,
            trust=trust,
            catalogue=catalogue,
            checks=[c for c in catalogue if c.meta.area.value == "device"],
            selection=Selection(targets=frozenset(t.name for t in trust.settings.tenants)),
            scan_date=DAY,
            live=LiveOptions(profile),
            workers=2,
        )
    )
    verdicts = device_verdicts(f.model_dump(mode="json") for f in results.findings)
    assert len(verdicts) >= 40  # 20 checks on the tenants' four school subjects
    assert not unfound_plants(verdicts), unfound_plants(verdicts)
    assert rows_without_serials() and not unfound_register_plants(verdicts)
    assert not unplanted_failures(verdicts), unplanted_failures(verdicts)
