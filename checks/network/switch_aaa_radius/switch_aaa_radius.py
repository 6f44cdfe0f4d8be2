"""Administrator logins are checked against the trust's RADIUS servers."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.inventory.model import Services
from matops.scan.verdict import Verdict, failed, not_applicable, passed


def judge(running_config: NetworkConfig, trust_services: Services) -> Verdict:
    """Fail unless AAA is on, login uses a RADIUS group, and a trust RADIUS server is set."""
    trust_servers = {str(server.address) for server in trust_services.radius}
    if not trust_servers:
        return not_applicable("the trust has no RADIUS servers")
    if not running_config.aaa_enabled:
        return failed("AAA is not enabled (logins use local accounts only)")
    if not any(m.startswith("group ") for m in running_config.login_authentication):
        return failed("the default login method list does not use a RADIUS group")
    configured = set(running_config.radius_servers)
    if not configured & trust_servers:
        shown = ", ".join(sorted(configured)) or "none"
        return failed(f"RADIUS servers {shown}; expected one of {', '.join(sorted(trust_servers))}")
    methods = " ".join(running_config.login_authentication)
    return passed(f"login via {methods}; RADIUS {', '.join(sorted(configured & trust_servers))}")
