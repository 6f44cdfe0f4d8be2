"""Accounts lock after at most 10 failed logins (pam_faillock)."""

from __future__ import annotations

from matops.facts.linux.model import PamModule
from matops.scan.verdict import Verdict, failed, passed

LIMIT = 10


def judge(faillock: PamModule) -> Verdict:
    """Pass when pam_faillock is in the stack with deny between 1 and 10."""
    if not faillock.in_pam_stack:
        return failed("pam_faillock is not in the PAM authentication stack")
    deny = int(faillock.settings.get("deny", "3") or 0)
    if deny <= 0 or deny > LIMIT:
        return failed(f"faillock deny = {deny}; it must be between 1 and {LIMIT}")
    return passed(f"accounts lock after {deny} failures")
