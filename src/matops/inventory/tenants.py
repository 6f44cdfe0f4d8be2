"""The trust's cloud identity tenants: ``trust.tenants`` in ``group_vars/all.yml``.

A tenant is a Microsoft 365 (Entra ID) tenant or a Google Workspace customer, told apart by
``provider``. Credentials are never values: they name the ansible-vault or environment
variables that hold them, so the inventory can be read, printed and committed safely.

>>> from pydantic import TypeAdapter
>>> t = TypeAdapter(Tenant).validate_python({
...     "provider": "google_workspace", "name": "northfield-google",
...     "domains": ["northfield.example"], "schools": ["oak-primary"],
...     "customer_id": "C01abcd23",
...     "org_units": {"staff": ["/Staff"], "pupils": ["/Pupils"], "admins": ["/IT"]},
...     "credentials": {"service_account_var": "vault_google_sa_json",
...                     "delegated_admin": "matops-reader@northfield.example"}})
>>> type(t).__name__, t.policy.pupil_external_sharing
('GoogleWorkspaceTenant', False)
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

TenantName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
SchoolSlug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
Domain = Annotated[
    str,
    StringConstraints(
        to_lower=True,
        max_length=253,
        pattern=r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$",
    ),
]
Address = Annotated[
    str,
    StringConstraints(
        to_lower=True, pattern=r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,63}$"
    ),
]
"""An account address (user principal name or primary email), compared in lower case."""
VariableName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
"""The name of an ansible-vault or environment variable (never the secret itself)."""
Guid = Annotated[
    str,
    StringConstraints(
        to_lower=True,
        pattern=r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$",
    ),
]
OrgUnitPath = Annotated[str, StringConstraints(pattern=r"^/([^/].*)?$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Microsoft365Credentials(_Strict):
    """An Entra app registration: its client id (not a secret) and the names of the variables
    holding a client secret, or a certificate (PEM key and certificate) and its thumbprint."""

    client_id: Guid
    client_secret_var: VariableName | None = None
    certificate_var: VariableName | None = None
    certificate_thumbprint_var: VariableName | None = None

    @model_validator(mode="after")
    def _secret_or_certificate(self) -> Microsoft365Credentials:
        secret = self.client_secret_var is not None
        cert = self.certificate_var is not None or self.certificate_thumbprint_var is not None
        if secret == cert:
            raise ValueError(
                "give either client_secret_var or certificate_var with certificate_thumbprint_var"
            )
        if cert and (self.certificate_var is None or self.certificate_thumbprint_var is None):
            raise ValueError("certificate_var and certificate_thumbprint_var go together")
        return self


class Microsoft365Groups(_Strict):
    """The Entra groups (display names or object ids) that hold staff, pupils and admins."""

    staff: list[str] = Field(min_length=1)
    pupils: list[str] = Field(default_factory=list)
    admins: list[str] = Field(default_factory=list)


class GoogleCredentials(_Strict):
    """A service account with domain-wide delegation: the variable holding its JSON key and the
    administrator it acts as (the Policy API needs a super administrator)."""

    service_account_var: VariableName
    delegated_admin: Address


class GoogleOrgUnits(_Strict):
    """The organisational units (paths) that hold staff, pupils and admins."""

    staff: list[OrgUnitPath] = Field(min_length=1)
    pupils: list[OrgUnitPath] = Field(default_factory=list)
    admins: list[OrgUnitPath] = Field(default_factory=list)


class GooglePolicyIntent(_Strict):
    """What the trust allows pupils (its declared policy; the checks compare Google to it)."""

    pupil_external_sharing: bool = False
    """Pupils may share Drive files outside the trust's domains."""
    classroom_external_membership: bool = False
    """People outside the domain may join the trust's classes, and pupils may join outside ones."""


class TenantDevices(_Strict):
    """The tenant's managed devices (``devices:``): which belong to which school, and the
    trust's device policy. Without this block a tenant's devices are not assessed.

    ``schools`` maps a school the tenant serves to how its devices are told apart: for a
    Microsoft 365 tenant the Intune device category (``deviceCategoryDisplayName``, compared
    without regard to case), for a Google Workspace customer an organisational unit path
    (the device's ``orgUnitPath`` is that unit or one below it). A device matching no school is
    placed by its serial number in a school's asset register, else it is unplaced.

    >>> TenantDevices(schools={"oak-primary": "Oakfield"}).stale_after_days
    30
    """

    schools: dict[SchoolSlug, Annotated[str, StringConstraints(min_length=1, max_length=256)]] = (
        Field(min_length=1)
    )
    stale_after_days: int = Field(default=30, ge=1, le=3650)
    """A device not checked in for longer than this is stale."""
    personal_devices: Literal["blocked", "allowed"] = "blocked"
    """Whether personally owned devices may reach staff data (the trust's decision)."""
    windows10_esu_until: date | None = None
    """When the trust's paid Windows 10 Extended Security Updates end (None: not bought)."""


class _TenantBase(_Strict):
    name: TenantName
    """The finding subject's name (unique across the trust's tenants)."""
    domains: list[Domain] = Field(min_length=1)
    schools: list[SchoolSlug] = Field(min_length=1)
    """The schools (slugs) this tenant serves: its findings belong to each of them."""
    break_glass: list[Address] = Field(default_factory=list)
    """Declared emergency access accounts: the only accounts MFA policies may exclude."""
    devices: TenantDevices | None = None
    """Managed devices and which school each belongs to (None: devices not assessed)."""

    def in_domains(self, address: str) -> bool:
        """Whether ``address`` belongs to one of the tenant's domains (or a subdomain).

        >>> tenant = _TenantBase(name="t1", domains=["example.org"], schools=["s1"])
        >>> tenant.in_domains("A@Example.org"), tenant.in_domains("a@example.org.evil.test")
        (True, False)
        """
        domain = address.rsplit("@", 1)[-1].lower()
        return any(domain == d or domain.endswith("." + d) for d in self.domains)


class Microsoft365Tenant(_TenantBase):
    """A Microsoft 365 / Entra ID tenant."""

    provider: Literal["microsoft365"]
    tenant_id: Guid
    groups: Microsoft365Groups
    credentials: Microsoft365Credentials


class GoogleWorkspaceTenant(_TenantBase):
    """A Google Workspace customer."""

    provider: Literal["google_workspace"]
    customer_id: Annotated[str, StringConstraints(pattern=r"^(my_customer|C[0-9A-Za-z]{6,16})$")]
    org_units: GoogleOrgUnits
    credentials: GoogleCredentials
    policy: GooglePolicyIntent = Field(default_factory=GooglePolicyIntent)

    @model_validator(mode="after")
    def _device_org_units(self) -> GoogleWorkspaceTenant:
        if self.devices is not None:
            for school, path in self.devices.schools.items():
                if not path.startswith("/"):
                    raise ValueError(
                        f"devices.schools.{school}: {path!r} is not an organisational unit "
                        "path (it starts with /, e.g. /Devices/Oakfield)"
                    )
        return self


Tenant = Annotated[Microsoft365Tenant | GoogleWorkspaceTenant, Field(discriminator="provider")]
"""One tenant entry; ``provider`` decides which."""

TenantInfo = Microsoft365Tenant | GoogleWorkspaceTenant
"""The same union without the discriminator annotation: the type of the ``tenant_info`` fact."""
