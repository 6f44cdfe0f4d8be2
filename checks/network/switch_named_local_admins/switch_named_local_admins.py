"""Local accounts on the switch are the trust's named administrators only."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.inventory.model import Admin
from matops.scan.verdict import Verdict, verdict_for

DEFAULT_NAMES = frozenset({"admin", "cisco", "manager", "operator", "root", "user", "support"})


def judge(running_config: NetworkConfig, trust_admins: list[Admin]) -> Verdict:
    """Fail listing default-named or unknown local accounts, and lines that log in with a shared
    line password (or with no login at all on a VTY line) instead of a named account."""
    named = {admin.username for admin in trust_admins}
    problems = []
    for user in running_config.local_users:
        if user.name.lower() in DEFAULT_NAMES:
            problems.append(f"{user.name} (factory default name)")
        elif user.name not in named:
            problems.append(f"{user.name} (not a trust administrator)")
    for line in running_config.lines:
        if line.login == "password":
            problems.append(f"line {line.name} (shared line password)")
        elif line.login == "none" and line.name.startswith("vty"):
            problems.append(f"line {line.name} (no login)")
    count = len(running_config.local_users)
    return verdict_for(
        problems, f"{count} local account(s), all named administrators", "accounts: "
    )
