"""MFA and blocking policies exclude nobody but the declared break-glass accounts."""

from __future__ import annotations

from matops.facts.tenant.model import ConditionalAccessPolicy, EntraUser, Unavailable
from matops.inventory.tenants import TenantInfo
from matops.scan.tenant_judging import (
    blocks,
    break_glass_ids,
    requires_mfa,
    undeclared_exclusions,
    upn_of,
)
from matops.scan.verdict import Verdict, failed, listing, not_applicable, passed


def judge(
    tenant_info: TenantInfo,
    entra_conditional_access: list[ConditionalAccessPolicy] | Unavailable,
    entra_users: list[EntraUser],
) -> Verdict:
    """List every exclusion (user, group, role) of an MFA or blocking policy that is not a
    declared break-glass account; disabled policies are left out."""
    if isinstance(entra_conditional_access, Unavailable):
        return not_applicable(
            f"conditional access needs {entra_conditional_access.licence}, which this tenant lacks"
        )
    allowed = break_glass_ids(tenant_info, entra_users)
    upns = upn_of(entra_users)
    relevant = [
        p
        for p in entra_conditional_access
        if p.state != "disabled" and (requires_mfa(p) or blocks(p))
    ]
    found = []
    for policy in relevant:
        extra = undeclared_exclusions(policy, allowed, upns)
        if extra:
            found.append(f"'{policy.display_name}' excludes {listing(extra)}")
    if found:
        return failed("undeclared exclusions: " + "; ".join(found))
    return passed(
        f"{len(relevant)} MFA or blocking policies exclude only declared break-glass accounts"
    )
