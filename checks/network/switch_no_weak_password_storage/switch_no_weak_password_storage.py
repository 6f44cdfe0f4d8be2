"""No password is stored in plain text or with reversible type 7 encoding."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.scan.verdict import Verdict, verdict_for

WEAK = {"0": "plain text", "7": "type 7", "plaintext": "plain text", "none": "no password at all"}


def judge(running_config: NetworkConfig) -> Verdict:
    """Fail listing each weakly stored password and where it is."""
    weak = [
        f"{use.where} ({WEAK[use.type]})" for use in running_config.passwords if use.type in WEAK
    ]
    return verdict_for(weak, "every stored password is hashed", "weakly stored passwords: ")
