"""Every active iPad has the newest release of its major from 14+ days ago."""

from __future__ import annotations

from datetime import date

from matops.facts.device_tables import IpadosReleases
from matops.facts.tenant.devices import DeviceOs, ManagedDevice, SchoolDevices
from matops.scan.device_judging import (
    IPADOS_TABLE,
    Outcome,
    dotted,
    ipados_version,
    judge_in_use,
    newest_due,
    stale_table,
    with_incomplete_table,
)
from matops.scan.verdict import Verdict


def judge(
    school_devices: SchoolDevices, ipados_releases: IpadosReleases, scan_date: date
) -> Verdict:
    """Fail for each iPad below the newest release of its major released at least 14 days
    before the scan; with a stale table those still fail and nothing passes (an error names the
    table); an iPad on a major the table does not know is an error."""
    stale = stale_table(IPADOS_TABLE, ipados_releases.as_of, scan_date)

    def one(device: ManagedDevice) -> Outcome:
        version = ipados_version(device.os_version)
        if version is None:
            return "unknown", f"iPadOS version {device.os_version!r} not reported"
        due = newest_due(ipados_releases, version[0], scan_date)
        if due is None:
            return "unknown", f"iPadOS {version[0]} is not in {IPADOS_TABLE}"
        if version >= due:
            return "ok", ""
        return "bad", f"iPadOS {dotted(version)}, {dotted(due)} is due"

    verdict = judge_in_use(
        school_devices,
        (DeviceOs.IPADOS,),
        one,
        ok="every iPad has the iPadOS updates due",
        bad="iPadOS update not installed within 14 days",
    )
    return with_incomplete_table(verdict, stale)
