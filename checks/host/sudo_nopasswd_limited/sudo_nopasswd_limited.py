"""Only the trust's automation accounts may use sudo without a password."""

from __future__ import annotations

from matops.facts.linux.model import SudoRule
from matops.inventory.model import Admin
from matops.scan.verdict import Verdict, verdict_for


def judge(
    sudoers: list[SudoRule], trust_admins: list[Admin], automation_accounts: list[str]
) -> Verdict:
    """Fail listing every NOPASSWD rule granting ALL to anyone but the trust's automation
    accounts (which cannot type a password); named administrators must give their own."""
    allowed = set(automation_accounts)
    admins = {admin.username for admin in trust_admins}
    bad = [
        f"{rule.principal} ({rule.source})"
        + (" is a named administrator: sudo must ask for the password" if rule.principal in
           admins else "")
        for rule in sudoers
        if rule.nopasswd and "ALL" in rule.commands and rule.principal not in allowed
    ]  # fmt: skip
    shown = ", ".join(sorted(allowed)) or "nobody"
    ok = f"passwordless sudo only for the automation accounts ({shown})"
    return verdict_for(bad, ok, "NOPASSWD: ALL for ")
