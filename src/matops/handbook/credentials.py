"""Where each credential a school depends on is kept: variable and file NAMES, never values.

Read from the inventory (the RADIUS key's ``{{ variable }}`` reference, each tenant's ``*_var``
names) and from where matops itself looks (the switch sign-in variables of
:mod:`matops.connect.profile` and :mod:`matops.network.connect`). A value written in plain text
in the inventory is reported as such, without its value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matops.connect.profile import SWITCH_ENV_PREFIX
from matops.inventory.model import Microsoft365Tenant, School, Trust

_REFERENCE = re.compile(r"^\s*\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*$")


@dataclass(frozen=True)
class CredentialPlace:
    """One credential and where it lives."""

    what: str
    where: str
    names: tuple[str, ...]
    """Variable or file names (never a value)."""


def reference_name(value: str | None) -> str | None:
    """The variable a ``{{ name }}`` value refers to; ``None`` for anything else.

    >>> reference_name("{{ vault_radius_key }}"), reference_name("s3cret"), reference_name(None)
    ('vault_radius_key', None, None)
    """
    match = _REFERENCE.match(value or "")
    return match.group(1) if match else None


def _radius(trust: Trust) -> list[CredentialPlace]:
    places = []
    for server in trust.settings.services.radius:
        name = reference_name(server.key)
        names: tuple[str, ...] = ()
        if name:
            where, names = "ansible-vault variable (group_vars/all/vault.yml)", (name,)
        elif server.key:
            where = "written in group_vars/all.yml itself: move it to the vault"
        else:
            where = "no key set in the inventory"
        places.append(CredentialPlace(f"RADIUS shared key ({server.address})", where, names))
    return places


def _tenants(trust: Trust, school: School) -> list[CredentialPlace]:
    places = []
    for tenant in trust.settings.tenants:
        if school.id not in tenant.schools:
            continue
        if isinstance(tenant, Microsoft365Tenant):
            creds = tenant.credentials
            names = tuple(
                n
                for n in (
                    creds.client_secret_var,
                    creds.certificate_var,
                    creds.certificate_thumbprint_var,
                )
                if n
            )
            what = f"Microsoft 365 app registration {creds.client_id} (tenant {tenant.name})"
        else:
            names = (tenant.credentials.service_account_var,)
            what = f"Google service account for {tenant.name}"
        where = "environment variable of that name, else the ansible-vault variable"
        places.append(CredentialPlace(what, where, names))
    return places


def credential_places(trust: Trust, school: School) -> list[CredentialPlace]:
    """Every credential the school's kit and scans depend on, with where it is kept."""
    switches = [t for t in school.targets if t.kind == "switch"]
    places = []
    if switches:
        places.append(
            CredentialPlace(
                "Switch sign-in (scans, backups, pushes)",
                "environment variables, else the ansible-vault variables",
                (
                    f"{SWITCH_ENV_PREFIX}USERNAME",
                    f"{SWITCH_ENV_PREFIX}PASSWORD",
                    "network_username",
                    "network_password",
                ),
            )
        )
        places.append(
            CredentialPlace(
                "Switch host keys (checked on every connection)",
                "environment variable naming a known_hosts file, else the trust's own file",
                (f"{SWITCH_ENV_PREFIX}KNOWN_HOSTS", f"inventories/{trust.settings.id}/known_hosts"),
            )
        )
    if any(t.kind == "linux" for t in school.targets):
        admins = tuple(a.username for a in trust.settings.admins)
        places.append(
            CredentialPlace(
                "Linux hosts: administrators' SSH keys (public halves in group_vars/all.yml; "
                "each private key stays with its administrator, the break-glass key offline)",
                "named administrator accounts",
                admins,
            )
        )
    places += _radius(trust)
    places += _tenants(trust, school)
    places.append(
        CredentialPlace(
            "The vault's own password",
            "a file outside the repository, given to each command",
            ("--vault-password-file", "ANSIBLE_VAULT_PASSWORD_FILE"),
        )
    )
    return places
