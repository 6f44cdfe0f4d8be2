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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from matops.connect.profile import ConnectionProfile, TenantCredentials
from matops.facts.model import TargetUnreachableError
from matops.facts.tenant.google import GoogleApp
from matops.facts.tenant.graph import GraphApp
from matops.inventory.tenants import GoogleWorkspaceTenant, Microsoft365Tenant

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
    return GoogleApp(tenant.customer_id, tenant.credentials.delegated_admin, info)
