"""The host firewall (nftables) is running with an input filter."""

from __future__ import annotations

from matops.facts.linux.model import NftRuleset, UnitState
from matops.facts.linux.nft import input_chains
from matops.scan.verdict import Verdict, verdict_for


def judge(systemd_units: dict[str, UnitState], nft_ruleset: NftRuleset) -> Verdict:
    """Fail when nftables.service is not active/enabled or no input base chain is loaded."""
    unit = systemd_units.get("nftables", UnitState())
    problems = []
    if unit.active != "active":
        problems.append(f"nftables.service is {unit.active}")
    if unit.enabled != "enabled":
        problems.append(f"nftables.service is {unit.enabled or 'not installed'} at boot")
    if not input_chains(nft_ruleset):
        problems.append("no input chain in the loaded ruleset")
    return verdict_for(problems, "nftables active with an input chain")
