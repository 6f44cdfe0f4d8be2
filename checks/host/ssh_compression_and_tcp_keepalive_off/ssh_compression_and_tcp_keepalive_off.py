"""SSH turns off compression and unencrypted TCP keep-alives."""

from __future__ import annotations

from matops.facts.linux.model import SshdEffective
from matops.scan.verdict import Verdict, failed, passed

WANTED = {"compression": "no", "tcpkeepalive": "no"}
"""``sshd -T`` keyword → the value that passes (OpenSSH's defaults are ``yes`` for both)."""


def judge(sshd_effective: SshdEffective) -> Verdict:
    """Fail each keyword that is not ``no``; a keyword ``sshd -T`` did not print is not seen."""
    seen = {key: sshd_effective.get(key) for key in WANTED}
    wrong = [f"{key} {value or '(not printed by sshd -T)'}" for key, value in seen.items()
             if (value or "").lower() != WANTED[key]]  # fmt: skip
    if wrong:
        return failed("; ".join(wrong) + "; both should be no")
    return passed("Compression no, TCPKeepAlive no")
