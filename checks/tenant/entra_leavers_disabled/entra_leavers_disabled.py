"""Accounts of staff past their leave date are disabled."""

from __future__ import annotations

from datetime import date

from matops.facts.tenant.model import EntraUser
from matops.inventory.staff import StaffMember
from matops.inventory.tenants import TenantInfo
from matops.scan.tenant_judging import leavers
from matops.scan.verdict import Verdict, failed, listing, not_applicable, passed


def judge(
    tenant_info: TenantInfo,
    entra_users: list[EntraUser],
    staff_list: list[StaffMember],
    scan_date: date,
) -> Verdict:
    """Fail naming each leaver (staff list, leave date passed) whose account is still enabled,
    matched on user principal name or mail."""
    gone = leavers(staff_list, scan_date, tenant_info)
    if not staff_list:
        return not_applicable("no staff list (people/staff.csv) to find leavers in")
    by_address: dict[str, EntraUser] = {}
    for user in entra_users:
        for address in (user.user_principal_name, user.mail):
            if address:
                by_address[address.lower()] = user
    found = [(m, u) for m in gone if (u := by_address.get(m.email)) is not None]
    still = [m for m, u in found if u.account_enabled is not False]
    disabled = [m for m, u in found if u.account_enabled is False]
    figures = {
        "leavers": len(gone),
        "leavers_enabled": len(still),
        "leavers_disabled": len(disabled),
    }
    staff_accounts = {
        "leavers_enabled": sorted(m.email for m in still),
        "leavers_disabled": sorted(m.email for m in disabled),
    }
    if still:
        enabled = [f"{m.email} (left {m.leave_date})" for m in still]
        return failed(f"leavers still enabled: {listing(enabled)}", figures, staff_accounts)
    return passed(
        f"{len(gone)} leavers in the staff list: none has an enabled account",
        figures,
        staff_accounts,
    )
