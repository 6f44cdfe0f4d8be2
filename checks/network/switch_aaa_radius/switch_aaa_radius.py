"""Administrator logins are checked against the trust's RADIUS servers."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.inventory.model import Services
from matops.scan.verdict import Verdict, failed, not_applicable, passed


def _radius_logins(config: NetworkConfig) -> dict[str, set[str]]:
    """The login method list's groups that are RADIUS groups → their servers' addresses
    (``group radius`` is every RADIUS server)."""
    groups = {"radius": config.radius_servers, **config.radius_groups}
    found = {}
    for method in config.login_authentication:
        name = method.removeprefix("group ").strip()
        if method.startswith("group ") and name in groups:
            found[name] = set(groups[name])
    return found


def judge(running_config: NetworkConfig, trust_services: Services) -> Verdict:
    """Fail unless AAA is on and the default login list uses a RADIUS group whose servers
    include one of the trust's RADIUS servers (a RADIUS server used only for 802.1X, or
    TACACS+ logins, do not count)."""
    trust_servers = {str(server.address) for server in trust_services.radius}
    if not trust_servers:
        return not_applicable("the trust has no RADIUS servers")
    if not running_config.aaa_enabled:
        return failed("AAA is not enabled (logins use local accounts only)")
    methods = " ".join(running_config.login_authentication) or "none"
    groups = _radius_logins(running_config)
    if not groups:
        return failed(f"the default login method list ({methods}) uses no RADIUS group")
    used = set().union(*groups.values())
    if not used & trust_servers:
        shown = ", ".join(sorted(used)) or "none"
        return failed(
            f"logins use RADIUS servers {shown}; expected one of {', '.join(sorted(trust_servers))}"
        )
    return passed(f"login via {methods}; RADIUS {', '.join(sorted(used & trust_servers))}")
