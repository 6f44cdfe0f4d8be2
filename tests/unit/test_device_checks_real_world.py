"""The device checks on real-world shapes (Microsoft's Graph reference examples, whose values are
placeholders such as "Os Version value"): nothing a placeholder stands for is ever passed, and
the helpers' edges (year ends, hotpatches, machine-type codes) hold."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from matops.facts.device_tables import load_ipados_releases, load_windows_releases
from matops.facts.tenant import devices as dv
from matops.inventory.tenants import Microsoft365Tenant
from matops.scan.catalogue import load_catalogue
from matops.scan.device_judging import (
    has_update,
    models_agree,
    patch_tuesdays_missing,
    register_os,
    supported_majors,
)
from matops.scan.verdict import JudgeStatus
from tests.conftest import FIXTURES

GRAPH = FIXTURES / "real-world" / "tenants" / "graph"
CHECKS = {c.id: c for c in load_catalogue() if c.meta.area.value == "device"}
TENANT = Microsoft365Tenant.model_validate(
    {
        "provider": "microsoft365",
        "name": "north-m365",
        "domains": ["north.example"],
        "schools": ["oak"],
        "tenant_id": "11111111-2222-3333-4444-555555555555",
        "groups": {"staff": ["All Staff"], "pupils": ["All Pupils"]},
        "credentials": {"client_id": "11111111-2222-3333-4444-666666666666",
                        "client_secret_var": "vault_s"},
        "devices": {"schools": {"oak": "Device Category Display Name value"}},
    }
)  # fmt: skip


def _reference_devices() -> list[dv.ManagedDevice]:
    """Graph's managedDevice example as it is, and as a Windows device carrying Graph's
    windowsProtectionState example, both placed in the school by their category."""
    item = json.loads((GRAPH / "managed_devices.json").read_text())["value"][0]
    state = json.loads((GRAPH / "windows_protection_state.json").read_text())["value"]
    windows = {**item, "id": "w1", "operatingSystem": "Windows", "windowsProtectionState": state}
    found = [dv.from_intune(dv.IntuneManagedDevice.model_validate(x)) for x in (item, windows)]
    assert TENANT.devices is not None
    return dv.place(found, TENANT.devices, [])


def _judge(check_id: str, devices: list[dv.ManagedDevice], scan_date: date) -> Any:
    facts = {
        "school_devices": dv.school_devices("north-m365", "intune", "oak", devices),
        "tenant_info": TENANT,
        "scan_date": scan_date,
        "trust_register": [],
        "windows_releases": load_windows_releases(),
        "ipados_releases": load_ipados_releases(),
    }
    check = CHECKS[check_id]
    return check.judge(**{name: facts[name] for name in check.meta.facts})


def test_placeholders_are_never_passed() -> None:
    devices = _reference_devices()
    assert [d.school for d in devices] == ["oak", "oak"]
    day = date(2017, 1, 20)  # a few weeks after the example's timestamps
    release = _judge("windows_release_in_support", devices, day)
    assert release.status is JudgeStatus.ERROR and "'Os Version value'" in release.detail
    assert _judge("malware_signatures_current", devices, day).status is JudgeStatus.FAIL
    assert _judge("malware_protection_real_time_on", devices, day).status is JudgeStatus.PASS
    # the serial is a placeholder too, in nobody's register
    assert _judge("managed_devices_in_register", devices, day).status is JudgeStatus.FAIL
    # Graph's example is years old: checked in long ago, and Defender's report is no evidence
    assert _judge("device_checked_in_recently", devices, date(2026, 12, 5)).status is (
        JudgeStatus.FAIL
    )
    assert _judge("malware_signatures_current", devices, date(2026, 12, 5)).status is (
        JudgeStatus.FAIL  # overdue signatures stay a failure however old the report
    )
    for check_id in CHECKS:
        verdict = _judge(check_id, devices, day)
        assert verdict.detail.strip(), check_id
        assert "User Principal Name value" not in verdict.detail  # no user is ever named
        assert "Device Name value" not in verdict.detail


def test_patch_tuesdays_across_the_year_end() -> None:
    assert patch_tuesdays_missing(date(2026, 12, 10), date(2027, 1, 30)) == [date(2027, 1, 12)]
    assert patch_tuesdays_missing(date(2026, 12, 7), date(2027, 1, 20)) == [date(2026, 12, 8)]


def test_hotpatch_counts_as_the_update_and_tables_agree() -> None:
    table = load_windows_releases()
    release = table.release(26100)
    assert release is not None
    august = release.updates[-1]
    assert august.hotpatch is not None and august.hotpatch < august.revision
    assert has_update(august.hotpatch, august) and not has_update(august.hotpatch - 1, august)
    assert supported_majors(load_ipados_releases(), date(2026, 8, 1)) == [18, 26]
    assert supported_majors(load_ipados_releases(), date(2025, 9, 1)) == [17, 18]


def test_register_os_and_models() -> None:
    assert register_os("windows 10 education") == (dv.DeviceOs.WINDOWS, "intune")
    assert register_os("Chrome OS Flex") == (dv.DeviceOs.CHROMEOS, "google")
    assert register_os(None) is None and register_os("Cisco IOS") is None
    assert register_os("iOS 18") == (dv.DeviceOs.IOS, "intune")
    assert models_agree("Lenovo 300e Chromebook Gen 3", "300e Chromebook Gen 3") is True
    assert models_agree("Dell OptiPlex 3050", "OptiPlex 3050") is True
    assert models_agree("Dell OptiPlex 3050", "OptiPlex 7010 Micro") is False
    assert models_agree("Lenovo ThinkPad E14 Gen 6", "21M7") is None
    assert models_agree("Dell OptiPlex 3050", None) is None
