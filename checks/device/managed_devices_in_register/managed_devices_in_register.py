"""Every active device placed in the school has a live row in the school's register."""

from __future__ import annotations

from datetime import date

from matops.facts.tenant.devices import ManagedDevice, RegisterRow, SchoolDevices
from matops.scan.device_judging import Outcome, is_live, judge_in_use, serial_key
from matops.scan.verdict import Verdict


def judge(
    school_devices: SchoolDevices, trust_register: list[RegisterRow], scan_date: date
) -> Verdict:
    """Fail for each device whose serial is in no live row of this school's register (saying
    when another school's register holds it, or that it was disposed of); devices without a
    serial are errors."""
    here = school_devices.school
    live: dict[str, set[str]] = {}
    gone: set[str] = set()
    for row in trust_register:
        key = serial_key(row.asset.serial)
        if key and is_live(row.asset, scan_date):
            live.setdefault(key, set()).add(row.school)
        elif key:
            gone.add(key)

    def one(device: ManagedDevice) -> Outcome:
        if device.serial is None:
            return "unknown", "no serial number reported"
        schools = live.get(device.serial, set())
        if here in schools:
            return "ok", ""
        if schools:
            return "bad", f"registered at {', '.join(sorted(schools))}, not {here}"
        if device.serial in gone:
            return "bad", "recorded as disposed of, yet enrolled"
        return "bad", f"not in {here}'s register"

    return judge_in_use(
        school_devices,
        (),
        one,
        ok=f"every device is in {here}'s register",
        bad="missing from the register",
    )
