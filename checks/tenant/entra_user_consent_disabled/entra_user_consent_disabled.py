"""Users cannot consent to applications on their own."""

from __future__ import annotations

from matops.facts.tenant.model import EntraAuthorizationPolicy
from matops.scan.verdict import Verdict, failed, listing, passed

SELF_CONSENT = "ManagePermissionGrantsForSelf."


def judge(entra_authorization_policy: EntraAuthorizationPolicy) -> Verdict:
    """Fail when a permission grant policy that lets users consent for themselves is assigned."""
    assigned = entra_authorization_policy.default_user_role_permissions
    consent = [p for p in assigned.permission_grant_policies_assigned if p.startswith(SELF_CONSENT)]
    if consent:
        return failed(f"users may consent to apps themselves ({listing(consent)})")
    return passed("users cannot consent to apps; an administrator approves each app")
