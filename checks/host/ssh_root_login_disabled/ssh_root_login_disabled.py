"""SSH refuses logins as root."""

from __future__ import annotations

from matops.facts.linux.model import SshdEffective
from matops.scan.verdict import Verdict, failed, passed


def judge(sshd_effective: SshdEffective) -> Verdict:
    """Pass only when ``permitrootlogin`` is ``no``."""
    value = sshd_effective.get("permitrootlogin", "prohibit-password")
    if value == "no":
        return passed("PermitRootLogin no")
    return failed(f"PermitRootLogin is {value!r}; set it to 'no'")
