"""SSH offers only strong ciphers, MACs and key exchanges."""

from __future__ import annotations

import re

from matops.facts.linux.model import SshdEffective
from matops.scan.verdict import Verdict, verdict_for

WEAK = {
    "ciphers": re.compile(r"cbc|3des|arcfour|blowfish|cast128"),
    "macs": re.compile(r"md5|^hmac-sha1|umac-64|ripemd"),
    "kexalgorithms": re.compile(r"sha1$|group1-|group14-sha1|gss-"),
}


def judge(sshd_effective: SshdEffective) -> Verdict:
    """Fail listing each weak algorithm sshd offers."""
    weak = []
    for key, pattern in WEAK.items():
        offered = [a for a in sshd_effective.get(key, "").split(",") if a]
        if not offered:
            weak.append(f"{key} not reported")
        weak += [f"{key}: {a}" for a in offered if pattern.search(a)]
    return verdict_for(weak, "only strong algorithms offered", "weak SSH algorithms: ")
