"""Only administrators and guest inviters can invite guests into the tenant."""

from __future__ import annotations

from matops.facts.tenant.model import EntraAuthorizationPolicy
from matops.scan.verdict import Verdict, failed, passed

RESTRICTED = {"none", "adminsAndGuestInviters"}


def judge(entra_authorization_policy: EntraAuthorizationPolicy) -> Verdict:
    """Pass when ``allowInvitesFrom`` is ``none`` or ``adminsAndGuestInviters``."""
    value = entra_authorization_policy.allow_invites_from
    if value in RESTRICTED:
        return passed(f"guest invitations: {value}")
    return failed(
        f"guest invitations allowed from {value}: any member (or guest) can bring outsiders in"
    )
