"""The school's register rows and the enrolled devices with the same serial agree."""

from __future__ import annotations

from datetime import date

from matops.facts.tenant.devices import DeviceOs, ManagedDevice, RegisterRow, SchoolDevices
from matops.inventory.model import Asset
from matops.scan.device_judging import (
    is_live,
    label,
    models_agree,
    register_os,
    serial_key,
    windows_build,
    windows_major,
)
from matops.scan.verdict import Verdict, failed, listing, not_applicable, passed


def _os_problem(asset: Asset, device: ManagedDevice) -> str | None:
    found = register_os(asset.os)
    if found is None:
        return f"register OS {asset.os!r} but {device.os.value}" if asset.os else None
    if found[0] is not device.os:
        return f"register OS {asset.os!r} but {device.os.value}"
    parsed = windows_build(device.os_version)
    if device.os is DeviceOs.WINDOWS and parsed is not None:
        major = windows_major(parsed[0])
        named = next((n for n in (10, 11) if f"windows {n}" in (asset.os or "").casefold()), None)
        if named is not None and named != major:
            return f"register {asset.os!r} but build {parsed[0]} is Windows {major}"
    return None


def judge(
    school_devices: SchoolDevices, trust_register: list[RegisterRow], scan_date: date
) -> Verdict:
    """Fail listing devices whose live register row (same serial, this school) names another
    model or operating system (Windows 10 against 11 included); machine-type codes that cannot
    be compared to a model name are left out."""
    rows: dict[str, Asset] = {}
    for row in trust_register:
        key = serial_key(row.asset.serial)
        if key and row.school == school_devices.school and is_live(row.asset, scan_date):
            rows.setdefault(key, row.asset)
    matched = [
        (d, rows[d.serial])
        for d in school_devices.devices
        if d.serial in rows and d.state == "active" and d.serial is not None
    ]
    if not matched:
        return not_applicable(f"no enrolled device of {school_devices.school} is in its register")
    problems = []
    for device, asset in matched:
        found = []
        if models_agree(asset.model, device.model) is False:
            found.append(f"register model {asset.model!r} but {device.model!r}")
        os_problem = _os_problem(asset, device)
        if os_problem:
            found.append(os_problem)
        if found:
            problems.append(f"{label(device, asset.asset_tag)}: {'; '.join(found)}")
    figures = {"matched": len(matched), "disagree": len(problems)}
    if problems:
        return failed(f"register and management disagree: {listing(sorted(problems))}", figures)
    return passed(f"the register agrees for all {len(matched)} matched devices", figures)
