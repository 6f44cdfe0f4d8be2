"""Every active Windows device has its release's security update from 14+ days ago."""

from __future__ import annotations

from datetime import date

from matops.facts.device_tables import WindowsReleases
from matops.facts.tenant.devices import DeviceOs, ManagedDevice, SchoolDevices
from matops.inventory.tenants import TenantInfo
from matops.scan.device_judging import (
    WINDOWS_TABLE,
    Outcome,
    due_update,
    has_update,
    judge_in_use,
    patch_tuesdays_missing,
    settings,
    stale_table,
    windows_release_of,
    windows_support_end,
    with_incomplete_table,
)
from matops.scan.verdict import Verdict, listing


def judge(
    school_devices: SchoolDevices,
    tenant_info: TenantInfo,
    windows_releases: WindowsReleases,
    scan_date: date,
) -> Verdict:
    """Fail for each Windows device below the revision of its release's newest update released
    at least 14 days before the scan (or that month's hotpatch). When the table is stale or
    misses a Patch Tuesday already due, devices behind a known update still fail; nothing passes
    (an error names the table). A release past its support for this trust (Windows 10 without
    paid ESU) is judged against the updates released while it was supported; that it is
    unsupported is windows_release_in_support's finding."""
    devices = settings(tenant_info)
    stale = stale_table(WINDOWS_TABLE, windows_releases.as_of, scan_date)
    missing = patch_tuesdays_missing(windows_releases.as_of, scan_date)
    why = stale
    if why is None and missing:
        why = (
            f"{WINDOWS_TABLE} is known only to {windows_releases.as_of} and lacks the updates "
            f"of {listing(str(d) for d in missing)}, already due: refresh it"
        )

    def one(device: ManagedDevice) -> Outcome:
        found = windows_release_of(device, windows_releases)
        if isinstance(found, str):
            return "unknown", found
        release, revision = found
        update = due_update(release, scan_date, windows_support_end(release, devices))
        if update is None:
            return "unknown", f"{WINDOWS_TABLE} lists no update of {release.name} due yet"
        if has_update(revision, update):
            return "ok", ""
        days = (scan_date - update.released).days
        return "bad", (
            f"{release.name} at .{revision}, missing {update.kb} (.{update.revision}) "
            f"released {update.released}, {days} days ago"
        )

    verdict = judge_in_use(
        school_devices,
        (DeviceOs.WINDOWS,),
        one,
        ok="every Windows device has the security updates due",
        bad="security update not installed within 14 days",
    )
    return with_incomplete_table(verdict, why)
