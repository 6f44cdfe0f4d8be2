"""Every super administrator has enrolled in 2-Step Verification."""

from __future__ import annotations

from matops.facts.tenant.model import GoogleUser
from matops.scan.verdict import Verdict, errored, failed, listing, passed


def judge(google_users: list[GoogleUser]) -> Verdict:
    """Fail naming active super administrators not enrolled in 2SV."""
    supers = [u for u in google_users if u.is_admin and not u.suspended]
    if not supers:
        return errored("no active super administrator among the users read")
    missing = sorted(u.primary_email for u in supers if not u.is_enrolled_in_2sv)
    if missing:
        return failed(f"super administrators not enrolled in 2SV: {listing(missing)}")
    return passed(f"all {len(supers)} super administrators are enrolled in 2-Step Verification")
