"""The Google customer has between two and four active super administrators."""

from __future__ import annotations

from matops.facts.tenant.model import GoogleUser
from matops.scan.verdict import Verdict, failed, listing, passed

FEWEST, MOST = 2, 4


def judge(google_users: list[GoogleUser]) -> Verdict:
    """Count active (not suspended) super administrators."""
    supers = sorted(u.primary_email for u in google_users if u.is_admin and not u.suspended)
    count = len(supers)
    figures = {"top_admins": count}
    staff_accounts = {"top_admins": supers}
    if count < FEWEST:
        return failed(
            f"{count} super administrator{'s' if count != 1 else ''}: at least {FEWEST} are needed "
            "so that one person's absence cannot lock the trust out",
            figures,
            staff_accounts,
        )
    if count > MOST:
        return failed(
            f"{count} super administrators (at most {MOST}): {listing(supers)}",
            figures,
            staff_accounts,
        )
    return passed(f"{count} super administrators: {listing(supers)}", figures, staff_accounts)
