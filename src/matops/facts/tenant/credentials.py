"""Tenant credentials: the values behind the variables a tenant's inventory entry names.

Where they come from is the connection profile's decision (``profile.tenants.credentials``):
in a lab run, the lab's made-up values in ``lab-secrets.yml`` and nothing else; in a run
against a real trust, the environment variable of that name (captured by the command layer),
else the trust's ansible-vault. Values are never logged, saved or put in an error message.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from matops.connect.profile import ConnectionProfile, TenantCredentials
from matops.facts.model import TargetUnreachableError
from matops.facts.tenant.google import GoogleApp
from matops.facts.tenant.graph import GraphApp
from matops.inventory.tenants import (
    GoogleCredentials,
    GoogleWorkspaceTenant,
    Microsoft365Tenant,
    TenantInfo,
)

_PRIVATE_KEY = re.compile(
    r"-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----.*?-----END (?:RSA |EC |ENCRYPTED )?"
    r"PRIVATE KEY-----",
    re.DOTALL,
)


class SecretLookup:
    """Variable name → value, from the sources the profile names (read once, on first use)."""

    def __init__(self, profile: ConnectionProfile, trust_dir: Path) -> None:
        self.profile = profile
        self.trust_dir = trust_dir
        self._lock = threading.Lock()
        self._values: Mapping[str, Any] | None = None

    @property
    def where(self) -> str:
        """Where values are looked up, for messages."""
        if self.profile.tenants.credentials is TenantCredentials.LAB:
            return f"the lab's secrets ({self.profile.secrets.lab_secrets_file})"
        return "the environment or the trust's vault"

    def _load(self) -> Mapping[str, Any]:
        if self.profile.tenants.credentials is TenantCredentials.LAB:
            from matops.inventory.ansible_vars import read_extra_vars

            return read_extra_vars(self.profile.secrets.lab_secrets_file)
        return _vault_values(self.trust_dir, self.profile.secrets.vault_password_file)

    def get(self, name: str) -> Any:
        """The value of ``name``; TargetUnreachableError (naming the variable) when none."""
        lab = self.profile.tenants.credentials is TenantCredentials.LAB
        if not lab and name in self.profile.secrets.environment:
            return self.profile.secrets.environment[name]
        with self._lock:
            if self._values is None:
                try:
                    self._values = self._load()
                except Exception as exc:
                    raise TargetUnreachableError(
                        f"cannot read {self.where}: {type(exc).__name__}: {exc}"
                    ) from None
        if name not in self._values or self._values[name] in (None, ""):
            raise TargetUnreachableError(f"no value for the variable {name} in {self.where}")
        return self._values[name]


def _vault_values(trust_dir: Path, vault_password_file: Path | None) -> dict[str, Any]:
    """The trust's group variables for all hosts (vault values decrypted)."""
    from matops.inventory.ansible_vars import AnsibleVariables, plain

    variables = AnsibleVariables(trust_dir, vault_password_file)
    hosts = variables.hosts()
    if not hosts:
        return {}
    found: dict[str, Any] = plain(variables.raw(hosts[0]))
    return found


def credential_variables(tenants: Iterable[TenantInfo]) -> list[str]:
    """The variable names the tenants' credentials name (what the command layer may read from
    the environment of a run against the real trust).

    >>> from matops.inventory.tenants import GoogleCredentials
    >>> credential_variables([])
    []
    """
    names: list[str] = []
    for tenant in tenants:
        creds = tenant.credentials
        if isinstance(creds, GoogleCredentials):
            names.append(creds.service_account_var)
            continue
        for name in (
            creds.client_secret_var,
            creds.certificate_var,
            creds.certificate_thumbprint_var,
        ):
            if name is not None:
                names.append(name)
    return names


def graph_app(tenant: Microsoft365Tenant, secrets: SecretLookup) -> GraphApp:
    """The app registration's credentials for ``tenant``, values from ``secrets``."""
    creds = tenant.credentials
    if creds.client_secret_var is not None:
        return GraphApp(
            tenant.tenant_id, creds.client_id, secret=str(secrets.get(creds.client_secret_var))
        )
    assert creds.certificate_var is not None and creds.certificate_thumbprint_var is not None
    pem = str(secrets.get(creds.certificate_var))
    key = _PRIVATE_KEY.search(pem)
    if key is None:
        raise TargetUnreachableError(
            f"the variable {creds.certificate_var} holds no PEM private key"
        )
    thumbprint = str(secrets.get(creds.certificate_thumbprint_var)).replace(":", "").strip()
    return GraphApp(
        tenant.tenant_id, creds.client_id, private_key=key.group(0), thumbprint=thumbprint
    )


def google_app(tenant: GoogleWorkspaceTenant, secrets: SecretLookup) -> GoogleApp:
    """The service account's key and delegated admin for ``tenant``, values from ``secrets``."""
    name = tenant.credentials.service_account_var
    raw = secrets.get(name)
    info: Any = raw
    if isinstance(raw, str):
        try:
            info = json.loads(raw)
        except json.JSONDecodeError:
            info = None
    if not isinstance(info, dict) or "private_key" not in info or "client_email" not in info:
        raise TargetUnreachableError(
            f"the variable {name} is not a service account key (JSON with private_key and "
            "client_email)"
        )
    return GoogleApp(
        tenant.customer_id,
        tenant.credentials.delegated_admin,
        info,
        devices=tenant.devices is not None,
    )


def lab_tenant_secrets(tenants: Iterable[TenantInfo], made: Mapping[str, Any]) -> dict[str, str]:
    """The lab's made-up tenant credentials under the variable names the inventory gives them,
    for ``lab-secrets.yml``: ``made`` maps a tenant's name to its credentials from
    :func:`matops.lab.tenants.make_credentials` (client secret, certificate and key with their
    thumbprint, service account key). Tenants the lab does not simulate are left out.
    """
    values: dict[str, str] = {}
    for tenant in tenants:
        creds = made.get(tenant.name)
        if creds is None:
            continue
        if isinstance(tenant, GoogleWorkspaceTenant):
            values[tenant.credentials.service_account_var] = json.dumps(creds.service_account)
            continue
        names = tenant.credentials
        if names.client_secret_var is not None:
            values[names.client_secret_var] = str(creds.client_secret)
        if names.certificate_var is not None:
            values[names.certificate_var] = f"{creds.private_key_pem}{creds.certificate_pem}"
        if names.certificate_thumbprint_var is not None:
            values[names.certificate_thumbprint_var] = str(creds.thumbprint)
    return values
