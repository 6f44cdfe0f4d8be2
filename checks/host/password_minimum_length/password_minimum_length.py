"""Local passwords must be at least 12 characters (pam_pwquality)."""

from __future__ import annotations

from matops.facts.linux.model import PamModule
from matops.scan.verdict import Verdict, failed, passed

MINIMUM = 12


def judge(pwquality: PamModule) -> Verdict:
    """Pass when pam_pwquality is in the password stack with minlen of at least 12."""
    if not pwquality.in_pam_stack:
        return failed("pam_pwquality is not in the PAM password stack")
    minlen = int(pwquality.settings.get("minlen", "8") or 0)
    if minlen < MINIMUM:
        return failed(f"minlen = {minlen}; at least {MINIMUM}")
    return passed(f"minimum password length {minlen}")
