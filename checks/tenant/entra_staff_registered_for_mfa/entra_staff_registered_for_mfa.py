"""Every enabled member of staff has registered an MFA method."""

from __future__ import annotations

from matops.facts.tenant.model import EntraGroup, EntraUser, Unavailable, UserRegistrationDetails
from matops.inventory.tenants import TenantInfo
from matops.scan.tenant_judging import group_members, m365
from matops.scan.verdict import Verdict, errored, failed, listing, not_applicable, passed


def judge(
    tenant_info: TenantInfo,
    entra_groups: list[EntraGroup],
    entra_users: list[EntraUser],
    entra_mfa_registration: list[UserRegistrationDetails] | Unavailable,
) -> Verdict:
    """Fail naming enabled staff (members of the inventory's staff groups) with no MFA method."""
    if isinstance(entra_mfa_registration, Unavailable):
        return not_applicable(
            f"the MFA registration report needs {entra_mfa_registration.licence}, which this "
            "tenant lacks"
        )
    staff, missing_groups = group_members(entra_groups, m365(tenant_info).groups.staff)
    if missing_groups:
        return errored(f"staff groups not found in the tenant: {listing(missing_groups)}")
    enabled = {u.id: u for u in entra_users if u.account_enabled is True and u.id in staff}
    rows = {r.id: r for r in entra_mfa_registration}
    unregistered = sorted(
        u.user_principal_name
        for i, u in enabled.items()
        if i not in rows or not rows[i].is_mfa_registered
    )
    figures = {"staff": len(enabled), "staff_mfa": len(enabled) - len(unregistered)}
    if unregistered:
        return failed(
            f"{len(unregistered)} of {len(enabled)} enabled staff have no MFA method "
            f"registered: {listing(unregistered)}",
            figures,
        )
    return passed(f"all {len(enabled)} enabled staff have registered an MFA method", figures)
