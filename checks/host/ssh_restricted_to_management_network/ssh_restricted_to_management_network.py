"""SSH is reachable only from the school's management network (and the trust's admin networks)."""

from __future__ import annotations

from ipaddress import IPv4Network

from matops.facts.linux.model import NftRuleset
from matops.facts.linux.nft import default_deny, sources_admitted
from matops.inventory.model import SchoolNetwork
from matops.scan.verdict import Verdict, failed, passed, verdict_for

SSH = 22


def judge(
    nft_ruleset: NftRuleset, school_network: SchoolNetwork, management_sources: list[IPv4Network]
) -> Verdict:
    """Fail when the default is accept or a rule admits port 22 from outside management."""
    allowed = [school_network.management.subnet, *management_sources]
    if not default_deny(nft_ruleset):
        return failed("inbound default is accept, so SSH is open to every network")
    sources = sources_admitted(nft_ruleset, SSH)
    outside = sorted({str(n) for n in sources if not any(n.subnet_of(net) for net in allowed)})
    if not sources:
        return passed("no rule admits SSH (console access only)")
    within = ", ".join(str(net) for net in allowed)
    return verdict_for(outside, f"SSH only from {within}", "SSH admitted from: ")
