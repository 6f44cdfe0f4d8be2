"""From what an API returned to the fact models: one pure function per tenant fact.

Each function takes the items (or the object) one read returned, exactly as the API wrote them,
and returns the value the catalogue declares for the fact. An item without a field the model
requires (``None`` would mean "not observed", never "compliant") is a
:class:`~matops.facts.model.FactError` naming the fact, the item's place and the field, never
the values: API items carry people's names and addresses.

The same functions serve the live collectors and the offline export, so a live scan and an
offline scan of the same reads give the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from matops.facts.model import FactError
from matops.facts.tenant import devices as dv
from matops.facts.tenant import model as tn

M = TypeVar("M", bound=BaseModel)
Item = Mapping[str, Any]

USER_TYPE = "#microsoft.graph.user"


def _shape_error(fact: str, where: str, exc: ValidationError) -> FactError:
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "(the item)"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return FactError(f"{fact}: {where}: {field}: {first['msg']}{more}")


def _one(model: type[M], fact: str, item: Any, where: str = "the answer") -> M:
    if not isinstance(item, Mapping):
        raise FactError(f"{fact}: {where} is not a JSON object")
    try:
        return model.model_validate(dict(item))
    except ValidationError as exc:
        raise _shape_error(fact, where, exc) from None


def _many(model: type[M], fact: str, items: Iterable[Item]) -> list[M]:
    return [_one(model, fact, item, f"item {n}") for n, item in enumerate(items, 1)]


# --- Microsoft Graph ------------------------------------------------------------------------


def entra_users(items: Iterable[Item]) -> list[tn.EntraUser]:
    """``GET /users`` items.

    >>> [u.account_enabled for u in entra_users([{"id": "1", "userPrincipalName": "a@x.org",
    ...     "accountEnabled": False, "onPremisesSyncEnabled": None}])]
    [False]
    """
    return _many(tn.EntraUser, "entra_users", items)


def entra_sign_in_activity(items: Iterable[Item]) -> list[tn.EntraUserSignIn]:
    """``GET /users?$select=id,userPrincipalName,signInActivity`` items."""
    return _many(tn.EntraUserSignIn, "entra_sign_in_activity", items)


def entra_mfa_registration(items: Iterable[Item]) -> list[tn.UserRegistrationDetails]:
    """``GET /reports/authenticationMethods/userRegistrationDetails`` items."""
    return _many(tn.UserRegistrationDetails, "entra_mfa_registration", items)


def entra_security_defaults(value: Item) -> tn.EntraSecurityDefaults:
    """``GET /policies/identitySecurityDefaultsEnforcementPolicy``."""
    return _one(tn.EntraSecurityDefaults, "entra_security_defaults", value)


def entra_conditional_access(items: Iterable[Item]) -> list[tn.ConditionalAccessPolicy]:
    """``GET /identity/conditionalAccess/policies`` items."""
    return _many(tn.ConditionalAccessPolicy, "entra_conditional_access", items)


def entra_directory_roles(items: Iterable[Item]) -> list[tn.DirectoryRole]:
    """``GET /directoryRoles`` items, each with the ``members`` read for it."""
    return _many(tn.DirectoryRole, "entra_directory_roles", items)


def entra_authorization_policy(value: Item) -> tn.EntraAuthorizationPolicy:
    """``GET /policies/authorizationPolicy``."""
    return _one(tn.EntraAuthorizationPolicy, "entra_authorization_policy", value)


def entra_subscribed_skus(items: Iterable[Item]) -> list[tn.SubscribedSku]:
    """``GET /subscribedSkus`` items."""
    return _many(tn.SubscribedSku, "entra_subscribed_skus", items)


def entra_groups(items: Iterable[Item]) -> list[tn.EntraGroup]:
    """The inventory's groups: ``id``, ``displayName`` and ``memberIds`` (the user ids among
    the group's ``transitiveMembers``), as the collector assembles them."""
    return _many(tn.EntraGroup, "entra_groups", items)


def user_member_ids(members: Iterable[Item]) -> list[str]:
    """The ids of the users among ``transitiveMembers`` (groups and devices left out).

    >>> user_member_ids([{"@odata.type": "#microsoft.graph.user", "id": "u1"},
    ...                  {"@odata.type": "#microsoft.graph.group", "id": "g1"}])
    ['u1']
    """
    found: list[str] = []
    for n, member in enumerate(members, 1):
        kind, ident = member.get("@odata.type"), member.get("id")
        if not isinstance(ident, str) or not isinstance(kind, str):
            raise FactError(f"entra_groups: member {n} has no id or @odata.type")
        if kind == USER_TYPE:
            found.append(ident)
    return found


# --- Google -----------------------------------------------------------------------------------


def google_users(items: Iterable[Item]) -> list[tn.GoogleUser]:
    """Directory API ``users.list`` items.

    >>> google_users([{"id": "1", "primaryEmail": "a@x.org", "orgUnitPath": "/Staff",
    ...     "suspended": False, "isAdmin": False, "isDelegatedAdmin": False,
    ...     "isEnrolledIn2Sv": True, "isEnforcedIn2Sv": False,
    ...     "lastLoginTime": "1970-01-01T00:00:00.000Z"}])[0].never_logged_in()
    True
    """
    return _many(tn.GoogleUser, "google_users", items)


def google_org_units(items: Iterable[Item]) -> list[tn.GoogleOrgUnit]:
    """Directory API ``orgunits.list`` ``organizationUnits``."""
    return _many(tn.GoogleOrgUnit, "google_org_units", items)


def google_policies(items: Iterable[Item]) -> list[tn.GooglePolicy]:
    """Cloud Identity ``policies.list`` items."""
    return _many(tn.GooglePolicy, "google_policies", items)


# --- managed devices --------------------------------------------------------------------------


def intune_managed_devices(items: Iterable[Item]) -> list[dv.IntuneManagedDevice]:
    """``GET /deviceManagement/managedDevices`` items, each Windows device with the
    ``windowsProtectionState`` read for it.

    >>> [d.os for d in map(dv.from_intune, intune_managed_devices([{"id": "1",
    ...     "operatingSystem": "Windows", "windowsProtectionState": None}]))]
    [<DeviceOs.WINDOWS: 'windows'>]
    """
    return _many(dv.IntuneManagedDevice, "intune_managed_devices", items)


def chromeos_devices(items: Iterable[Item]) -> list[dv.ChromeOsDevice]:
    """Directory API ``chromeosdevices.list`` items; a garbled update date is an error here,
    not when a check reads it."""
    found = _many(dv.ChromeOsDevice, "chromeos_devices", items)
    for n, device in enumerate(found, 1):
        try:
            dv.chromeos_support(device)
        except ValueError:
            raise FactError(
                f"chromeos_devices: item {n}: autoUpdateThrough, autoUpdateExpiration or "
                "extendedSupportStart is not a date"
            ) from None
    return found


LIST_MAPPERS: dict[str, Callable[[Iterable[Item]], Any]] = {
    "entra_users": entra_users,
    "entra_sign_in_activity": entra_sign_in_activity,
    "entra_mfa_registration": entra_mfa_registration,
    "entra_conditional_access": entra_conditional_access,
    "entra_directory_roles": entra_directory_roles,
    "entra_subscribed_skus": entra_subscribed_skus,
    "entra_groups": entra_groups,
    "google_users": google_users,
    "google_org_units": google_org_units,
    "google_policies": google_policies,
    "intune_managed_devices": intune_managed_devices,
    "chromeos_devices": chromeos_devices,
}
"""Facts read as a collection: fact name → mapping of its items."""

OBJECT_MAPPERS: dict[str, Callable[[Item], Any]] = {
    "entra_security_defaults": entra_security_defaults,
    "entra_authorization_policy": entra_authorization_policy,
}
"""Facts read as one object: fact name → mapping of the object."""
