"""The API reads behind each tenant fact, and the live sources that make them.

A :class:`RawRead` is what one fact's read returned, before it is mapped to the fact's model:
the items of a collection (streamed, page by page), one object, or :class:`Unavailable` when
the tenant's licence lacks the feature. Live sources (:class:`GraphSource`,
:class:`GoogleSource`) read the APIs; the offline export (:mod:`matops.facts.tenant.export`)
saves the same reads and reads them back, so both feed the same mapping.

Items are cut down to the fields matops asked for (``keep``) as they are read, so nothing
else a tenant returns (display names, phone numbers) is held, hashed or saved.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from matops.facts.model import FactError
from matops.facts.tenant import devices as dv
from matops.facts.tenant import mapping
from matops.facts.tenant.google import GOOGLE_USER_FIELDS, GoogleClient
from matops.facts.tenant.graph import GraphClient, GraphRefusedError
from matops.facts.tenant.model import ENTRA_ID_P1, ENTRA_ID_P1_PLANS, Unavailable, has_service_plan
from matops.inventory.tenants import GoogleWorkspaceTenant, Microsoft365Tenant

ReadKind = Literal["list", "object"]
SECURITY_DEFAULTS = "/v1.0/policies/identitySecurityDefaultsEnforcementPolicy"
NOT_PREMIUM = "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
"""Graph's error code for a read the tenant's licence does not include."""

USER_FIELDS = (
    "id", "userPrincipalName", "mail", "accountEnabled", "userType", "onPremisesSyncEnabled",
    "createdDateTime", "assignedLicenses",
)  # fmt: skip
SIGN_IN_FIELDS = ("id", "userPrincipalName", "signInActivity")
REGISTRATION_FIELDS = (
    "id", "userPrincipalName", "userType", "isAdmin", "isMfaRegistered", "isMfaCapable",
    "methodsRegistered", "lastUpdatedDateTime",
)  # fmt: skip
"""The registration report's fields read and kept: not ``userDisplayName`` (a person's name)."""


@dataclass(frozen=True)
class ReadSpec:
    """How one fact is read: a collection or one object, from where, keeping which fields."""

    fact: str
    kind: ReadKind
    source: str
    """The request, without the host (the same text live, in the lab and offline)."""
    keep: tuple[str, ...] | None = None
    """Top-level fields kept of each item (None: all of them)."""

    def project(self, item: Mapping[str, Any]) -> dict[str, Any]:
        """The item with only the kept fields.

        >>> ReadSpec("f", "list", "GET /x", keep=("id",)).project({"id": "1", "name": "A"})
        {'id': '1'}
        """
        if self.keep is None:
            return dict(item)
        return {k: item[k] for k in self.keep if k in item}


def _select(fields: tuple[str, ...]) -> str:
    return ",".join(fields)


SPECS: dict[str, ReadSpec] = {
    spec.fact: spec
    for spec in (
        ReadSpec("entra_users", "list", f"GET /v1.0/users?$select={_select(USER_FIELDS)}",
                 USER_FIELDS),
        ReadSpec("entra_sign_in_activity", "list",
                 f"GET /v1.0/users?$select={_select(SIGN_IN_FIELDS)}", SIGN_IN_FIELDS),
        ReadSpec("entra_mfa_registration", "list",
                 "GET /v1.0/reports/authenticationMethods/userRegistrationDetails"
                 f"?$select={_select(REGISTRATION_FIELDS)}", REGISTRATION_FIELDS),
        ReadSpec("entra_security_defaults", "object",
                 "GET /v1.0/policies/identitySecurityDefaultsEnforcementPolicy"),
        ReadSpec("entra_conditional_access", "list",
                 "GET /v1.0/identity/conditionalAccess/policies"),
        ReadSpec("entra_directory_roles", "list",
                 "GET /v1.0/directoryRoles, then /directoryRoles/{id}/members of each",
                 ("id", "displayName", "roleTemplateId", "members")),
        ReadSpec("entra_authorization_policy", "object", "GET /v1.0/policies/authorizationPolicy"),
        ReadSpec("entra_subscribed_skus", "list", "GET /v1.0/subscribedSkus"),
        ReadSpec("entra_groups", "list",
                 "GET /v1.0/groups, then /groups/{id}/transitiveMembers of the inventory's groups",
                 ("id", "displayName", "memberIds")),
        ReadSpec("google_users", "list", "GET admin/directory/v1/users (users.list)",
                 GOOGLE_USER_FIELDS),
        ReadSpec("google_org_units", "list",
                 "GET admin/directory/v1/customer/{customer}/orgunits (orgunits.list)",
                 ("orgUnitId", "orgUnitPath", "parentOrgUnitPath", "name")),
        ReadSpec("google_policies", "list", "GET v1/policies (policies.list)"),
        ReadSpec("intune_managed_devices", "list",
                 "GET /v1.0/deviceManagement/managedDevices"
                 f"?$select={_select(dv.INTUNE_DEVICE_FIELDS)}, then each Windows device's "
                 "windowsProtectionState (POST /v1.0/$batch)", dv.INTUNE_KEEP),
        ReadSpec("chromeos_devices", "list",
                 "GET admin/directory/v1/customer/{customer}/devices/chromeos "
                 "(chromeosdevices.list, projection FULL)", dv.CHROMEOS_DEVICE_FIELDS),
    )
}  # fmt: skip
"""Every tenant fact's read."""

DEVICE_READS = frozenset({"intune_managed_devices", "chromeos_devices"})
"""Reads made only of a tenant whose inventory entry has a ``devices:`` block."""
MICROSOFT365_FACTS = frozenset(f for f in SPECS if f.startswith("entra_")) | {
    "intune_managed_devices"
}
GOOGLE_FACTS = frozenset(f for f in SPECS if f.startswith("google_")) | {"chromeos_devices"}


@dataclass
class RawRead:
    """What one fact's read returned: ``items`` (a collection, streamed), ``value`` (an
    object) or ``unavailable`` (the licence lacks the feature)."""

    spec: ReadSpec
    items: Iterable[Mapping[str, Any]] | None = None
    value: Mapping[str, Any] | None = None
    unavailable: Unavailable | None = None


class TenantSource(Protocol):
    """Where a tenant's reads come from: the live APIs or a saved export."""

    def read(self, fact: str) -> RawRead:
        """The read behind ``fact``; FactError (or a subclass) when it cannot be made."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class GraphSource:
    """The live reads of a Microsoft 365 tenant through :class:`GraphClient`."""

    def __init__(self, client: GraphClient, tenant: Microsoft365Tenant) -> None:
        self.client = client
        self.tenant = tenant
        self._premium: bool | None = None

    def close(self) -> None:
        self.client.close()

    def read(self, fact: str) -> RawRead:
        spec = SPECS[fact]
        readers: dict[str, Callable[[ReadSpec], RawRead]] = {
            "entra_users": self._users,
            "entra_sign_in_activity": self._sign_ins,
            "entra_mfa_registration": self._registration,
            "entra_security_defaults": self._object(SECURITY_DEFAULTS),
            "entra_conditional_access": self._conditional_access,
            "entra_directory_roles": self._roles,
            "entra_authorization_policy": self._object("/v1.0/policies/authorizationPolicy"),
            "entra_subscribed_skus": self._skus,
            "entra_groups": self._groups,
            "intune_managed_devices": self._managed_devices,
        }  # fmt: skip
        return readers[fact](spec)

    def _object(self, path: str) -> Callable[[ReadSpec], RawRead]:
        def read(spec: ReadSpec) -> RawRead:
            return RawRead(spec, value=self.client.get(path, fact=spec.fact))

        return read

    def _list(
        self, spec: ReadSpec, path: str, params: dict[str, str] | None = None, counted: bool = True
    ) -> RawRead:
        items = self.client.items(path, params, fact=spec.fact, counted=counted)
        return RawRead(spec, items=items)

    def _users(self, spec: ReadSpec) -> RawRead:
        params = {"$select": _select(USER_FIELDS), "$top": "999"}
        return self._list(spec, "/v1.0/users", params)

    def _has_premium(self) -> bool | None:
        """Whether an enabled licence has an Entra ID P1 plan; None when the licences cannot
        be read (the read itself then says)."""
        if self._premium is None:
            try:
                items = self.client.items("/v1.0/subscribedSkus", fact="entra_subscribed_skus")
                skus = mapping.entra_subscribed_skus(items)
            except FactError:
                return None
            self._premium = has_service_plan(skus, ENTRA_ID_P1_PLANS)
        return self._premium

    def _licensed(self, spec: ReadSpec, feature: str, read: Callable[[], RawRead]) -> RawRead:
        """A read that needs Entra ID P1: Unavailable when the tenant's licences have no P1
        plan or when Graph answers that the tenant is not a premium one."""
        if self._has_premium() is False:
            plans = " or ".join(sorted(ENTRA_ID_P1_PLANS))
            reason = (
                f"{feature} needs {ENTRA_ID_P1}; no enabled licence of the tenant has the "
                f"{plans} service plan"
            )
            return RawRead(spec, unavailable=Unavailable(licence=ENTRA_ID_P1, reason=reason))
        found = read()
        if found.items is None:
            return found
        stream = iter(found.items)
        try:
            first = next(stream, None)
        except GraphRefusedError as exc:
            if exc.code != NOT_PREMIUM:
                raise
            reason = f"{feature} needs {ENTRA_ID_P1}; Graph answered {NOT_PREMIUM}"
            return RawRead(spec, unavailable=Unavailable(licence=ENTRA_ID_P1, reason=reason))
        found.items = stream if first is None else itertools.chain([first], stream)
        return found

    def _sign_ins(self, spec: ReadSpec) -> RawRead:
        params = {"$select": _select(SIGN_IN_FIELDS), "$top": "120"}
        return self._licensed(
            spec, "sign-in activity", lambda: self._list(spec, "/v1.0/users", params)
        )

    def _registration(self, spec: ReadSpec) -> RawRead:
        path = "/v1.0/reports/authenticationMethods/userRegistrationDetails"
        params = {"$select": _select(REGISTRATION_FIELDS)}
        return self._licensed(
            spec,
            "the MFA registration report",
            lambda: self._list(spec, path, params, counted=False),
        )

    def _conditional_access(self, spec: ReadSpec) -> RawRead:
        path = "/v1.0/identity/conditionalAccess/policies"
        return self._licensed(spec, "conditional access", lambda: self._list(spec, path))

    def _skus(self, spec: ReadSpec) -> RawRead:
        return self._list(spec, "/v1.0/subscribedSkus", counted=False)

    def _roles(self, spec: ReadSpec) -> RawRead:
        def roles() -> Iterator[dict[str, Any]]:
            for role in self.client.items("/v1.0/directoryRoles", fact=spec.fact):
                ident = role.get("id")
                if not isinstance(ident, str):
                    raise FactError("entra_directory_roles: a role has no id")
                members = self.client.items(
                    f"/v1.0/directoryRoles/{ident}/members",
                    {"$select": "id,userPrincipalName"},
                    fact=spec.fact,
                )
                yield {**role, "members": list(members)}

        return RawRead(spec, items=roles())

    def _groups(self, spec: ReadSpec) -> RawRead:
        named = self.tenant.groups.staff + self.tenant.groups.pupils + self.tenant.groups.admins
        wanted = list(dict.fromkeys(named))

        def groups() -> Iterator[dict[str, Any]]:
            found: dict[str, dict[str, Any]] = {}
            params = {"$select": "id,displayName", "$top": "999"}
            for group in self.client.items("/v1.0/groups", params, fact=spec.fact, counted=True):
                for name in wanted:
                    if name in (group.get("id"), group.get("displayName")):
                        found.setdefault(name, group)
            missing = [name for name in wanted if name not in found]
            if missing:
                raise FactError(
                    "entra_groups: the tenant has no group named " + ", ".join(missing) +
                    " (the inventory's groups: display names or object ids)"
                )  # fmt: skip
            for group in {g["id"]: g for g in found.values()}.values():
                members = self.client.items(
                    f"/v1.0/groups/{group['id']}/transitiveMembers",
                    {"$select": "id", "$top": "999"},
                    fact=spec.fact,
                    counted=True,
                )
                yield {
                    "id": group["id"],
                    "displayName": group.get("displayName"),
                    "memberIds": mapping.user_member_ids(members),
                }

        return RawRead(spec, items=groups())

    def _managed_devices(self, spec: ReadSpec) -> RawRead:
        """Intune's devices, a page at a time; each page's Windows devices then get their
        ``windowsProtectionState`` (20 to a ``$batch``; None where Intune has none)."""
        params = {"$select": _select(dv.INTUNE_DEVICE_FIELDS)}
        path = "/v1.0/deviceManagement/managedDevices"

        def devices() -> Iterator[dict[str, Any]]:
            for page in self.client.pages(path, params, fact=spec.fact, counted=True):
                found = page["value"]
                if not all(isinstance(item, dict) for item in found):
                    raise FactError(f"Graph {path}: an item is not a JSON object")
                windows = [d for d in found if _is_windows(d)]
                for device in windows:
                    if not isinstance(device.get("id"), str):
                        raise FactError("intune_managed_devices: a Windows device has no id")
                states = self.client.batch_get(
                    [f"/deviceManagement/managedDevices/{d['id']}/{PROTECTION}" for d in windows],
                    fact=spec.fact,
                )
                by_id = {d["id"]: _unwrapped(s) for d, s in zip(windows, states, strict=True)}
                for device in found:
                    if _is_windows(device):
                        yield {**device, PROTECTION: by_id[device["id"]]}
                    else:
                        yield device

        return RawRead(spec, items=devices())


PROTECTION = "windowsProtectionState"


def _is_windows(device: Mapping[str, Any]) -> bool:
    return str(device.get("operatingSystem") or "").strip().lower() == "windows"


def _unwrapped(state: dict[str, Any] | None) -> dict[str, Any] | None:
    """The protection state's fields (the Intune reference pages show the object wrapped in
    ``value``; Graph answers with the object itself), the OData annotations left out."""
    if state is None:
        return None
    inner = state.get("value")
    if isinstance(inner, dict) and set(state) <= {"value", "@odata.context"}:
        state = inner
    return {k: v for k, v in state.items() if k in dv.PROTECTION_FIELDS}


class GoogleSource:
    """The live reads of a Google Workspace customer through :class:`GoogleClient`."""

    def __init__(self, client: GoogleClient, tenant: GoogleWorkspaceTenant) -> None:
        self.client = client
        self.tenant = tenant

    def close(self) -> None:
        self.client.close()

    def read(self, fact: str) -> RawRead:
        spec = SPECS[fact]
        client = self.client
        calls = {
            "google_users": (client.users_page, "users"),
            "google_org_units": (client.org_units_page, "organizationUnits"),
            "google_policies": (client.policies_page, "policies"),
            "chromeos_devices": (client.chromeos_page, "chromeosdevices"),
        }
        request, key = calls[fact]
        return RawRead(spec, items=client.items(request, key, fact=fact))
