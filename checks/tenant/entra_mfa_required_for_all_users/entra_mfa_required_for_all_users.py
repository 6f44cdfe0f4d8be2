"""Every user must use MFA for every app: security defaults, or conditional access."""

from __future__ import annotations

from matops.facts.tenant.model import (
    ConditionalAccessPolicy,
    EntraSecurityDefaults,
    EntraUser,
    Unavailable,
)
from matops.inventory.tenants import TenantInfo
from matops.scan.tenant_judging import (
    break_glass_ids,
    modern_clients,
    requires_mfa,
    scope,
    undeclared_exclusions,
    upn_of,
)
from matops.scan.verdict import Verdict, failed, listing, passed


def judge(
    tenant_info: TenantInfo,
    entra_security_defaults: EntraSecurityDefaults,
    entra_conditional_access: list[ConditionalAccessPolicy] | Unavailable,
    entra_users: list[EntraUser],
) -> Verdict:
    """Pass on security defaults, or an enabled policy requiring MFA (or an authentication
    strength) for all users, all apps and all modern clients that leaves out only the declared
    break-glass accounts."""
    if entra_security_defaults.is_enabled:
        return passed("security defaults are on: every user registers for and uses MFA")
    if isinstance(entra_conditional_access, Unavailable):
        return failed(
            "neither security defaults nor conditional access: security defaults are off and "
            f"conditional access needs {entra_conditional_access.licence}, which this tenant "
            "lacks; turn security defaults on"
        )
    allowed = break_glass_ids(tenant_info, entra_users)
    upns = upn_of(entra_users)
    wide = [
        p
        for p in entra_conditional_access
        if requires_mfa(p) and scope(p).all_users and scope(p).all_apps and modern_clients(p)
    ]
    problems: list[str] = []
    for policy in wide:
        extra = undeclared_exclusions(policy, allowed, upns)
        if policy.state == "enabled" and not extra:
            return passed(
                f"conditional access policy '{policy.display_name}' requires MFA "
                "for all users and all apps, excluding only break-glass accounts"
            )
        if policy.state != "enabled":
            problems.append(f"'{policy.display_name}' is {policy.state}, not enforced")
        if extra:
            problems.append(f"'{policy.display_name}' excludes {listing(extra)}")
    if not wide:
        return failed(
            "security defaults are off and no conditional access policy requires MFA for all "
            "users and all apps"
        )
    return failed(
        "security defaults are off and MFA is not required of everyone: " + "; ".join(problems)
    )
