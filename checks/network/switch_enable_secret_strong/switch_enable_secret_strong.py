"""The enable secret is stored with a strong hash (type 8 or 9)."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.scan.verdict import Verdict, failed, not_applicable, passed

STRONG = frozenset({"8", "9"})


def judge(running_config: NetworkConfig) -> Verdict:
    """Fail on a missing or weak enable secret, or any enable password."""
    if not running_config.has_enable_mode:
        return not_applicable("the platform has no enable password")
    if running_config.enable_password_set:
        return failed("an 'enable password' is set; remove it and use 'enable secret 9'")
    kind = running_config.enable_secret_type
    if kind is None:
        return failed("no enable secret configured")
    if kind not in STRONG:
        return failed(f"enable secret is type {kind}; use type 9 (scrypt) or 8")
    return passed(f"enable secret type {kind}")
