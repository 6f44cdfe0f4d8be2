"""How a live scan reaches its targets: Linux hosts over SSH (testinfra), switches over netmiko.

Linux hosts are reached through an ssh_config file (the trust's, or the lab's), which is where
ControlMaster/ControlPath belong: every fact command of a host then shares one SSH connection.
Commands run through ``sudo`` (some facts, such as ``sshd -T`` and ``/etc/shadow``, need root);
the collectors only read. Switches are reached with the network module's settings: the lab's
known_hosts and password, or the trust's known_hosts and credentials (environment or vault).
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from matops.facts.linux.collect import Host
from matops.facts.linux.provider import LinuxHostProvider
from matops.facts.model import FactProvider
from matops.facts.network.live import LiveNetworkProvider
from matops.facts.network.offline import RemediationSource
from matops.inventory.ansible_vars import AnsibleVariables
from matops.inventory.model import Target
from matops.lab.lifecycle import switch_password
from matops.network.connect import (
    ConnectError,
    ConnectionSettings,
    lab_settings,
    trust_settings,
)

LAB_SWITCH_USER = "admin"


@dataclass(frozen=True)
class LiveOptions:
    """How to connect. ``lab_dir`` (a lab's state folder) supplies everything for the lab."""

    ssh_config: Path | None = None
    """ssh_config for Linux hosts (Host blocks named as in the inventory); default: the lab's."""
    lab_dir: Path | None = None
    """A running lab's state folder: its ssh_config, known_hosts and switch password."""
    connect_timeout: float = 10.0
    """Seconds to wait for each target's SSH connection before calling it unreachable."""
    sudo: bool = True
    """Run Linux fact commands through ``sudo`` (needed for sshd -T, nft, /etc/shadow)."""
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    @property
    def linux_ssh_config(self) -> Path | None:
        """The ssh_config Linux hosts are reached through (``--ssh-config``, else the lab's)."""
        if self.ssh_config is not None:
            return self.ssh_config
        return self.lab_dir / "ssh_config" if self.lab_dir is not None else None


def linux_connect(options: LiveOptions) -> Callable[[Target], Host]:
    """Target → testinfra host over ssh: by inventory name through the ssh_config, else address.

    >>> linux_connect(LiveOptions(lab_dir=Path("/var/lib/matops/lab")))(target)  # doctest: +SKIP
    <testinfra.host.Host ssh://oak-srv01>
    """
    import testinfra

    config = options.linux_ssh_config
    timeout = max(1, math.ceil(options.connect_timeout))

    def connect(target: Target) -> Host:
        name = target.name if config is not None else str(target.address)
        return testinfra.get_host(
            f"ssh://{name}",
            ssh_config=str(config) if config is not None else None,
            sudo=options.sudo,
            timeout=timeout,
        )

    return connect


class _SharedVariables:
    """One Ansible variable resolver for the scan, built on first use (thread-safe)."""

    def __init__(self, root: Path, vault_password_file: Path | None) -> None:
        self._root = root
        self._vault = vault_password_file
        self._variables: AnsibleVariables | None = None
        self._lock = threading.Lock()

    def hostvars(self, name: str) -> dict[str, Any]:
        with self._lock:
            if self._variables is None:
                self._variables = AnsibleVariables(self._root, self._vault)
            return self._variables.rendered(name)


def switch_settings(
    root: Path, options: LiveOptions, vault_password_file: Path | None = None
) -> Callable[[Target], ConnectionSettings]:
    """Target → netmiko settings: the lab's when ``lab_dir`` is set, else the trust's.

    >>> switch_settings(root, LiveOptions(lab_dir=lab))(target).username  # doctest: +SKIP
    'admin'
    """
    variables = _SharedVariables(root, vault_password_file)

    def settings(target: Target) -> ConnectionSettings:
        if options.lab_dir is not None:
            try:
                found = lab_settings(options.lab_dir, target)
            except ConnectError:  # a switch added after lab up: the lab-wide password
                found = ConnectionSettings(
                    target.name, target.platform, str(target.address), 22, LAB_SWITCH_USER,
                    options.lab_dir / "known_hosts", switch_password(options.lab_dir),
                )  # fmt: skip
        else:
            found = trust_settings(root, target, variables.hostvars(target.name), options.env)
        return replace(found, timeout=options.connect_timeout)

    return settings


def live_providers(
    root: Path,
    options: LiveOptions,
    remediation: RemediationSource | None,
    vault_password_file: Path | None = None,
) -> list[FactProvider]:
    """The Linux and network providers of a live scan of the trust at ``root``.

    >>> live_providers(root, LiveOptions(lab_dir=lab), None)  # doctest: +SKIP
    [<LinuxHostProvider>, <LiveNetworkProvider>]
    """
    return [
        LinuxHostProvider(linux_connect(options)),
        LiveNetworkProvider(
            switch_settings(root, options, vault_password_file),
            remediation,
            options.connect_timeout,
        ),
    ]
