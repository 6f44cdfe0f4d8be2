"""Every active Chromebook is before its Auto Update Expiration (or extended updates)."""

from __future__ import annotations

from datetime import date

from matops.facts.tenant.devices import DeviceOs, ManagedDevice, SchoolDevices
from matops.scan.device_judging import Outcome, judge_in_use
from matops.scan.verdict import Verdict


def judge(school_devices: SchoolDevices, scan_date: date) -> Verdict:
    """Fail for each Chromebook whose updates (extended ones when enabled) ended before the
    scan date; a device Google reports no date for is an error."""

    def one(device: ManagedDevice) -> Outcome:
        end = device.extended_updates_until or device.auto_update_through
        if end is None:
            return "unknown", "no Auto Update Expiration reported"
        if end < scan_date:
            return "bad", f"updates ended {end}"
        return "ok", ""

    return judge_in_use(
        school_devices,
        (DeviceOs.CHROMEOS,),
        one,
        ok="every Chromebook still receives updates",
        bad="past Auto Update Expiration",
    )
