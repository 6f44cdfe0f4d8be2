"""Device fact models: raw API shapes to the normalised ManagedDevice, and placing devices in
schools. Real-world shapes: Microsoft's Graph reference examples
(tests/fixtures/real-world/tenants/SOURCES.yml) and Google's discovery document."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from matops.facts.catalogue import FACTS
from matops.facts.tenant import devices as dv
from matops.inventory.model import Asset, AssetType
from matops.inventory.tenants import TenantDevices
from tests.conftest import FIXTURES

GRAPH = FIXTURES / "real-world" / "tenants" / "graph"
DISCOVERY = FIXTURES.parent.parent / "src/matops/facts/tenant/discovery/admin.directory_v1.json"


def _intune(**fields: Any) -> dv.IntuneManagedDevice:
    return dv.IntuneManagedDevice.model_validate({"id": "d1", **fields})


def test_graph_reference_example_reads_as_unknowns_not_as_compliant() -> None:
    item = json.loads((GRAPH / "managed_devices.json").read_text())["value"][0]
    device = dv.from_intune(dv.IntuneManagedDevice.model_validate(item))
    assert device.os is dv.DeviceOs.OTHER  # "Operating System value"
    assert device.jailbroken is None  # "Jail Broken value"
    assert device.state == "active"  # "Action Name value" is no retire or wipe
    assert device.compliance == "compliant"
    assert device.serial == "SERIAL NUMBER VALUE"
    assert device.last_sync == datetime(2017, 1, 1, 8, 2, 49, 320597, tzinfo=UTC)
    assert device.protection is None


def test_graph_reference_protection_state_on_a_windows_device() -> None:
    body = json.loads((GRAPH / "windows_protection_state.json").read_text())["value"]
    device = dv.from_intune(_intune(operatingSystem="Windows", windowsProtectionState=body))
    assert device.protection == dv.Protection(
        real_time=True,
        malware_protection=True,
        signatures_out_of_date=True,
        reported_at=datetime(2017, 1, 1, 8, 0, 17, 776939, tzinfo=UTC),
    )


def test_protection_is_kept_only_for_windows() -> None:
    state = {"realTimeProtectionEnabled": False}
    device = dv.from_intune(_intune(operatingSystem="macOS", windowsProtectionState=state))
    assert device.os is dv.DeviceOs.MACOS and device.protection is None


@pytest.mark.parametrize(
    ("system", "model", "expected"),
    [
        ("Windows", "Latitude 3540", dv.DeviceOs.WINDOWS),
        ("iOS", "iPad (9th generation)", dv.DeviceOs.IPADOS),
        ("iPadOS", None, dv.DeviceOs.IPADOS),
        ("iOS", "iPhone 13", dv.DeviceOs.IOS),
        ("iOS", None, dv.DeviceOs.IOS),
        ("AndroidForWork", "Pixel 7", dv.DeviceOs.ANDROID),
        (None, None, dv.DeviceOs.OTHER),
    ],
)
def test_intune_os_family(system: str | None, model: str | None, expected: dv.DeviceOs) -> None:
    assert dv.intune_os(system, model) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("compliant", "compliant"),
        ("noncompliant", "noncompliant"),
        ("inGracePeriod", "in_grace_period"),
        ("configManager", "not_evaluated"),
        ("unknown", "unknown"),
        ("somethingNew", None),
        (None, None),
    ],
)
def test_compliance_states(text: str | None, expected: str | None) -> None:
    assert dv.from_intune(_intune(complianceState=text)).compliance == expected


def test_retire_and_wipe_from_device_action_results_latest_wins() -> None:
    actions = [
        {"actionName": "retire", "actionState": "done", "lastUpdatedDateTime": "2026-07-01T00:00Z"},
        {
            "actionName": "wipe",
            "actionState": "pending",
            "lastUpdatedDateTime": "2026-07-02T00:00Z",
        },
    ]
    assert dv.from_intune(_intune(deviceActionResults=actions)).state == "wiped"
    failed = [{"actionName": "wipe", "actionState": "failed"}]
    assert dv.from_intune(_intune(deviceActionResults=failed)).state == "active"
    assert dv.from_intune(_intune(managementState="retireIssued")).state == "retired"
    assert dv.from_intune(_intune(managementState="wipeFailed")).state == "other"


def test_ownership_jailbreak_and_serial() -> None:
    device = dv.from_intune(
        _intune(managedDeviceOwnerType="personal", jailBroken="True", serialNumber=" dmp12ab ")
    )
    assert (device.ownership, device.jailbroken, device.serial) == ("personal", True, "DMP12AB")
    other = dv.from_intune(_intune(jailBroken="Unknown", serialNumber=""))
    assert (other.ownership, other.jailbroken, other.serial) == ("unknown", None, None)


def test_garbage_types_are_refused() -> None:
    with pytest.raises(ValueError):
        _intune(isEncrypted="perhaps")
    with pytest.raises(ValueError):
        _intune(lastSyncDateTime="yesterday")
    with pytest.raises(ValueError):
        dv.IntuneManagedDevice.model_validate({"serialNumber": "X"})  # no id


# --- ChromeOS -----------------------------------------------------------------------------------


def _chromeos(**fields: Any) -> dv.ChromeOsDevice:
    return dv.ChromeOsDevice.model_validate({"deviceId": "c1", **fields})


def test_chromeos_fields_are_those_google_documents() -> None:
    document = json.loads(DISCOVERY.read_text())
    schema = document["schemas"]["ChromeOsDevice"]["properties"]
    assert set(dv.CHROMEOS_DEVICE_FIELDS) <= set(schema)
    listing = document["resources"]["chromeosdevices"]["methods"]["list"]["parameters"]
    assert {"pageToken", "maxResults", "projection", "orgUnitPath"} <= set(listing)
    assert "Value should not exceed 300" in listing["maxResults"]["description"]


def test_chromeos_update_dates() -> None:
    plain = dv.from_chromeos(_chromeos(autoUpdateThrough="2027-06-01T00:00:00Z"))
    assert (plain.auto_update_through, plain.extended_updates_until) == (date(2027, 6, 1), None)
    old = dv.from_chromeos(_chromeos(autoUpdateExpiration="1654041600000"))
    assert old.auto_update_through == date(2022, 6, 1)
    eligible = {
        "autoUpdateThrough": "2031-06-01",
        "extendedSupportEligible": True,
        "extendedSupportStart": "2028-06-01",
    }
    opted_out = dv.from_chromeos(_chromeos(**eligible, extendedSupportEnabled=False))
    assert (opted_out.auto_update_through, opted_out.extended_updates_until) == (
        date(2028, 6, 1),
        None,
    )
    opted_in = dv.from_chromeos(_chromeos(**eligible, extendedSupportEnabled=True))
    assert opted_in.extended_updates_until == date(2031, 6, 1)
    assert dv.from_chromeos(_chromeos()).auto_update_through is None
    with pytest.raises(ValueError):
        dv.from_chromeos(_chromeos(autoUpdateThrough="soon"))


def test_chromeos_state_boot_mode_and_nothing_assumed() -> None:
    device = dv.from_chromeos(
        _chromeos(status="DEPROVISIONED", bootMode="Dev", orgUnitPath="/Devices/Oak")
    )
    assert (device.state, device.jailbroken, device.category) == (
        "deprovisioned",
        True,
        "/Devices/Oak",
    )
    assert device.encrypted is None and device.compliance is None and device.protection is None


# --- placing --------------------------------------------------------------------------------


def _row(school: str, serial: str) -> dv.RegisterRow:
    asset = Asset(asset_tag=f"T-{serial}", type=AssetType.LAPTOP, model="M", serial=serial)
    return dv.RegisterRow(school=school, asset=asset)


def test_place_by_category_then_register_else_unplaced() -> None:
    settings = TenantDevices(schools={"riverside": "Riverside", "oakfield": "Oakfield"})
    found = [
        dv.from_intune(_intune(id="a", deviceCategoryDisplayName="riverside ", serialNumber="S1")),
        dv.from_intune(_intune(id="b", deviceCategoryDisplayName=None, serialNumber="s2")),
        dv.from_intune(_intune(id="c", deviceCategoryDisplayName="Staff", serialNumber="S3")),
        dv.from_intune(_intune(id="d", serialNumber="S4")),
    ]
    register = [_row("oakfield", "S2"), _row("elsewhere", "S4")]
    placed = {d.id: (d.school, d.placed_by) for d in dv.place(found, settings, register)}
    assert placed == {
        "a": ("riverside", "category"),
        "b": ("oakfield", "register"),
        "c": (None, "none"),
        "d": (None, "none"),  # in the register of a school this tenant does not place
    }
    view = dv.school_devices("t", "intune", "oakfield", dv.place(found, settings, register))
    assert [d.id for d in view.devices] == ["b"]
    assert [d.id for d in view.unplaced] == ["c", "d"]


def test_place_by_the_longest_org_unit() -> None:
    settings = TenantDevices(schools={"trust-wide": "/Devices", "oakfield": "/Devices/Oakfield"})
    found = [
        dv.from_chromeos(_chromeos(deviceId="x", orgUnitPath="/Devices/Oakfield/Year 3")),
        dv.from_chromeos(_chromeos(deviceId="y", orgUnitPath="/Devices/Oakfielders")),
        dv.from_chromeos(_chromeos(deviceId="z", orgUnitPath="/Staff")),
    ]
    placed = {d.id: (d.school, d.placed_by) for d in dv.place(found, settings, [])}
    assert placed == {
        "x": ("oakfield", "org_unit"),
        "y": ("trust-wide", "org_unit"),
        "z": (None, "none"),
    }
    assert dv.counts(dv.place(found, settings, [])) == {
        "(unplaced)": 1,
        "oakfield": 1,
        "trust-wide": 1,
    }


def test_catalogue_declares_the_device_facts() -> None:
    assert FACTS["school_devices"].type is dv.SchoolDevices
    assert FACTS["trust_register"].source == "register"
    assert FACTS["intune_managed_devices"].source == "tenant"
    assert FACTS["chromeos_devices"].type == list[dv.ChromeOsDevice]


def test_the_protection_state_is_unwrapped_and_cut_to_the_fields_judged() -> None:
    from matops.facts.tenant.reads import _unwrapped

    documented = json.loads((GRAPH / "windows_protection_state.json").read_text())
    kept = _unwrapped(documented)  # the reference page's {"value": {...}}
    assert kept is not None and set(kept) == set(dv.PROTECTION_FIELDS)
    graph = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#x",
        **documented["value"],
    }
    assert _unwrapped(graph) == kept  # Graph's own answer: the object itself
    assert _unwrapped(None) is None
    device = dv.IntuneManagedDevice.model_validate(
        {"id": "d", "operatingSystem": "Windows", "windowsProtectionState": kept}
    )
    assert dv.from_intune(device).protection is not None
