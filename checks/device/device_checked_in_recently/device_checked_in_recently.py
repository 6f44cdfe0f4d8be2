"""Every active device has synced within the trust's stale window."""

from __future__ import annotations

from datetime import date

from matops.facts.tenant.devices import ManagedDevice, SchoolDevices
from matops.inventory.tenants import TenantInfo
from matops.scan.device_judging import Outcome, days_ago, judge_in_use, settings
from matops.scan.verdict import Verdict


def judge(school_devices: SchoolDevices, tenant_info: TenantInfo, scan_date: date) -> Verdict:
    """Fail for each device whose last sync is older than ``stale_after_days``; a device with no
    last sync reported is an error."""
    window = settings(tenant_info).stale_after_days

    def one(device: ManagedDevice) -> Outcome:
        if device.last_sync is None:
            return "unknown", "no last check-in reported"
        age = days_ago(scan_date, device.last_sync)
        return ("bad", f"last checked in {age} days ago") if age > window else ("ok", "")

    return judge_in_use(
        school_devices,
        (),
        one,
        ok=f"every device checked in within {window} days",
        bad=f"not checked in for more than {window} days",
    )
