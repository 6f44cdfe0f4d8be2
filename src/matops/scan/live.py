"""How a live scan reaches its targets: Linux hosts over SSH (testinfra), switches over netmiko.

Everything about reaching targets comes from the run's connection profile
(:mod:`matops.connect.profile`, built by the command layer). Linux hosts are reached through its
ssh_config (the trust's, or the lab's), which is where ControlMaster/ControlPath belong: every
fact command of a host then shares one SSH connection. Commands run through ``sudo`` (some
facts, such as ``sshd -T`` and ``/etc/shadow``, need root); the collectors only read. Switches
are reached with the network module's settings for the profile: the lab's known_hosts and
password, or the trust's known_hosts and credentials (environment or vault).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from matops.connect.profile import ConnectionProfile
from matops.facts.linux.collect import Host
from matops.facts.linux.provider import LinuxHostProvider
from matops.facts.model import FactProvider
from matops.facts.network.live import LiveNetworkProvider
from matops.facts.network.offline import RemediationSource
from matops.inventory.ansible_vars import AnsibleVariables
from matops.inventory.model import Target
from matops.lab.lifecycle import switch_password
from matops.network.connect import ConnectError, ConnectionSettings, connection_settings

LAB_SWITCH_USER = "admin"


@dataclass(frozen=True)
class LiveOptions:
    """How to connect: the run's connection profile, and how long to wait."""

    profile: ConnectionProfile
    """Built once by the command layer (lab or trust, ssh_config, known_hosts, secrets)."""
    connect_timeout: float = 10.0
    """Seconds to wait for each target's SSH connection before calling it unreachable."""
    sudo: bool = True
    """Run Linux fact commands through ``sudo`` (needed for sshd -T, nft, /etc/shadow)."""

    @property
    def linux_ssh_config(self) -> Path | None:
        """The ssh_config Linux hosts are reached through (the profile's)."""
        return self.profile.linux.ssh_config

    @property
    def lab_dir(self) -> Path | None:
        """The lab's state folder when the profile is the lab's."""
        return self.profile.lab_dir


def linux_connect(options: LiveOptions) -> Callable[[Target], Host]:
    """Target → testinfra host over ssh: by inventory name through the ssh_config, else address.

    >>> linux_connect(LiveOptions(build_profile(root, lab_dir=lab)))(target)  # doctest: +SKIP
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

    def __init__(self, root: Path, profile: ConnectionProfile) -> None:
        self._root = root
        self._profile = profile
        self._variables: AnsibleVariables | None = None
        self._lock = threading.Lock()

    def hostvars(self, name: str) -> dict[str, Any]:
        with self._lock:
            if self._variables is None:
                secrets = self._profile.secrets
                self._variables = AnsibleVariables(
                    self._root, secrets.vault_password_file, secrets.lab_secrets_file
                )
            return self._variables.rendered(name)


def switch_settings(root: Path, options: LiveOptions) -> Callable[[Target], ConnectionSettings]:
    """Target → netmiko settings, as the run's connection profile says.

    >>> switch_settings(root, LiveOptions(build_profile(root, lab_dir=lab)))(target).username
    ... # doctest: +SKIP
    'admin'
    """
    variables = _SharedVariables(root, options.profile)
    lab_dir = options.profile.lab_dir

    def settings(target: Target) -> ConnectionSettings:
        try:
            hostvars = {} if lab_dir is not None else variables.hostvars(target.name)
            found = connection_settings(options.profile, root, target, hostvars)
        except ConnectError:
            if lab_dir is None:
                raise
            # a switch added after lab up: the lab-wide password
            found = ConnectionSettings(
                target.name, target.platform, str(target.address), 22, LAB_SWITCH_USER,
                lab_dir / "known_hosts", switch_password(lab_dir),
            )  # fmt: skip
        return replace(found, timeout=options.connect_timeout)

    return settings


def live_providers(
    root: Path, options: LiveOptions, remediation: RemediationSource | None
) -> list[FactProvider]:
    """The Linux and network providers of a live scan of the trust at ``root``.

    >>> live_providers(root, LiveOptions(build_profile(root, lab_dir=lab)), None)
    ... # doctest: +SKIP
    [<LinuxHostProvider>, <LiveNetworkProvider>]
    """
    return [
        LinuxHostProvider(linux_connect(options)),
        LiveNetworkProvider(switch_settings(root, options), remediation, options.connect_timeout),
    ]
