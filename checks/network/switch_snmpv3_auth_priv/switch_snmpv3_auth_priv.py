"""Every SNMPv3 user authenticates and encrypts with modern algorithms."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.scan.verdict import Verdict, not_applicable, verdict_for

WEAK = frozenset({"md5", "des", "3des"})


def judge(running_config: NetworkConfig) -> Verdict:
    """Fail listing users without auth or priv, or with MD5/DES."""
    users = running_config.snmp_v3_users
    if not users:
        return not_applicable("no SNMPv3 users or groups configured")
    problems = []
    for user in users:
        if not user.auth or not user.priv:
            problems.append(f"{user.name} lacks {'authentication' if not user.auth else 'privacy'}")
        weak = {user.auth or "", user.priv or ""} & WEAK
        if weak:
            problems.append(f"{user.name} uses {', '.join(sorted(weak))}")
    return verdict_for(problems, f"{len(users)} SNMPv3 user(s) with auth and priv")
