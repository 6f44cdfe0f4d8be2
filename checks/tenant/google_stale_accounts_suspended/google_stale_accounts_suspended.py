"""No active Google account has gone 90 days without a login."""

from __future__ import annotations

from datetime import date

from matops.facts.tenant.model import GoogleUser
from matops.inventory.tenants import TenantInfo
from matops.scan.tenant_judging import STALE_DAYS, days_before, described, google, is_pupil
from matops.scan.verdict import Verdict, failed, passed


def judge(tenant_info: TenantInfo, google_users: list[GoogleUser], scan_date: date) -> Verdict:
    """Fail when an active account older than 90 days has not logged in for 90 days (or
    never); pupils are counted, staff named; declared break-glass accounts are left out."""
    tenant = google(tenant_info)
    cutoff = days_before(scan_date, STALE_DAYS)
    active = [
        u
        for u in google_users
        if not u.suspended and not u.archived and u.primary_email.lower() not in tenant.break_glass
    ]
    staff: list[str] = []
    pupils = 0
    for user in active:
        if user.creation_time is not None and user.creation_time > cutoff:
            continue
        if user.never_logged_in() or (user.last_login_time and user.last_login_time < cutoff):
            if is_pupil(user, tenant):
                pupils += 1
            else:
                staff.append(user.primary_email)
    if staff or pupils:
        return failed(f"active with no login for {STALE_DAYS} days: {described(staff, pupils)}")
    return passed(f"all {len(active)} active accounts logged in within {STALE_DAYS} days")
