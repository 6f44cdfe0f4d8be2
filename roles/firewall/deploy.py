"""pyinfra twin of the firewall role: the same defaults, template and nft -c validation.

``matops deploy --engine pyinfra --roles firewall`` (see docs/roles.md).
"""

from pyinfra.operations import apt, systemd

from matops.deploy.pyinfra_roles import Role, installed_file

role = Role.here(__file__)

apt.packages(name=role.task("Ensure nftables is installed"), packages=["nftables"])
ruleset = installed_file(
    name=(
        "host_firewall_default_deny_inbound, ssh_restricted_to_management_network | "
        "Install the ruleset (checked with nft -c)"
    ),
    dest=role["firewall_config_path"],
    content=role.render("nftables.conf.j2"),
    mode="0755",
    validate="/usr/sbin/nft -c -f %s",
)
systemd.service(
    name="host_firewall_active | Ensure nftables is enabled and running",
    service="nftables",
    running=True,
    enabled=True,
)
systemd.service(name="Reload nftables", service="nftables", reloaded=True, _if=ruleset.did_change)
