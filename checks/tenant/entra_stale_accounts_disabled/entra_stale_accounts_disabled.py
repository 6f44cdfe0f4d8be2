"""No enabled account has gone 90 days without signing in."""

from __future__ import annotations

from datetime import date

from matops.facts.tenant.model import EntraGroup, EntraUser, EntraUserSignIn, Unavailable
from matops.inventory.tenants import TenantInfo
from matops.scan.tenant_judging import (
    STALE_DAYS,
    break_glass_ids,
    days_before,
    described,
    group_members,
    m365,
)
from matops.scan.verdict import Verdict, errored, failed, not_applicable, passed


def judge(
    tenant_info: TenantInfo,
    entra_users: list[EntraUser],
    entra_sign_in_activity: list[EntraUserSignIn] | Unavailable,
    entra_groups: list[EntraGroup],
    scan_date: date,
) -> Verdict:
    """Fail when an enabled account older than 90 days has not signed in for 90 days (or
    never); pupils are counted, staff named; declared break-glass accounts are left out."""
    if isinstance(entra_sign_in_activity, Unavailable):
        return not_applicable(
            f"sign-in activity needs {entra_sign_in_activity.licence}, which this tenant lacks"
        )
    pupils, missing = group_members(entra_groups, m365(tenant_info).groups.pupils)
    if missing:
        return errored(f"pupil groups not found in the tenant: {missing}")
    cutoff = days_before(scan_date, STALE_DAYS)
    seen = {s.id: s for s in entra_sign_in_activity}
    skip = break_glass_ids(tenant_info, entra_users)
    stale_staff: list[str] = []
    stale_pupils = 0
    enabled = [u for u in entra_users if u.account_enabled is True and u.id not in skip]
    for user in enabled:
        if user.created_date_time is not None and user.created_date_time > cutoff:
            continue
        if user.id not in seen:
            return errored(f"no sign-in activity was read for {len(enabled)} enabled accounts")
        activity = seen[user.id].sign_in_activity
        last = activity.last_seen() if activity is not None else None
        if last is None or last < cutoff:
            if user.id in pupils:
                stale_pupils += 1
            else:
                stale_staff.append(user.user_principal_name)
    if stale_staff or stale_pupils:
        who = described(stale_staff, stale_pupils)
        return failed(f"enabled with no sign-in for {STALE_DAYS} days: {who}")
    return passed(f"all {len(enabled)} enabled accounts signed in within {STALE_DAYS} days")
