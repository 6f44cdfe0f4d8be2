"""The switch's web management (HTTP and HTTPS) is turned off."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.scan.verdict import Verdict, failed, passed


def judge(running_config: NetworkConfig) -> Verdict:
    """Fail when an HTTP or HTTPS management server is enabled."""
    servers = [
        name
        for name, enabled in (
            ("HTTP", running_config.http_server),
            ("HTTPS", running_config.https_server),
        )
        if enabled
    ]
    if servers:
        return failed(f"{' and '.join(servers)} management server enabled")
    return passed("no web management server")
