"""The sudo group holds exactly the trust's named administrators."""

from __future__ import annotations

from matops.inventory.model import Admin
from matops.scan.verdict import Verdict, verdict_for

GROUPS = ("sudo", "wheel", "admin")


def judge(
    privileged_groups: dict[str, list[str]],
    trust_admins: list[Admin],
    automation_accounts: list[str],
) -> Verdict:
    """Fail listing extra members of sudo/wheel/admin and trust admins missing from sudo.

    The trust's automation accounts (the deploy account) may be members too."""
    named = {admin.username for admin in trust_admins}
    members = {m for g in GROUPS for m in privileged_groups.get(g, [])}
    extra = members - named - set(automation_accounts)
    problems = [f"{m} is not a trust administrator" for m in sorted(extra)]
    problems += [f"{m} is missing" for m in sorted(named - members)]
    return verdict_for(problems, f"{len(members)} administrators, all named in the inventory")
