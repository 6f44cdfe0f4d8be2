"""The connection profile: how one run reaches its targets and where its secrets come from.

The command layer builds one :class:`ConnectionProfile` from the command line (``--lab``,
``--lab-dir``, ``--ssh-config``, ``--vault-password-file``) and hands it to everything below it:
the scan's collectors, the deploy engines (the pyinfra subprocess gets it as JSON), the network
jobs and the refresh steps. Nothing below the command layer decides "lab or real trust?" or
reads the environment to find out; it reads the profile.

Building a profile is pure: :func:`build_profile` only combines its arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from matops.lab.sshconf import KNOWN_HOSTS as LAB_KNOWN_HOSTS
from matops.lab.sshconf import OPERATOR_KEY as LAB_OPERATOR_KEY
from matops.lab.sshconf import SSH_CONFIG as LAB_SSH_CONFIG
from matops.paths import LAB_SECRETS_FILE

LAB_OPERATOR = "matops"
"""The account lab hosts are reached with (see matops.lab.sshconf)."""

SWITCH_ENV_PREFIX = "MATOPS_NET_"
"""Environment variables that may carry switch credentials for a run against a real trust."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SwitchCredentials(StrEnum):
    """Where switch credentials come from."""

    LAB = "lab"
    """The lab's per-switch passwords (``<lab>/switches/<name>/password``), user ``admin``."""
    TRUST = "trust"
    """``MATOPS_NET_USERNAME``/``MATOPS_NET_PASSWORD``, else the vault's ``network_*`` values."""


class LinuxAccess(_Frozen):
    """How Linux targets are reached over SSH. ``None`` leaves the choice to the ssh_config."""

    ssh_config: Path | None = None
    known_hosts: Path | None = None
    key: Path | None = None
    user: str | None = None


class SwitchAccess(_Frozen):
    """How switches are reached: whose credentials, and the one known_hosts file checked."""

    credentials: SwitchCredentials
    known_hosts: Path


class SecretSource(_Frozen):
    """Where secrets come from: a vault password file, the environment, the lab's made-up values.

    ``environment`` holds only the ``MATOPS_NET_*`` variables seen by the command; it is left out
    of ``repr`` and of the JSON handed to subprocesses.
    """

    vault_password_file: Path | None = None
    lab_secrets_file: Path | None = None
    environment: dict[str, str] = Field(default_factory=dict, repr=False, exclude=True)


class ConnectionProfile(_Frozen):
    """Everything a run needs to know about reaching targets; built once per command.

    >>> profile = build_profile(Path("trust"), lab_dir=Path("/lab"))
    >>> profile.is_lab, str(profile.linux.ssh_config), profile.switches.credentials.value
    (True, '/lab/ssh_config', 'lab')
    """

    lab_dir: Path | None = None
    """The lab's state folder when the run was asked for the lab (``--lab``); else None."""
    linux: LinuxAccess = LinuxAccess()
    switches: SwitchAccess
    secrets: SecretSource = SecretSource()

    @property
    def is_lab(self) -> bool:
        """Whether this run connects to the lab."""
        return self.lab_dir is not None

    def to_json(self) -> str:
        """The profile for a subprocess (no secret values: ``environment`` is left out)."""
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str) -> ConnectionProfile:
        """The profile a parent process handed over with :meth:`to_json`."""
        return cls.model_validate_json(text)


def switch_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The ``MATOPS_NET_*`` variables of ``env`` (switch credentials and known_hosts).

    >>> switch_environment({"MATOPS_NET_USERNAME": "ops", "HOME": "/root"})
    {'MATOPS_NET_USERNAME': 'ops'}
    """
    return {k: v for k, v in env.items() if k.startswith(SWITCH_ENV_PREFIX)}


def build_profile(
    trust_dir: Path,
    *,
    lab_dir: Path | None = None,
    ssh_config: Path | None = None,
    vault_password_file: Path | None = None,
    environment: Mapping[str, str] | None = None,
) -> ConnectionProfile:
    """The profile for a run: the lab's (``lab_dir`` given) or the trust's.

    In the lab, Linux hosts are reached through the lab's ssh_config, known_hosts and operator
    key (``ssh_config`` overrides the file), switches with the lab's passwords and known_hosts,
    and the lab's made-up secrets are read on top of the vault. For a real trust, Linux hosts are
    reached through ``ssh_config`` (or ssh's own defaults), switches with ``MATOPS_NET_*`` or
    vault credentials and ``MATOPS_NET_KNOWN_HOSTS`` or ``<trust>/known_hosts``; no lab file is
    ever named, so lab secrets cannot reach such a run.

    >>> trust = build_profile(Path("t"), environment={"MATOPS_NET_USERNAME": "ops"})
    >>> trust.is_lab, trust.secrets.lab_secrets_file, str(trust.switches.known_hosts)
    (False, None, 't/known_hosts')
    """
    env = switch_environment(environment or {})
    if lab_dir is None:
        known = env.get("MATOPS_NET_KNOWN_HOSTS")
        return ConnectionProfile(
            linux=LinuxAccess(ssh_config=ssh_config),
            switches=SwitchAccess(
                credentials=SwitchCredentials.TRUST,
                known_hosts=Path(known) if known else trust_dir / "known_hosts",
            ),
            secrets=SecretSource(vault_password_file=vault_password_file, environment=env),
        )
    return ConnectionProfile(
        lab_dir=lab_dir,
        linux=LinuxAccess(
            ssh_config=ssh_config or lab_dir / LAB_SSH_CONFIG,
            known_hosts=lab_dir / LAB_KNOWN_HOSTS,
            key=lab_dir / LAB_OPERATOR_KEY,
            user=LAB_OPERATOR,
        ),
        switches=SwitchAccess(
            credentials=SwitchCredentials.LAB, known_hosts=lab_dir / LAB_KNOWN_HOSTS
        ),
        secrets=SecretSource(
            vault_password_file=vault_password_file, lab_secrets_file=lab_dir / LAB_SECRETS_FILE
        ),
    )
