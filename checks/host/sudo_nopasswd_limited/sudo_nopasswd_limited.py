"""Only the trust's named administrators may use sudo without a password."""

from __future__ import annotations

from matops.facts.linux.model import SudoRule
from matops.inventory.model import Admin
from matops.scan.verdict import Verdict, verdict_for


def judge(
    sudoers: list[SudoRule], trust_admins: list[Admin], automation_accounts: list[str]
) -> Verdict:
    """Fail listing NOPASSWD rules granting ALL to anyone but a named administrator or one of
    the trust's automation accounts (which cannot type a password)."""
    named = {admin.username for admin in trust_admins} | set(automation_accounts)
    bad = [
        f"{rule.principal} ({rule.source})"
        for rule in sudoers
        if rule.nopasswd and "ALL" in rule.commands and rule.principal not in named
    ]
    return verdict_for(bad, "passwordless sudo only for named administrators", "NOPASSWD: ALL for ")
