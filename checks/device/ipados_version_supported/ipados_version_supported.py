"""Every active iPad runs one of the two newest iPadOS majors."""

from __future__ import annotations

from datetime import date

from matops.facts.device_tables import IpadosReleases
from matops.facts.tenant.devices import DeviceOs, ManagedDevice, SchoolDevices
from matops.scan.device_judging import (
    IPADOS_TABLE,
    Outcome,
    ipados_version,
    judge_in_use,
    stale_table,
    supported_majors,
)
from matops.scan.verdict import Verdict


def judge(
    school_devices: SchoolDevices, ipados_releases: IpadosReleases, scan_date: date
) -> Verdict:
    """Fail for each iPad on a major that is no longer one of the two newest (saying whether the
    model can upgrade). When the table is stale only the newest known major can still be told
    supported; iPads on older ones are errors."""
    majors = supported_majors(ipados_releases, scan_date)
    stale = stale_table(IPADOS_TABLE, ipados_releases.as_of, scan_date)

    def one(device: ManagedDevice) -> Outcome:
        version = ipados_version(device.os_version)
        if version is None:
            return "unknown", f"iPadOS version {device.os_version!r} not reported"
        if not majors or version[0] > majors[-1]:
            return "unknown", f"iPadOS {version[0]} is not in {IPADOS_TABLE}"
        if version[0] == majors[-1]:
            return "ok", ""
        if stale and version[0] in majors:
            return "unknown", stale
        if version[0] in majors:
            return "ok", ""
        last = ipados_releases.last_major(device.model)
        if last is not None and last < majors[0]:
            return "bad", f"iPadOS {version[0]}; this model stops at iPadOS {last}: replace it"
        return "bad", f"iPadOS {version[0]}, no longer updated: upgrade to {majors[-1]}"

    return judge_in_use(
        school_devices,
        (DeviceOs.IPADOS,),
        one,
        ok=f"every iPad runs iPadOS {' or '.join(map(str, majors))}",
        bad="iPadOS no longer receives security updates",
    )
