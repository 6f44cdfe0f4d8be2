"""2-Step Verification is enforced for every Google administrator."""

from __future__ import annotations

from matops.facts.tenant.model import GoogleUser
from matops.scan.verdict import Verdict, errored, failed, listing, passed


def judge(google_users: list[GoogleUser]) -> Verdict:
    """Fail naming active super and delegated admins not enforced in 2SV."""
    admins = [u for u in google_users if (u.is_admin or u.is_delegated_admin) and not u.suspended]
    if not admins:
        return errored("no active administrator among the users read")
    open_ = sorted(u.primary_email for u in admins if not u.is_enforced_in_2sv)
    figures = {"admins": len(admins), "admins_mfa": len(admins) - len(open_)}
    staff_accounts = {"admins": sorted(u.primary_email for u in admins)}
    if open_:
        return failed(
            f"administrators without 2-Step Verification enforced: {listing(open_)}",
            figures,
            staff_accounts,
        )
    return passed(
        f"2-Step Verification is enforced for all {len(admins)} administrators",
        figures,
        staff_accounts,
    )
