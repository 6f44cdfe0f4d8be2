"""CDP is off and LLDP is on."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.scan.verdict import Verdict, verdict_for


def judge(running_config: NetworkConfig) -> Verdict:
    """Fail when CDP runs or LLDP does not."""
    problems = []
    if running_config.cdp_enabled:
        problems.append("CDP is running")
    if not running_config.lldp_enabled:
        problems.append("LLDP is off")
    return verdict_for(problems, "CDP off, LLDP on")
