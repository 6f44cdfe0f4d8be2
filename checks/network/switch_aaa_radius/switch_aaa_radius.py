"""Administrator logins are checked against the trust's RADIUS servers."""

from __future__ import annotations

from matops.facts.network.model import NetworkConfig
from matops.inventory.model import Services
from matops.scan.verdict import Verdict, failed, not_applicable, passed


def _first_group(config: NetworkConfig) -> tuple[str, set[str] | None]:
    """The first group of the default login list and, when it is a RADIUS group, its servers'
    addresses (``group radius`` is every RADIUS server). Methods after the first are asked only
    when it cannot be reached, and ``local`` before it decides first."""
    groups = {"radius": config.radius_servers, **config.radius_groups}
    for method in config.login_authentication:
        if not method.startswith("group "):
            return method, None
        name = method.removeprefix("group ").strip()
        return name, set(groups[name]) if name in groups else None
    return "", None


def judge(running_config: NetworkConfig, trust_services: Services) -> Verdict:
    """Fail unless AAA is on and the default login list starts with a RADIUS group whose servers
    include one of the trust's RADIUS servers (a RADIUS server used only for 802.1X, or
    TACACS+ logins, do not count)."""
    trust_servers = {str(server.address) for server in trust_services.radius}
    if not trust_servers:
        return not_applicable("the trust has no RADIUS servers")
    if not running_config.aaa_enabled:
        return failed("AAA is not enabled (logins use local accounts only)")
    methods = " ".join(running_config.login_authentication) or "none"
    first, used = _first_group(running_config)
    if used is None:
        return failed(
            f"the default login method list ({methods}) starts with {first or 'nothing'}, "
            "not a RADIUS group"
        )
    if not used & trust_servers:
        shown = ", ".join(sorted(used)) or "none"
        return failed(
            f"logins use RADIUS servers {shown}; expected one of {', '.join(sorted(trust_servers))}"
        )
    return passed(f"login via {methods}; RADIUS {', '.join(sorted(used & trust_servers))}")
