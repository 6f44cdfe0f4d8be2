"""No active personally owned device is enrolled where the trust blocks them."""

from __future__ import annotations

from matops.facts.tenant.devices import ManagedDevice, SchoolDevices
from matops.inventory.tenants import TenantInfo
from matops.scan.device_judging import Outcome, judge_in_use, settings
from matops.scan.verdict import Verdict, not_applicable


def judge(school_devices: SchoolDevices, tenant_info: TenantInfo) -> Verdict:
    """Fail for each active device Intune records as personally owned when the trust blocks
    them; ownership unknown is an error; not applicable when the trust allows them."""
    if settings(tenant_info).personal_devices == "allowed":
        return not_applicable(f"{tenant_info.name} allows personally owned devices")

    def one(device: ManagedDevice) -> Outcome:
        if device.ownership == "unknown":
            return "unknown", "ownership not recorded"
        return ("bad", "personally owned") if device.ownership == "personal" else ("ok", "")

    return judge_in_use(
        school_devices,
        (),
        one,
        ok="every enrolled device is school owned",
        bad="personally owned devices enrolled",
    )
