"""Which managed devices are proposed as register rows, and why the others are not (data)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from matops.facts.device_tables import load_windows_releases
from matops.facts.tenant.devices import DeviceOs, ManagedDevice, RegisterRow, SchoolDevices
from matops.inventory.from_devices import proposal_csv, propose
from matops.inventory.model import Asset, AssetType

TODAY = date(2026, 12, 5)


def device(serial: str | None, model: str = "Latitude 5440", **changes: Any) -> ManagedDevice:
    fields: dict[str, Any] = dict(
        plane="intune", id=f"id-{serial}", serial=serial, model=model, manufacturer="Dell Inc.",
        os=DeviceOs.WINDOWS, os_version="10.0.26100.7171", school="alpha-primary",
        placed_by="category", ownership="company", state="active", compliance="compliant",
        encrypted=True, supervised=None, jailbroken=None,
        last_sync=datetime(2026, 12, 4, 9, 0, tzinfo=UTC), enrolled=None, protection=None,
        auto_update_through=None, extended_updates_until=None, category="Alpha",
    )  # fmt: skip
    return ManagedDevice.model_validate(fields | changes)


def row(school: str, tag: str, serial: str | None, **changes: Any) -> RegisterRow:
    asset = Asset(asset_tag=tag, type=AssetType.LAPTOP, model="Dell Latitude 5440", serial=serial)
    return RegisterRow(school=school, asset=asset.model_copy(update=changes))


def test_only_active_school_owned_unregistered_devices_are_proposed() -> None:
    devices = [
        device("NEW1"),
        device("HERE1"),
        device("ELSE1"),
        device("GONE1"),
        device("RET1", state="retired"),
        device("BYOD1", ownership="personal", model="iPhone 15", os=DeviceOs.IOS),
        device(None),
    ]
    register = [
        row("alpha-primary", "A-1", "here1"),
        row("beta-academy", "B-1", "ELSE1"),
        row("alpha-primary", "A-2", "GONE1", disposed_date=date(2026, 7, 24)),
        row("alpha-primary", "A-3", None),
    ]
    school = SchoolDevices(
        school="alpha-primary", tenant="t1", plane="intune", devices=devices,
        unplaced=[device("LOST1", school=None, placed_by="none", category="Unknown")],
    )  # fmt: skip
    result = propose(school, register, TODAY, load_windows_releases())

    assert (result.managed, result.registered) == (7, 1)
    assert [p.device.serial for p in result.proposed] == ["NEW1"]
    assert result.skipped == [
        ("ELSE1 Latitude 5440", "registered at beta-academy"),
        ("GONE1 Latitude 5440", "the register says A-2 was disposed of on 2026-07-24, yet it is "
                                "still enrolled: retire and wipe it, or correct the register"),
        ("RET1 Latitude 5440", "retired in management, not proposed"),
        ("BYOD1 iPhone 15", "personally owned: not the school's asset"),
        ("no serial Latitude 5440", "no serial number reported: add its row by hand"),
        ("LOST1 Latitude 5440", "in no school (Intune category Unknown): place it first"),
    ]  # fmt: skip
    proposed = result.proposed[0].row
    assert {k: proposed[k] for k in ("asset_tag", "type", "model", "os", "os_version")} == {
        "asset_tag": "", "type": "laptop", "model": "Dell Latitude 5440", "os": "Windows 11",
        "os_version": "24H2",
    }  # fmt: skip
    assert proposed["notes"].startswith("or is it A-3 (same model, no serial in the register)?")
    assert proposal_csv([result]).splitlines()[1].startswith(",laptop,Dell Latitude 5440,NEW1,")


def test_a_windows_model_that_names_no_range_leaves_the_type_to_the_technician() -> None:
    school = SchoolDevices(
        school="alpha-primary", tenant="t1", plane="intune",
        devices=[device("X1", model="21JR0007UK", manufacturer="LENOVO")], unplaced=[],
    )  # fmt: skip
    proposed = propose(school, [], TODAY).proposed[0].row
    assert (proposed["type"], proposed["model"]) == ("", "Lenovo 21JR0007UK")
    assert "give the type (laptop or desktop?)" in proposed["notes"]
    assert (proposed["os"], proposed["os_version"]) == ("Windows", "10.0.26100.7171")  # no table
