"""Every Entra administrator has registered an MFA method."""

from __future__ import annotations

from matops.facts.tenant.model import (
    DirectoryRole,
    EntraUser,
    Unavailable,
    UserRegistrationDetails,
)
from matops.scan.tenant_judging import admin_ids
from matops.scan.verdict import Verdict, errored, failed, listing, not_applicable, passed


def judge(
    entra_directory_roles: list[DirectoryRole],
    entra_mfa_registration: list[UserRegistrationDetails] | Unavailable,
    entra_users: list[EntraUser],
) -> Verdict:
    """Fail naming each enabled administrator whose registration shows no MFA method."""
    if isinstance(entra_mfa_registration, Unavailable):
        return not_applicable(
            f"the MFA registration report needs {entra_mfa_registration.licence}, which this "
            "tenant lacks"
        )
    enabled = {u.id: u for u in entra_users if u.account_enabled is not False}
    admins = sorted(i for i in admin_ids(entra_directory_roles) if i in enabled)
    if not admins:
        return errored("no enabled administrator found in the directory roles read")
    rows = {r.id: r for r in entra_mfa_registration}
    missing = [enabled[i].user_principal_name for i in admins if i not in rows]
    unregistered = [
        rows[i].user_principal_name for i in admins if i in rows and not rows[i].is_mfa_registered
    ]
    figures = {"admins": len(admins), "admins_mfa": len(admins) - len(unregistered)}
    staff_accounts = {"admins": sorted(enabled[i].user_principal_name for i in admins)}
    if unregistered:
        return failed(
            f"administrators with no MFA method registered: {listing(unregistered)}",
            figures,
            staff_accounts,
        )
    if missing:
        return errored(f"no registration record for administrators {listing(missing)}")
    return passed(
        f"all {len(admins)} administrators have registered an MFA method", figures, staff_accounts
    )
