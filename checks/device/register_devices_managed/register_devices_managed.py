"""Every live endpoint row of the school that this plane manages matches an enrolled device."""

from __future__ import annotations

from datetime import date

from matops.facts.tenant.devices import RegisterRow, SchoolDevices
from matops.scan.device_judging import (
    ENDPOINT_TYPES,
    RELEASED,
    asset_label,
    is_live,
    register_os,
    serial_key,
)
from matops.scan.verdict import Verdict, failed, listing, not_applicable, passed


def judge(
    school_devices: SchoolDevices, trust_register: list[RegisterRow], scan_date: date
) -> Verdict:
    """Fail listing the school's live laptops, desktops and tablets with an OS this plane
    manages whose serial no enrolled device of the tenant has, and those whose row has no serial
    to match (the register cannot show them managed)."""
    here, plane = school_devices.school, school_devices.plane
    enrolled = {
        d.serial
        for d in (*school_devices.devices, *school_devices.unplaced)
        if d.serial and d.state not in RELEASED
    }
    rows = [
        r.asset
        for r in trust_register
        if r.school == here
        and r.asset.type in ENDPOINT_TYPES
        and is_live(r.asset, scan_date)
        and (found := register_os(r.asset.os)) is not None
        and found[1] == plane
    ]
    if not rows:
        return not_applicable(f"{here}'s register has no live devices that {plane} manages")
    no_serial = sorted(asset_label(a) for a in rows if serial_key(a.serial) is None)
    missing = sorted(
        asset_label(a) for a in rows if (key := serial_key(a.serial)) and key not in enrolled
    )
    figures = {"rows": len(rows), "not_enrolled": len(missing), "no_serial": len(no_serial)}
    found = []
    if missing:
        found.append(f"not enrolled in {school_devices.tenant} ({plane}): {listing(missing)}")
    if no_serial:
        found.append(f"no serial in the register to match: {listing(no_serial)}")
    if found:
        return failed("; ".join(found), figures)
    return passed(f"all {len(rows)} live devices {plane} manages are enrolled", figures)
