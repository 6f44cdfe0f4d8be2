"""The switch shows the trust's login banner before authentication."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.scan.helpers import normalise_space
from matops.scan.verdict import Verdict, failed, passed


def judge(running_config: NetworkConfig, login_banner: str) -> Verdict:
    """Fail when there is no banner, or it lacks the first line of the trust's banner."""
    banner = normalise_space(running_config.banner)
    if not banner:
        return failed("no login banner")
    first_line = next((line for line in login_banner.splitlines() if line.strip()), "")
    if first_line and normalise_space(first_line) not in banner:
        return failed(f"banner does not contain the trust's text {first_line.strip()!r}")
    return passed("login banner present")
