"""Idle SSH sessions are closed within 15 minutes."""

from __future__ import annotations

from matops.facts.linux.model import SshdEffective
from matops.scan.verdict import Verdict, failed, passed

LIMIT = 900


def judge(sshd_effective: SshdEffective) -> Verdict:
    """Pass when ClientAliveInterval x ClientAliveCountMax is between 1 and 900 seconds."""
    interval = int(sshd_effective.get("clientaliveinterval", "0") or 0)
    count = int(sshd_effective.get("clientalivecountmax", "3") or 0)
    if interval <= 0 or count <= 0:
        return failed(f"ClientAliveInterval {interval}, CountMax {count}: sessions never time out")
    if interval * count > LIMIT:
        return failed(f"sessions close after {interval * count}s; at most {LIMIT}s")
    return passed(f"sessions close after {interval * count}s")
