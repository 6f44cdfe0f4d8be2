"""Every active Windows device runs a feature release that is still serviced."""

from __future__ import annotations

from datetime import date

from matops.facts.device_tables import WindowsReleases
from matops.facts.tenant.devices import DeviceOs, ManagedDevice, SchoolDevices
from matops.inventory.tenants import TenantInfo
from matops.scan.device_judging import (
    Outcome,
    judge_in_use,
    settings,
    windows_release_of,
    windows_support_end,
)
from matops.scan.verdict import Verdict


def judge(
    school_devices: SchoolDevices,
    tenant_info: TenantInfo,
    windows_releases: WindowsReleases,
    scan_date: date,
) -> Verdict:
    """Fail for each Windows device whose release's servicing (or the trust's declared
    Windows 10 ESU) ended before the scan date; a build the table does not know is an error."""
    devices = settings(tenant_info)

    def one(device: ManagedDevice) -> Outcome:
        found = windows_release_of(device, windows_releases)
        if isinstance(found, str):
            return "unknown", found
        release, _ = found
        end = windows_support_end(release, devices)
        if end < scan_date:
            return "bad", f"{release.name}, serviced until {end}"
        return "ok", ""

    return judge_in_use(
        school_devices,
        (DeviceOs.WINDOWS,),
        one,
        ok="every Windows device runs a serviced release",
        bad="Windows release no longer serviced",
    )
