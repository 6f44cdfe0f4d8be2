"""The host firewall drops inbound traffic that no rule allows."""

from __future__ import annotations

from matops.facts.linux.model import NftRuleset
from matops.facts.linux.nft import default_deny, input_chains
from matops.scan.verdict import Verdict, failed, passed


def judge(nft_ruleset: NftRuleset) -> Verdict:
    """Pass when an input base chain has policy drop."""
    chains = input_chains(nft_ruleset)
    if not chains:
        return failed("no input chain: inbound traffic is not filtered")
    if not default_deny(nft_ruleset):
        names = ", ".join(
            f"{c['table']}/{c['name']} policy {c.get('policy', 'accept')}" for c in chains
        )
        return failed(f"inbound default is accept ({names})")
    return passed("input policy drop")
