"""SSH accepts keys only, not passwords."""

from __future__ import annotations

from matops.facts.linux.model import SshdEffective
from matops.scan.verdict import Verdict, verdict_for

KEYS = ("passwordauthentication", "kbdinteractiveauthentication")


def judge(sshd_effective: SshdEffective) -> Verdict:
    """Fail when password or keyboard-interactive authentication is on."""
    on = [key for key in KEYS if sshd_effective.get(key, "yes") != "no"]
    return verdict_for(on, "password logins are off", "enabled: ")
