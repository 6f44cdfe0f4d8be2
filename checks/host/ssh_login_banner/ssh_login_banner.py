"""SSH shows the trust's warning banner before login."""

from __future__ import annotations

from matops.facts.linux.model import SshdEffective
from matops.scan.helpers import normalise_space
from matops.scan.verdict import Verdict, failed, passed


def judge(sshd_effective: SshdEffective, issue_net: str, login_banner: str) -> Verdict:
    """Fail when sshd shows no banner or /etc/issue.net lacks the trust's banner text."""
    banner_file = sshd_effective.get("banner", "none")
    if banner_file in ("none", ""):
        return failed("sshd shows no banner (Banner none)")
    text = normalise_space(issue_net)
    if not text:
        return failed(f"{banner_file} is empty")
    first_line = next((line for line in login_banner.splitlines() if line.strip()), "")
    if first_line and normalise_space(first_line) not in text:
        return failed(f"{banner_file} lacks the trust's text {first_line.strip()!r}")
    return passed(f"banner from {banner_file}")
