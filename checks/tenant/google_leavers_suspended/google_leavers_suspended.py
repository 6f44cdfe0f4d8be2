"""Google accounts of staff past their leave date are suspended."""

from __future__ import annotations

from datetime import date

from matops.facts.tenant.model import GoogleUser
from matops.inventory.staff import StaffMember
from matops.inventory.tenants import TenantInfo
from matops.scan.tenant_judging import leavers
from matops.scan.verdict import Verdict, failed, listing, not_applicable, passed


def judge(
    tenant_info: TenantInfo,
    google_users: list[GoogleUser],
    staff_list: list[StaffMember],
    scan_date: date,
) -> Verdict:
    """Fail naming each leaver whose Google account is neither suspended nor archived."""
    if not staff_list:
        return not_applicable("no staff list (people/staff.csv) to find leavers in")
    gone = leavers(staff_list, scan_date, tenant_info)
    users = {u.primary_email.lower(): u for u in google_users}
    found = [(m, u) for m in gone if (u := users.get(m.email)) is not None]
    still = [m for m, u in found if not u.suspended and not u.archived]
    stopped = [m for m, u in found if u.suspended or u.archived]
    figures = {
        "leavers": len(gone),
        "leavers_enabled": len(still),
        "leavers_disabled": len(stopped),
    }
    staff_accounts = {
        "leavers_enabled": sorted(m.email for m in still),
        "leavers_disabled": sorted(m.email for m in stopped),
    }
    if still:
        active = [f"{m.email} (left {m.leave_date})" for m in still]
        return failed(f"leavers not suspended: {listing(active)}", figures, staff_accounts)
    return passed(
        f"{len(gone)} leavers in the staff list: none has an active account",
        figures,
        staff_accounts,
    )
