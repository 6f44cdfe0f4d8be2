"""Microsoft Graph (``v1.0`` and ``beta``): the reads a tenant scan makes, in Graph's shapes.

Every call needs a live bearer token issued by :mod:`tenantsim.entra` for this tenant (401
``InvalidAuthenticationToken`` otherwise) and one of the application permissions Graph
accepts for it (403 ``Authorization_RequestDenied`` otherwise). Lists page with
``@odata.nextLink`` (``$top``: default 100, at most 999, and 120 when ``signInActivity`` is
selected, as Graph documents), ``$select`` picks properties (users without it get Graph's
default set, which has no ``accountEnabled``), ``$count=true`` with ``ConsistencyLevel:
eventual`` adds ``@odata.count``. Licence limits are Graph's: sign-in activity and the
authentication methods report need Entra ID P1 (a ``servicePlanName`` ``AAD_PREMIUM`` in an
enabled subscribed SKU), else 403 ``Authentication_RequestFromNonPremiumTenantOrB2CTenant``.

Intune (``deviceManagement/managedDevices``, data ``managed_devices.json``) needs
``DeviceManagementManagedDevices.Read.All`` (or ReadWrite), else Intune's own 403
``Forbidden`` naming the scopes; it pages 1000 devices by default (``$top`` up to 1000),
refuses a ``$select`` of a property v1.0 does not have, and serves each Windows device's
``windowsProtectionState`` on its own path and by ``$expand`` (see :mod:`tenantsim.devices`,
and :mod:`tenantsim.batch` for ``POST /v1.0/$batch``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tenantsim.devices import MANAGED_DEVICE_PROPERTIES, PROTECTION, PROTECTION_PROPERTIES
from tenantsim.errors import graph_error
from tenantsim.paging import PageTokenError, make_token, page, read_token
from tenantsim.query import QueryError, select, select_list, top
from tenantsim.state import SimState
from tenantsim.store import Tenant
from tenantsim.tokens import Grant, TokenError, TokenExpiredError, bearer

GRAPH = "graph.microsoft.com"
USER_DEFAULT = [
    "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
    "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id",
]  # fmt: skip
GROUP_DEFAULT = [
    "id", "displayName", "description", "mail", "mailEnabled", "securityEnabled",
    "groupTypes", "createdDateTime", "visibility", "onPremisesSyncEnabled",
]  # fmt: skip
USERS = frozenset({"User.Read.All", "User.ReadWrite.All", "Directory.Read.All"})
AUDIT = frozenset({"AuditLog.Read.All"})
POLICY = frozenset({"Policy.Read.All"})
ROLES = frozenset(
    {"RoleManagement.Read.Directory", "RoleManagement.Read.All", "Directory.Read.All"}
)
SKUS = frozenset({"LicenseAssignment.Read.All", "Organization.Read.All", "Directory.Read.All"})
GROUPS = frozenset({"GroupMember.Read.All", "Group.Read.All", "Directory.Read.All"})
ORG = frozenset({"Organization.Read.All", "Directory.Read.All", "User.Read.All"})
PREMIUM_PLANS = ("AAD_PREMIUM", "AAD_PREMIUM_P2")
NOT_PREMIUM = ("Authentication_RequestFromNonPremiumTenantOrB2CTenant",
               "Neither tenant is B2C or tenant doesn't have premium license")  # fmt: skip


@dataclass
class Call:
    """One Graph request being answered."""

    state: SimState
    request: Request
    tenant: Tenant
    grant: Grant
    version: str
    path: str

    @property
    def params(self) -> dict[str, str]:
        return dict(self.request.query_params)

    def context(self, what: str) -> str:
        return f"https://{GRAPH}/{self.version}/$metadata#{what}"


Handler = Callable[[Call, re.Match[str]], Response]


def has_premium(tenant: Tenant) -> bool:
    """Whether the tenant has Entra ID P1 or P2 through an enabled subscribed SKU."""
    for sku in tenant.get("subscribed_skus", []):
        if sku.get("capabilityStatus") != "Enabled":
            continue
        for plan in sku.get("servicePlans", []):
            if plan.get("servicePlanName") in PREMIUM_PLANS and plan.get(
                "provisioningStatus", "Success"
            ) in ("Success", "PendingActivation"):
                return True
    return False


def denied(call: Call, accepted: frozenset[str], *, name_it: bool = False) -> Response | None:
    """403 unless the token holds one of the ``accepted`` permissions."""
    if call.grant.permissions & accepted:
        return None
    if name_it:
        wanted = " or ".join(sorted(accepted))
        message = f"Calling principal does not have required MSGraph permissions {wanted}"
        return graph_error(403, "Authorization_RequestDenied", message)
    return graph_error(
        403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."
    )


def listing(
    call: Call,
    items: Sequence[dict[str, Any]],
    context: str,
    project: Callable[[dict[str, Any]], dict[str, Any]],
    maximum: int = 999,
    *,
    directory: bool = True,
    default: int = 100,
) -> Response:
    """One page of ``items`` with ``@odata.nextLink`` when more follow (faults applied).

    ``directory``: a collection of directory objects, where Graph counts (``$count=true``)
    only with ``ConsistencyLevel: eventual``; other collections count without it.
    """
    params = call.params
    try:
        size = top(params.get("$top"), default, maximum)
        offset = read_token(params["$skiptoken"]) if "$skiptoken" in params else 0
    except QueryError as exc:
        return graph_error(400, "BadRequest", str(exc))
    except PageTokenError as exc:
        return graph_error(404, "Request_ResourceNotFound", f"Invalid page link: {exc}")
    chunk, following = page(items, offset, size)
    body: dict[str, Any] = {"@odata.context": call.context(context)}
    if params.get("$count") == "true":
        eventual = call.request.headers.get("consistencylevel", "").lower() == "eventual"
        if directory and not eventual:
            return graph_error(
                400, "Request_BadRequest", "$count is not currently supported without "
                "the ConsistencyLevel header set to eventual.",
            )  # fmt: skip
        body["@odata.count"] = len(items)
    if following is not None:
        fault = call.state.faults.take_truncate(call.request.url.path)
        if fault is None or fault.truncate == "dead_link":
            dead = fault is not None
            query = {k: v for k, v in params.items() if k != "$skiptoken"}
            query["$skiptoken"] = make_token(following, dead=dead)
            base = f"{call.request.url.scheme}://{call.request.url.netloc}"
            body["@odata.nextLink"] = f"{base}{call.request.url.path}?{urlencode(query)}"
    body["value"] = [project(item) for item in chunk]
    return JSONResponse(body)


def _selector(call: Call, default: list[str]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    chosen = select_list(call.params.get("$select")) or default
    return lambda item: select(item, chosen)


def users(call: Call, match: re.Match[str]) -> Response:
    refused = denied(call, USERS)
    if refused:
        return refused
    try:
        chosen = select_list(call.params.get("$select")) or USER_DEFAULT
    except QueryError as exc:
        return graph_error(400, "BadRequest", str(exc))
    maximum = 999
    if "signInActivity" in chosen:
        if not has_premium(call.tenant):
            return graph_error(403, *NOT_PREMIUM)
        refused = denied(call, AUDIT, name_it=True)
        if refused:
            return refused
        maximum = 120
    if "$filter" in call.params:
        return graph_error(400, "Request_UnsupportedQuery", "Unsupported query.")
    users = call.tenant.get("users", [])
    return listing(call, users, "users", lambda u: select(u, chosen), maximum)


def registration(call: Call, match: re.Match[str]) -> Response:
    refused = denied(call, AUDIT, name_it=True)
    if refused:
        return refused
    if not has_premium(call.tenant):
        return graph_error(403, *NOT_PREMIUM)
    items = call.tenant.get("user_registration_details", [])
    context = "reports/authenticationMethods/userRegistrationDetails"
    project = _selector(call, []) if "$select" in call.params else dict
    return listing(call, items, context, project, directory=False)


def _object(call: Call, accepted: frozenset[str], collection: str, context: str) -> Response:
    refused = denied(call, accepted)
    if refused:
        return refused
    value = call.tenant.get(collection)
    if value is None:
        return graph_error(404, "Request_ResourceNotFound", f"Resource '{context}' not found.")
    return JSONResponse({"@odata.context": call.context(context), **value})


def security_defaults(call: Call, match: re.Match[str]) -> Response:
    context = "policies/identitySecurityDefaultsEnforcementPolicy/$entity"
    return _object(call, POLICY, "security_defaults", context)


def authorization_policy(call: Call, match: re.Match[str]) -> Response:
    return _object(call, POLICY, "authorization_policy", "policies/authorizationPolicy/$entity")


def conditional_access(call: Call, match: re.Match[str]) -> Response:
    refused = denied(call, POLICY)
    if refused:
        return refused
    items = call.tenant.get("conditional_access_policies", [])
    return listing(call, items, "identity/conditionalAccess/policies", dict, directory=False)


def subscribed_skus(call: Call, match: re.Match[str]) -> Response:
    refused = denied(call, SKUS)
    if refused:
        return refused
    skus = call.tenant.get("subscribed_skus", [])
    return listing(call, skus, "subscribedSkus", dict, directory=False)


def organization(call: Call, match: re.Match[str]) -> Response:
    refused = denied(call, ORG)
    if refused:
        return refused
    info = call.tenant.info
    domains = [
        {"name": d, "isDefault": i == 0, "isInitial": d.endswith(".onmicrosoft.com"),
         "type": "Managed", "capabilities": "Email, OfficeCommunicationsOnline"}
        for i, d in enumerate(info.get("domains", []))
    ]  # fmt: skip
    org = {"id": info["tenant_id"], "displayName": info.get("display_name"),
           "verifiedDomains": domains, "countryLetterCode": info.get("country", "GB")}  # fmt: skip
    return listing(call, [org], "organization", dict)


def _member(call: Call, object_id: str) -> dict[str, Any] | None:
    """A directory object (user or group) as a member listing shows it."""
    chosen = select_list(call.params.get("$select"))
    user = call.tenant.index("users").get(object_id)
    if user is not None:
        return {"@odata.type": "#microsoft.graph.user", **select(user, chosen or USER_DEFAULT)}
    group = call.tenant.index("groups").get(object_id)
    if group is not None:
        return {"@odata.type": "#microsoft.graph.group", **select(group, chosen or GROUP_DEFAULT)}
    return None


def directory_roles(call: Call, match: re.Match[str]) -> Response:
    refused = denied(call, ROLES)
    if refused:
        return refused
    expand = call.params.get("$expand", "")
    if expand not in ("", "members"):
        return graph_error(400, "BadRequest", f"Could not find a property named '{expand}'.")
    role_id = match.group("id")
    roles = call.tenant.get("directory_roles", [])

    def show(role: dict[str, Any]) -> dict[str, Any]:
        shown = {k: v for k, v in role.items() if k != "members"}
        if expand == "members":
            found = [_member(call, m) for m in role.get("members", [])]
            shown["members"] = [m for m in found if m is not None]
        return shown

    if role_id is None:
        return listing(call, roles, "directoryRoles", show)
    role = next((r for r in roles if role_id in (r["id"], r.get("roleTemplateId"))), None)
    if role is None:
        return graph_error(404, "Request_ResourceNotFound", f"Resource '{role_id}' does not exist.")
    if match.group("members"):
        found = [_member(call, m) for m in role.get("members", [])]
        return listing(call, [m for m in found if m], "directoryObjects", dict)
    return JSONResponse({"@odata.context": call.context("directoryRoles/$entity"), **show(role)})


_ROLE_FILTER = re.compile(r"^\s*(roleDefinitionId|principalId)\s+eq\s+'([^']+)'\s*$")


def role_assignments(call: Call, match: re.Match[str]) -> Response:
    refused = denied(call, ROLES)
    if refused:
        return refused
    assignments = [
        {"id": f"{role['roleTemplateId']}_{member}", "principalId": member,
         "roleDefinitionId": role["roleTemplateId"], "directoryScopeId": "/"}
        for role in call.tenant.get("directory_roles", [])
        for member in role.get("members", [])
    ]  # fmt: skip
    wanted = call.params.get("$filter")
    if wanted:
        found = _ROLE_FILTER.match(wanted)
        if not found:
            return graph_error(400, "Request_UnsupportedQuery", "Unsupported query.")
        assignments = [a for a in assignments if a[found.group(1)] == found.group(2)]
    expand = call.params.get("$expand", "")
    if expand not in ("", "principal"):
        return graph_error(400, "BadRequest", f"Could not find a property named '{expand}'.")

    def show(item: dict[str, Any]) -> dict[str, Any]:
        if expand == "principal":
            return {**item, "principal": _member(call, item["principalId"])}
        return item

    context = "roleManagement/directory/roleAssignments"
    return listing(call, assignments, context, show, directory=False)


def role_definitions(call: Call, match: re.Match[str]) -> Response:
    refused = denied(call, ROLES)
    if refused:
        return refused
    definitions = [
        {"id": r["roleTemplateId"], "templateId": r["roleTemplateId"],
         "displayName": r.get("displayName"), "description": r.get("description"),
         "isBuiltIn": True, "isEnabled": True}
        for r in call.tenant.get("directory_roles", [])
    ]  # fmt: skip
    context = "roleManagement/directory/roleDefinitions"
    return listing(call, definitions, context, dict, directory=False)


def _transitive(tenant: Tenant, group_id: str) -> list[str]:
    """Every member below a group (nested groups and their members), each once."""
    groups = tenant.index("groups")
    seen: dict[str, None] = {}
    pending = list(groups[group_id].get("members", []))
    while pending:
        member = pending.pop(0)
        if member in seen:
            continue
        seen[member] = None
        if member in groups:
            pending.extend(groups[member].get("members", []))
    return list(seen)


def groups(call: Call, match: re.Match[str]) -> Response:
    refused = denied(call, GROUPS)
    if refused:
        return refused
    group_id, relation = match.group("id"), match.group("rel")
    if group_id is None:
        project = _selector(call, GROUP_DEFAULT)
        return listing(call, call.tenant.get("groups", []), "groups", project)
    group = call.tenant.index("groups").get(group_id)
    if group is None:
        message = f"Resource '{group_id}' does not exist or one of its queried reference-property objects are not present."  # noqa: E501
        return graph_error(404, "Request_ResourceNotFound", message)
    if relation is None:
        shown = select(group, select_list(call.params.get("$select")) or GROUP_DEFAULT)
        return JSONResponse({"@odata.context": call.context("groups/$entity"), **shown})
    ids = group.get("members", []) if relation == "members" else _transitive(call.tenant, group_id)
    found = [m for m in (_member(call, i) for i in ids) if m is not None]
    return listing(call, found, "directoryObjects", dict)


DEVICES = frozenset(
    {"DeviceManagementManagedDevices.Read.All", "DeviceManagementManagedDevices.ReadWrite.All"}
)
INTUNE_FRONTEND = "https://fef.msua06.manage.microsoft.com/DeviceFE/StatelessDeviceFEService"
_EQ = re.compile(r"^\s*(\w+)\s+eq\s+(?:'((?:[^']|'')*)'|(true|false))\s*$")
_EXPAND = re.compile(rf"^{PROTECTION}(?:\(\$select=(?P<select>[^)]*)\))?$")


def _intune_error(call: Call, status: int, code: str, text: str) -> Response:
    """Intune's error, as Graph relays it: the service's message, operation and activity ids."""
    activity = str(uuid.uuid4())
    where = f"{INTUNE_FRONTEND}/{call.path}?api-version=5024-07-26"
    message = (
        f"{text} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000"
        f" - Activity ID: {activity} - Url: {where}"
    )
    return graph_error(status, code, message)


def _unknown_property(name: str, kind: str) -> Response:
    return graph_error(
        400, "BadRequest", f"Could not find a property named '{name}' on type '{kind}'."
    )


def _device_filter(text: str) -> Callable[[dict[str, Any]], bool]:
    """``prop eq 'text'`` / ``prop eq true`` clauses joined by ``and`` (QueryError otherwise)."""
    tests = []
    for clause in re.split(r"\s+and\s+", text.strip()):
        found = _EQ.match(clause)
        if not found or found.group(1) not in MANAGED_DEVICE_PROPERTIES:
            raise QueryError(f"Invalid filter clause: {clause}")
        name, quoted, boolean = found.groups()
        wanted: Any = quoted.replace("''", "'") if boolean is None else boolean == "true"
        tests.append((name, wanted))

    def keep(item: dict[str, Any]) -> bool:
        for name, wanted in tests:
            value = item.get(name)
            if isinstance(wanted, str) and isinstance(value, str):
                if value.lower() != wanted.lower():
                    return False
            elif value != wanted:
                return False
        return True

    return keep


def managed_devices(call: Call, match: re.Match[str]) -> Response:
    """Intune's ``deviceManagement/managedDevices`` (list, one device, its protection state)."""
    if not call.grant.permissions & DEVICES:
        text = (
            "Application is not authorized to perform this operation. Application must have "
            "one of the following scopes: " + ", ".join(sorted(DEVICES))
        )
        return _intune_error(call, 403, "Forbidden", text)
    chosen = select_list(call.params.get("$select"))
    device_id, relation = match.group("id"), match.group("rel")
    if relation is not None:
        return _protection_state(call, device_id, chosen)
    for name in chosen or []:
        if name not in MANAGED_DEVICE_PROPERTIES:
            return _unknown_property(name, "microsoft.graph.managedDevice")
    expand = call.params.get("$expand", "")
    expanded = _EXPAND.match(expand) if expand else None
    if expand and expanded is None:
        return _unknown_property(expand.split("(")[0], "microsoft.graph.managedDevice")
    inner = select_list(expanded.group("select")) if expanded and expanded.group("select") else None
    for name in inner or []:
        if name not in PROTECTION_PROPERTIES:
            return _unknown_property(name, "microsoft.graph.windowsProtectionState")

    def show(device: dict[str, Any]) -> dict[str, Any]:
        shown = (
            select(device, chosen)
            if chosen
            else {k: v for k, v in device.items() if k != PROTECTION}
        )
        if expanded is not None:
            state = device.get(PROTECTION)
            shown[PROTECTION] = None if state is None else select(state, inner)
        return shown

    if device_id is None:
        devices = call.tenant.get("managed_devices", [])
        if "$filter" in call.params:
            devices = [d for d in devices if _device_filter(call.params["$filter"])(d)]
        context = "deviceManagement/managedDevices"
        return listing(call, devices, context, show, 1000, directory=False, default=1000)
    device = call.tenant.index("managed_devices").get(device_id)
    if device is None:
        return _intune_error(call, 404, "ResourceNotFound", "Resource not found")
    context = call.context("deviceManagement/managedDevices/$entity")
    return JSONResponse({"@odata.context": context, **show(device)})


def _protection_state(call: Call, device_id: str, chosen: list[str] | None) -> Response:
    for name in chosen or []:
        if name not in PROTECTION_PROPERTIES:
            return _unknown_property(name, "microsoft.graph.windowsProtectionState")
    device = call.tenant.index("managed_devices").get(device_id)
    state = None if device is None else device.get(PROTECTION)
    if state is None:
        return _intune_error(call, 404, "ResourceNotFound", "Resource not found")
    where = f"deviceManagement/managedDevices('{device_id}')/{PROTECTION}/$entity"
    return JSONResponse({"@odata.context": call.context(where), **select(state, chosen)})


ROUTES: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(r"^users$"), users),
    (re.compile(r"^reports/authenticationMethods/userRegistrationDetails$"), registration),
    (re.compile(r"^policies/identitySecurityDefaultsEnforcementPolicy$"), security_defaults),
    (re.compile(r"^policies/authorizationPolicy$"), authorization_policy),
    (re.compile(r"^identity/conditionalAccess/policies$"), conditional_access),
    (re.compile(r"^subscribedSkus$"), subscribed_skus),
    (re.compile(r"^organization$"), organization),
    (re.compile(r"^directoryRoles(?:/(?P<id>[^/]+)(?P<members>/members)?)?$"), directory_roles),
    (re.compile(r"^roleManagement/directory/roleAssignments$"), role_assignments),
    (re.compile(r"^roleManagement/directory/roleDefinitions$"), role_definitions),
    (re.compile(r"^groups(?:/(?P<id>[^/]+)(?:/(?P<rel>members|transitiveMembers))?)?$"), groups),
    (
        re.compile(
            r"^deviceManagement/managedDevices(?:/(?P<id>[^/]+)(?:/(?P<rel>windowsProtectionState))?)?$"
        ),
        managed_devices,
    ),
]


def authorise(state: SimState, request: Request) -> Grant | Response:
    """The grant of the request's bearer token, or Graph's 401."""
    header = {"WWW-Authenticate": 'Bearer realm="", error="invalid_token"'}
    try:
        grant = state.tokens.check(bearer(request.headers.get("authorization")))
    except TokenExpiredError:
        message = "Lifetime validation failed, the token is expired."
        return graph_error(401, "InvalidAuthenticationToken", message, header)
    except TokenError as exc:
        message = (
            "Access token is empty."
            if "no access" in str(exc)
            else "Access token validation failure. Invalid audience."
        )
        return graph_error(401, "InvalidAuthenticationToken", message, header)
    if grant.audience != "graph":
        return graph_error(
            401,
            "InvalidAuthenticationToken",
            "Access token validation failure. Invalid audience.",
            header,
        )
    return grant


def handle(state: SimState, request: Request, rest: str) -> Response:
    """Answer ``/graph.microsoft.com/<version>/<rest>``."""
    version, _, path = rest.partition("/")
    if version not in ("v1.0", "beta"):
        return graph_error(400, "BadRequest", f"Invalid version: {version}")
    grant = authorise(state, request)
    if isinstance(grant, Response):
        return grant
    tenant = state.store.tenants.get(grant.tenant)
    if tenant is None:
        return graph_error(401, "InvalidAuthenticationToken", "The tenant no longer exists.")
    if request.method != "GET":
        return graph_error(
            405,
            "Request_BadRequest",
            "Specified HTTP method is not allowed for the request target.",
        )
    call = Call(state, request, tenant, grant, version, path.rstrip("/"))
    for pattern, handler in ROUTES:
        match = pattern.match(call.path)
        if match:
            try:
                return handler(call, match)
            except QueryError as exc:
                return graph_error(400, "BadRequest", str(exc))
    segment = call.path.split("/")[0]
    return graph_error(400, "BadRequest", f"Resource not found for the segment '{segment}'.")
