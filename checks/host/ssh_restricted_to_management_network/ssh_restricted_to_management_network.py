"""SSH is reachable only from the school's management network."""

from __future__ import annotations

from matops.facts.linux.model import NftRuleset
from matops.facts.linux.nft import default_deny, sources_admitted
from matops.inventory.model import SchoolNetwork
from matops.scan.verdict import Verdict, failed, passed, verdict_for

SSH = 22


def judge(nft_ruleset: NftRuleset, school_network: SchoolNetwork) -> Verdict:
    """Fail when the default is accept or a rule admits port 22 from outside management."""
    management = school_network.management.subnet
    if not default_deny(nft_ruleset):
        return failed("inbound default is accept, so SSH is open to every network")
    sources = sources_admitted(nft_ruleset, SSH)
    outside = sorted({str(n) for n in sources if not n.subnet_of(management)})
    if not sources:
        return passed("no rule admits SSH (console access only)")
    return verdict_for(outside, f"SSH only from {management}", "SSH admitted from: ")
