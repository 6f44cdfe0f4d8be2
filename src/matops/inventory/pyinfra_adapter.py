"""Build pyinfra inventories from a trust's Ansible inventory, with Ansible's own variables.

Two ways in: :func:`build_inventory` for matops' own code, and :func:`inventory` for the pyinfra
CLI (``pyinfra matops.inventory.pyinfra_adapter.inventory deploy.py``), configured by
``matops deploy`` through the environment: ``MATOPS_INVENTORY``, ``MATOPS_LIMIT`` and
``MATOPS_PROFILE`` (the run's connection profile as JSON: ssh_config, known_hosts, key, user,
vault password file and, in the lab only, the lab's made-up secrets).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matops.connect.profile import ConnectionProfile, build_profile
from matops.inventory.ansible_vars import AnsibleVariables

HostEntry = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class SshSettings:
    """How pyinfra connects: the lab's or the trust's ssh_config, known_hosts and key."""

    config_file: Path | None = None
    known_hosts_file: Path | None = None
    key_file: Path | None = None
    user: str | None = None

    @classmethod
    def from_profile(cls, profile: ConnectionProfile) -> SshSettings:
        """The Linux access of a run's connection profile."""
        linux = profile.linux
        return cls(linux.ssh_config, linux.known_hosts, linux.key, linux.user)


def connection_data(host_vars: dict[str, Any], ssh: SshSettings) -> dict[str, Any]:
    """pyinfra ``ssh_*`` data for a host; host keys are always verified."""
    data: dict[str, Any] = {
        "ssh_hostname": str(host_vars.get("ansible_host", "")),
        "ssh_strict_host_key_checking": "yes",
    }
    user = host_vars.get("ansible_user") or ssh.user
    optional = {
        "ssh_user": user,
        "ssh_port": host_vars.get("ansible_port"),
        "ssh_config_file": ssh.config_file,
        "ssh_known_hosts_file": ssh.known_hosts_file,
        "ssh_key": ssh.key_file,
    }
    data.update({k: str(v) if isinstance(v, Path) else v for k, v in optional.items() if v})
    return data


def pyinfra_groups(
    variables: AnsibleVariables,
    ssh: SshSettings | None = None,
    limit: set[str] | None = None,
) -> dict[str, tuple[list[HostEntry], dict[str, Any]]]:
    """Groups of ``(host, data)`` for pyinfra; each host's data = its Ansible variables.

    ``limit`` keeps only the named hosts (or hosts of the named groups).
    """
    settings = ssh or SshSettings()
    groups: dict[str, tuple[list[HostEntry], dict[str, Any]]] = {}
    for host in variables.hosts():
        host_groups = variables.groups(host)
        if limit and host not in limit and not limit.intersection(host_groups):
            continue
        values = variables.rendered(host)
        entry = (host, {**values, **connection_data(values, settings)})
        for group in ["all", *host_groups]:
            groups.setdefault(group, ([], {}))[0].append(entry)
    return groups


def build_inventory(
    inventory_dir: Path,
    ssh: SshSettings | None = None,
    limit: set[str] | None = None,
    vault_password_file: Path | None = None,
) -> Any:
    """A ``pyinfra.api.Inventory`` of the trust's hosts."""
    from pyinfra.api.inventory import Inventory

    groups = pyinfra_groups(AnsibleVariables(inventory_dir, vault_password_file), ssh, limit)
    hosts = groups.pop("all", ([], {}))[0]
    return Inventory((hosts, {}), **groups)  # type: ignore[no-untyped-call]


def inventory() -> dict[str, tuple[list[HostEntry], dict[str, Any]]]:
    """Inventory function for the pyinfra CLI, configured by ``matops deploy`` (see above)."""
    inventory_dir = Path(os.environ.get("MATOPS_INVENTORY", "inventories/example-trust"))
    limit = {n for n in os.environ.get("MATOPS_LIMIT", "").split(",") if n}
    handed = os.environ.get("MATOPS_PROFILE")
    profile = ConnectionProfile.from_json(handed) if handed else build_profile(inventory_dir)
    secrets = profile.secrets
    variables = AnsibleVariables(
        inventory_dir, secrets.vault_password_file, secrets.lab_secrets_file
    )
    return pyinfra_groups(variables, SshSettings.from_profile(profile), limit or None)
