"""2-Step Verification is enforced in every staff organisational unit."""

from __future__ import annotations

from datetime import UTC, date, datetime

from matops.facts.tenant.model import GoogleOrgUnit, GooglePolicy, GoogleUser
from matops.inventory.tenants import TenantInfo
from matops.scan.tenant_judging import effective, google, group_policies, under, units_within
from matops.scan.verdict import Verdict, failed, listing, passed

SETTING = "security.two_step_verification_enforcement"


def _enforced(policy: GooglePolicy | None, by: datetime) -> bool:
    value = policy.setting.value.get("enforcedFrom") if policy is not None else None
    if not isinstance(value, str):
        return False
    try:
        start = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return start <= by


def judge(
    tenant_info: TenantInfo,
    google_policies: list[GooglePolicy],
    google_org_units: list[GoogleOrgUnit],
    google_users: list[GoogleUser],
    scan_date: date,
) -> Verdict:
    """Every org unit at or below the inventory's staff units has an enforcement policy whose
    ``enforcedFrom`` has passed; group policies that turn enforcement off are failures too."""
    end = datetime(scan_date.year, scan_date.month, scan_date.day, 23, 59, 59, tzinfo=UTC)
    units = units_within(google(tenant_info).org_units.staff, google_org_units)
    gaps = []
    for unit in units:
        found = effective(google_policies, google_org_units, SETTING, unit)
        if not _enforced(found.policy, end):
            gaps.append(unit if found.policy else f"{unit} (no policy: Google's default is off)")
    exempt = [
        p.policy_query.group or p.name
        for p in group_policies(google_policies, SETTING)
        if not _enforced(p, end)
    ]
    # for the reports, not the verdict: active staff accounts and how many enrolled in 2SV
    staff = [
        u
        for u in google_users
        if under(u.org_unit_path, google(tenant_info).org_units.staff)
        and not u.suspended
        and not u.archived
    ]
    figures = {"staff": len(staff), "staff_mfa": sum(1 for u in staff if u.is_enrolled_in_2sv)}
    if gaps or exempt:
        parts = [f"not enforced in {listing(gaps)}"] if gaps else []
        parts += [f"group policies turn it off for {listing(exempt)}"] if exempt else []
        return failed("2-Step Verification " + "; ".join(parts), figures)
    return passed(f"2-Step Verification enforced in {listing(units)}", figures)
