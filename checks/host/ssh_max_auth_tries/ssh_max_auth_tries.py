"""SSH allows at most 4 authentication attempts per connection."""

from __future__ import annotations

from matops.facts.linux.model import SshdEffective
from matops.scan.verdict import Verdict, failed, passed

LIMIT = 4


def judge(sshd_effective: SshdEffective) -> Verdict:
    """Compare MaxAuthTries with the limit."""
    tries = int(sshd_effective.get("maxauthtries", "6") or 6)
    if tries > LIMIT:
        return failed(f"MaxAuthTries {tries}; at most {LIMIT}")
    return passed(f"MaxAuthTries {tries}")
