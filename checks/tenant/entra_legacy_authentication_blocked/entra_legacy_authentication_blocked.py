"""Legacy authentication (Exchange ActiveSync and other old protocols) is blocked."""

from __future__ import annotations

from matops.facts.tenant.model import (
    ConditionalAccessPolicy,
    EntraSecurityDefaults,
    EntraUser,
    Unavailable,
)
from matops.inventory.tenants import TenantInfo
from matops.scan.tenant_judging import (
    LEGACY_CLIENTS,
    blocks,
    break_glass_ids,
    covers_client,
    scope,
    undeclared_exclusions,
    upn_of,
)
from matops.scan.verdict import Verdict, failed, passed


def judge(
    tenant_info: TenantInfo,
    entra_security_defaults: EntraSecurityDefaults,
    entra_conditional_access: list[ConditionalAccessPolicy] | Unavailable,
    entra_users: list[EntraUser],
) -> Verdict:
    """Pass on security defaults, or enabled blocking policies for all users and apps that
    cover both ``exchangeActiveSync`` and ``other`` and exclude only break-glass accounts."""
    if entra_security_defaults.is_enabled:
        return passed("security defaults are on: legacy authentication is blocked")
    if isinstance(entra_conditional_access, Unavailable):
        return failed(
            "legacy authentication is not blocked: security defaults are off and conditional "
            f"access needs {entra_conditional_access.licence}, which this tenant lacks"
        )
    allowed = break_glass_ids(tenant_info, entra_users)
    upns = upn_of(entra_users)
    gaps: list[str] = []
    for client in LEGACY_CLIENTS:
        candidates = [
            p
            for p in entra_conditional_access
            if blocks(p) and covers_client(p, client) and scope(p).all_users and scope(p).all_apps
        ]
        good = [
            p
            for p in candidates
            if p.state == "enabled" and not undeclared_exclusions(p, allowed, upns)
        ]
        if good:
            continue
        why = [
            f"'{p.display_name}' is {p.state}"
            if p.state != "enabled"
            else f"'{p.display_name}' has undeclared exclusions"
            for p in candidates
        ]
        gaps.append(f"{client} ({'; '.join(why) or 'no blocking policy'})")
    if gaps:
        return failed("legacy authentication is not blocked for: " + ", ".join(gaps))
    return passed("enabled conditional access blocks exchangeActiveSync and other clients")
