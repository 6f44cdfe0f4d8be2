"""Rapid spanning tree (RSTP, rapid-PVST+ or MST) runs on the switch."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.scan.verdict import Verdict, failed, passed

RAPID = frozenset({"rapid-pvst", "mst", "rpvst", "mstp", "rstp"})


def judge(running_config: NetworkConfig) -> Verdict:
    """Fail when spanning tree is off or in legacy PVST mode."""
    mode = running_config.spanning_tree_mode
    if mode is None:
        return failed("spanning tree is not enabled")
    if mode not in RAPID:
        return failed(f"spanning tree mode is {mode}; use rapid-pvst or mst")
    return passed(f"spanning tree mode {mode}")
