"""The tenant has between two and four Global Administrators."""

from __future__ import annotations

from matops.facts.tenant.model import DirectoryRole
from matops.scan.tenant_judging import global_admins
from matops.scan.verdict import Verdict, failed, listing, passed

FEWEST, MOST = 2, 4


def judge(entra_directory_roles: list[DirectoryRole]) -> Verdict:
    """Count the Global Administrator role's members (users, groups and apps alike)."""
    role = global_admins(entra_directory_roles)
    holders = [] if role is None else [m.user_principal_name or m.id for m in role.members]
    count = len(holders)
    figures = {"top_admins": count}
    staff_accounts = {"top_admins": sorted(holders)}
    if count < FEWEST:
        return failed(
            f"{count} Global Administrator{'s' if count != 1 else ''}: at least {FEWEST} are "
            "needed so that one person's absence or lost device cannot lock the trust out",
            figures,
            staff_accounts,
        )
    if count > MOST:
        return failed(
            f"{count} Global Administrators (at most {MOST}): {listing(sorted(holders))}; "
            "give the others a narrower role",
            figures,
            staff_accounts,
        )
    return passed(
        f"{count} Global Administrators: {listing(sorted(holders))}", figures, staff_accounts
    )
