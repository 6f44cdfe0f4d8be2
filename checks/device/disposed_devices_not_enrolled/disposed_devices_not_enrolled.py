"""No device disposed of in any school's register is still enrolled and not released."""

from __future__ import annotations

from datetime import date

from matops.facts.tenant.devices import RegisterRow, SchoolDevices
from matops.scan.device_judging import RELEASED, label, serial_key
from matops.scan.verdict import Verdict, failed, listing, passed


def judge(
    school_devices: SchoolDevices, trust_register: list[RegisterRow], scan_date: date
) -> Verdict:
    """Fail listing devices (the school's and the tenant's unplaced ones) whose serial is on a
    row disposed of by the scan date in any school's register and that the plane has not
    retired, wiped or deprovisioned; a serial with a live row as well is left to the other
    reconciliation checks."""
    disposed: dict[str, RegisterRow] = {}
    live: set[str] = set()
    for row in trust_register:
        key = serial_key(row.asset.serial)
        if key is None:
            continue
        gone = row.asset.disposed_date is not None and row.asset.disposed_date <= scan_date
        if gone:
            disposed.setdefault(key, row)
        else:
            live.add(key)
    found = []
    for device in (*school_devices.devices, *school_devices.unplaced):
        key = device.serial
        if key is None or key not in disposed or key in live or device.state in RELEASED:
            continue
        row = disposed[key]
        found.append(
            f"{label(device, row.asset.asset_tag)}: disposed {row.asset.disposed_date} "
            f"({row.school}), still {device.state}"
        )
    figures = {"disposed_enrolled": len(found)}
    if found:
        return failed(f"disposed of but still enrolled: {listing(sorted(found))}", figures)
    return passed(
        f"no device disposed of in the registers is enrolled in {school_devices.tenant}", figures
    )
