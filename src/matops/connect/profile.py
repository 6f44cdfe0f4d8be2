"""The connection profile: how one run reaches its targets and where its secrets come from.

The command layer builds one :class:`ConnectionProfile` from the command line (``--lab``,
``--lab-dir``, ``--ssh-config``, ``--vault-password-file``) and hands it to everything below it:
the scan's collectors, the deploy engines (the pyinfra subprocess gets it as JSON), the network
jobs and the refresh steps. Nothing below the command layer decides "lab or real trust?" or
reads the environment to find out; it reads the profile.

Building a profile is pure: :func:`build_profile` only combines its arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from matops.lab.sshconf import KNOWN_HOSTS as LAB_KNOWN_HOSTS
from matops.lab.sshconf import OPERATOR_KEY as LAB_OPERATOR_KEY
from matops.lab.sshconf import SSH_CONFIG as LAB_SSH_CONFIG
from matops.lab.tenants import tenantsim_base_url
from matops.paths import LAB_CA_FILE, LAB_SECRETS_FILE

LAB_OPERATOR = "matops"
"""The account lab hosts are reached with (see matops.lab.sshconf)."""

LAB_TENANT_SIMULATOR = tenantsim_base_url()
"""Where the lab runs the tenant simulator (:mod:`matops.lab.tenants`), unless told otherwise."""
LAB_TENANT_CA = LAB_CA_FILE
"""In the lab's state folder: the lab CA's certificate, which signed the simulator's."""

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


class TenantEndpoints(_Frozen):
    """The five API bases the tenant collectors use: Microsoft's and Google's by default.

    The lab's simulator serves each under a path named after the real host
    (:meth:`simulator`), so the collectors never special-case the lab.

    >>> TenantEndpoints().graph
    'https://graph.microsoft.com'
    >>> TenantEndpoints.simulator("https://198.18.0.9:8443").google_token
    'https://198.18.0.9:8443/oauth2.googleapis.com/token'
    """

    login: str = "https://login.microsoftonline.com"
    graph: str = "https://graph.microsoft.com"
    google_token: str = "https://oauth2.googleapis.com/token"  # noqa: S105 - a URL
    google_admin: str = "https://admin.googleapis.com"
    cloud_identity: str = "https://cloudidentity.googleapis.com"

    @classmethod
    def simulator(cls, base: str) -> TenantEndpoints:
        """The endpoints of a tenant simulator at ``base`` (``https://ADDR:PORT``)."""
        real = cls()
        root = base.rstrip("/")
        return cls(
            **{
                name: root + "/" + str(url).removeprefix("https://")
                for name, url in real.model_dump().items()
            }
        )


class TenantCredentials(StrEnum):
    """Where tenant credentials (client secret or certificate, service-account key) come from."""

    LAB = "lab"
    """The lab's made-up credentials in ``<lab>/lab-secrets.yml``, and nothing else."""
    TRUST = "trust"
    """The variables the inventory names: the environment first, else the trust's vault."""


class TenantAccess(_Frozen):
    """How tenants are reached: API bases, the CA file TLS is verified against, credentials.

    ``ca_bundle`` None means the system's CA store.
    """

    endpoints: TenantEndpoints = TenantEndpoints()
    ca_bundle: Path | None = None
    credentials: TenantCredentials = TenantCredentials.TRUST
    proxy_from_environment: bool = True
    """Whether ``HTTPS_PROXY``/``NO_PROXY`` apply (a trust's network may need its proxy); a lab
    run never goes through a proxy: its simulator is on the lab's own bridge."""


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

    ``environment`` holds only the ``MATOPS_NET_*`` variables seen by the command and, in a run
    against a real trust, the variables the trust's tenants name for their credentials; it is
    left out of ``repr`` and of the JSON handed to subprocesses.
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
    tenants: TenantAccess = TenantAccess()

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


def tenant_environment(env: Mapping[str, str], names: Iterable[str]) -> dict[str, str]:
    """The variables of ``env`` named by the trust's tenant credentials (``*_var``).

    >>> tenant_environment({"M365_SECRET": "s", "HOME": "/root"}, ["M365_SECRET", "OTHER"])
    {'M365_SECRET': 's'}
    """
    return {name: env[name] for name in names if name in env}


def build_profile(
    trust_dir: Path,
    *,
    lab_dir: Path | None = None,
    ssh_config: Path | None = None,
    vault_password_file: Path | None = None,
    environment: Mapping[str, str] | None = None,
    tenant_variables: Iterable[str] = (),
    tenant_simulator: str | None = None,
) -> ConnectionProfile:
    """The profile for a run: the lab's (``lab_dir`` given) or the trust's.

    In the lab, Linux hosts are reached through the lab's ssh_config, known_hosts and operator
    key (``ssh_config`` overrides the file), switches with the lab's passwords and known_hosts,
    and the lab's made-up secrets are read on top of the vault. For a real trust, Linux hosts are
    reached through ``ssh_config`` (or ssh's own defaults), switches with ``MATOPS_NET_*`` or
    vault credentials and ``MATOPS_NET_KNOWN_HOSTS`` or ``<trust>/known_hosts``; no lab file is
    ever named, so lab secrets cannot reach such a run.

    Tenants: a real trust's run reads Microsoft's and Google's own endpoints, verifies TLS with
    the system's CA store and takes credentials from the environment variables named in
    ``tenant_variables`` (the inventory's ``*_var`` names) or the vault. A lab run reads the
    tenant simulator at ``tenant_simulator`` (``https://ADDR:PORT``, where the lab runs it),
    verifies it with the lab's CA and takes the lab's made-up credentials only.

    >>> trust = build_profile(Path("t"), environment={"MATOPS_NET_USERNAME": "ops"})
    >>> trust.is_lab, trust.secrets.lab_secrets_file, str(trust.switches.known_hosts)
    (False, None, 't/known_hosts')
    >>> trust.tenants.endpoints.login, trust.tenants.ca_bundle
    ('https://login.microsoftonline.com', None)
    """
    env = switch_environment(environment or {})
    if lab_dir is None:
        env |= tenant_environment(environment or {}, tenant_variables)
        known = env.get("MATOPS_NET_KNOWN_HOSTS")
        return ConnectionProfile(
            linux=LinuxAccess(ssh_config=ssh_config),
            switches=SwitchAccess(
                credentials=SwitchCredentials.TRUST,
                known_hosts=Path(known) if known else trust_dir / "known_hosts",
            ),
            secrets=SecretSource(vault_password_file=vault_password_file, environment=env),
        )
    simulator = tenant_simulator or LAB_TENANT_SIMULATOR
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
        tenants=TenantAccess(
            endpoints=TenantEndpoints.simulator(simulator),
            ca_bundle=lab_dir / LAB_TENANT_CA,
            credentials=TenantCredentials.LAB,
            proxy_from_environment=False,
        ),
    )
