"""Rarely used network protocols (DCCP, SCTP, RDS, TIPC) cannot be loaded."""

from __future__ import annotations

from matops.facts.linux.model import ModprobeRules
from matops.scan.verdict import Verdict, failed, listing, passed

PROTOCOLS = ("dccp", "sctp", "rds", "tipc")
REFUSING = ("/bin/false", "/bin/true", "/usr/bin/false", "/usr/bin/true")


def judge(modprobe_rules: ModprobeRules) -> Verdict:
    """Pass when each protocol's module has an ``install`` rule that runs ``false``/``true``
    instead of loading it. A blacklist alone stops loading by alias only (an unprivileged
    socket() call), not ``modprobe dccp``, so it is not enough on its own."""
    loadable = [
        name for name in PROTOCOLS
        if modprobe_rules.install.get(name, "").split()[:1] not in [[cmd] for cmd in REFUSING]
    ]  # fmt: skip
    if loadable:
        return failed(f"can still be loaded: {listing(loadable)}")
    return passed(f"{', '.join(PROTOCOLS)} refused by install rules")
