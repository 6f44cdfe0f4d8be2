"""Google Workspace: the OAuth 2.0 token URI (JWT-bearer grant of a service account with
domain-wide delegation), the Admin SDK Directory API and the Cloud Identity Policy API.

Token: ``POST /oauth2.googleapis.com/token`` with ``grant_type=urn:ietf:params:oauth:grant-
type:jwt-bearer`` and an ``assertion`` JWT (RS256) whose signature is checked with the public
key registered for its ``kid`` (``credentials.json``), whose ``aud`` is this token URI, whose
lifetime is at most an hour, whose ``sub`` (the user acted as) exists and is not suspended, and
whose ``scope`` only names scopes granted to the service account for domain-wide delegation
(``tenant.json`` ``service_accounts[].scopes``): Google's ``unauthorized_client`` otherwise.

APIs check the token's scopes (403 ``insufficientPermissions``, as Google words it) and that
the user acted as is an administrator (403 ``Not Authorized to access this resource/api``).
Lists page with ``pageToken``/``nextPageToken``; ``fields`` gives a partial response.
ChromeOS devices (``customer/{customerId}/devices/chromeos``, data ``chromeos_devices.json``)
need the ``admin.directory.device.chromeos(.readonly)`` scope; ``maxResults`` above 300 is
refused, ``projection`` BASIC (the default) leaves out what only FULL returns, ``orgUnitPath``
(a path or an ``id:``) selects an org unit, with its children on ``includeChildOrgunits``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tenantsim.devices import CHROMEOS_FULL_ONLY
from tenantsim.errors import google_error, oauth_error
from tenantsim.paging import PageTokenError, make_token, page, read_token
from tenantsim.query import QueryError, apply_fields, parse_fields, top
from tenantsim.state import SimState, read_form
from tenantsim.store import Tenant
from tenantsim.tokens import Grant, TokenError, bearer

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
REAL_TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105 - a URL
"""The audience google-auth signs into every assertion, whatever token URI it posts to; the
simulator stands for that host, so it takes this audience as well as its own URL."""
SCOPE = "https://www.googleapis.com/auth/"
USER_SCOPES = frozenset({SCOPE + "admin.directory.user.readonly", SCOPE + "admin.directory.user"})
ORGUNIT_SCOPES = frozenset(
    {SCOPE + "admin.directory.orgunit.readonly", SCOPE + "admin.directory.orgunit"}
)
ROLE_SCOPES = frozenset(
    {SCOPE + "admin.directory.rolemanagement.readonly", SCOPE + "admin.directory.rolemanagement"}
)
CHROMEOS_SCOPES = frozenset(
    {SCOPE + "admin.directory.device.chromeos.readonly", SCOPE + "admin.directory.device.chromeos"}
)
POLICY_SCOPES = frozenset(
    {SCOPE + "cloud-identity.policies.readonly", SCOPE + "cloud-identity.policies"}
)
UNAUTHORIZED_CLIENT = (
    "Client is unauthorized to retrieve access tokens using this method, or client not "
    "authorized for any of the scopes requested."
)
SHORT_LIVED = (
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
    "timeframe. Check your iat and exp values in the JWT claim."
)
INVALID_CREDENTIALS = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)
NOT_AUTHORIZED = "Not Authorized to access this resource/api"


def _token_response(access: str, lifetime: int) -> Response:
    body = {"access_token": access, "expires_in": lifetime, "token_type": "Bearer"}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


async def token(state: SimState, request: Request) -> Response:
    """The JWT-bearer grant (RFC 7523) as Google's token URI answers it."""
    form = await read_form(request)
    if form.get("grant_type") != JWT_BEARER:
        return oauth_error(
            400, "unsupported_grant_type", f"Invalid grant_type: {form.get('grant_type', '')}"
        )
    assertion = form.get("assertion", "")
    try:
        header = jwt.get_unverified_header(assertion)
        unverified = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        return oauth_error(400, "invalid_grant", "Invalid JWT: not a valid JWT.")
    email = str(unverified.get("iss", ""))
    tenant = state.store.google_by_client_email(email)
    if tenant is None:
        return oauth_error(400, "invalid_grant", "Invalid grant: account not found")
    keys = tenant.credentials.get("service_account_keys", {}).get(email, [])
    key = next((k for k in keys if k.get("private_key_id") == header.get("kid")), None)
    if key is None:
        return oauth_error(400, "invalid_grant", "Invalid JWT Signature.")
    here = f"{request.url.scheme}://{request.url.netloc}{request.url.path}"
    try:
        claims = jwt.decode(
            assertion,
            key=load_pem_public_key(key["public_key_pem"].encode()),  # type: ignore[arg-type]
            algorithms=["RS256"],
            audience=[REAL_TOKEN_URI, here],
            options={"require": ["exp", "iat", "aud", "iss"]},
            leeway=30,
        )
    except (jwt.ExpiredSignatureError, jwt.ImmatureSignatureError):
        return oauth_error(400, "invalid_grant", SHORT_LIVED)
    except jwt.InvalidAudienceError:
        return oauth_error(400, "invalid_grant", "Invalid JWT: Failed audience check.")
    except jwt.PyJWTError:
        return oauth_error(400, "invalid_grant", "Invalid JWT Signature.")
    if int(claims["exp"]) - int(claims["iat"]) > 3600:
        return oauth_error(400, "invalid_grant", SHORT_LIVED)
    return _grant(state, tenant, email, claims)


def _grant(state: SimState, tenant: Tenant, email: str, claims: dict[str, Any]) -> Response:
    scopes = str(claims.get("scope", "")).split()
    if not scopes:
        return oauth_error(400, "invalid_scope", "Empty or missing scope not allowed.")
    subject = claims.get("sub")
    if subject is not None:
        account = next(a for a in tenant.info["service_accounts"] if a["client_email"] == email)
        granted = set(account.get("scopes", []))
        if not set(scopes) <= granted:
            return oauth_error(401, "unauthorized_client", UNAUTHORIZED_CLIENT)
        user = tenant.index("users", "primaryEmail").get(str(subject))
        if user is None or user.get("suspended"):
            return oauth_error(400, "invalid_grant", "Invalid email or User ID")
    access, grant = state.tokens.issue(tenant.name, "google", email, scopes, subject)
    return _token_response(access, int(grant.expires_at - time.time()))


@dataclass
class Call:
    """One Google API request being answered."""

    state: SimState
    request: Request
    tenant: Tenant
    grant: Grant
    service: str

    @property
    def params(self) -> dict[str, str]:
        return dict(self.request.query_params)


def authorise(state: SimState, request: Request) -> Grant | Response:
    """The grant of the bearer token, or Google's 401."""
    try:
        grant = state.tokens.check(bearer(request.headers.get("authorization")))
    except TokenError:
        grant = None
    if grant is None or grant.audience != "google":
        headers = {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'}
        return google_error(401, INVALID_CREDENTIALS, "authError", headers)
    return grant


def denied(call: Call, accepted: frozenset[str], method: str) -> Response | None:
    """403 when the token lacks every accepted scope, or acts as no administrator."""
    if not call.grant.permissions & accepted:
        details: list[dict[str, object]] = [{
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
            "domain": "googleapis.com",
            "metadata": {"service": call.service, "method": method},
        }]  # fmt: skip
        message = "Request had insufficient authentication scopes."
        return google_error(403, message, "insufficientPermissions", details=details)
    user = call.tenant.index("users", "primaryEmail").get(str(call.grant.subject))
    if user is None or not user.get("isAdmin"):
        return google_error(403, NOT_AUTHORIZED, "forbidden")
    return None


def _customer_ok(call: Call, customer: str | None) -> bool:
    return customer in ("my_customer", call.tenant.info.get("customer_id"))


def listing(
    call: Call,
    items: Sequence[dict[str, Any]],
    key: str,
    head: dict[str, Any],
    default: int,
    maximum: int,
    size_param: str = "maxResults",
) -> Response:
    """One page of ``items`` under ``key`` with ``nextPageToken`` when more follow."""
    params = call.params
    try:
        size = top(params.get(size_param), default, maximum)
        offset = read_token(params["pageToken"]) if params.get("pageToken") else 0
        fields = parse_fields(params["fields"]) if params.get("fields") else None
    except QueryError as exc:
        return google_error(400, str(exc), "invalid")
    except PageTokenError:
        return google_error(404, "Requested entity was not found.", "notFound")
    chunk, following = page(items, offset, size)
    body: dict[str, Any] = dict(head)
    if chunk:
        body[key] = list(chunk)
    if following is not None:
        fault = call.state.faults.take_truncate(call.request.url.path)
        if fault is None or fault.truncate == "dead_link":
            body["nextPageToken"] = make_token(following, dead=fault is not None)
    return JSONResponse(apply_fields(body, fields))


_BASIC_DROP = ("customSchemas",)


def _directory_users(call: Call, match: re.Match[str]) -> Response:
    refused = denied(call, USER_SCOPES, "ccc.hosted.frontend.directory.v1.DirectoryUsers.List")
    if refused:
        return refused
    params = call.params
    customer, domain = params.get("customer"), params.get("domain")
    if customer is None and domain is None:
        return google_error(400, "Bad Request", "badRequest")
    if customer is not None and not _customer_ok(call, customer):
        return google_error(403, NOT_AUTHORIZED, "forbidden")
    users = call.tenant.get("users", [])
    if domain is not None:
        if domain not in call.tenant.info.get("domains", []):
            return google_error(403, NOT_AUTHORIZED, "forbidden")
        users = [u for u in users if str(u.get("primaryEmail", "")).endswith("@" + domain)]
    projection = params.get("projection", "basic")
    if projection not in ("basic", "full", "custom"):
        return google_error(400, f"Invalid value for projection: {projection}", "invalid")
    if projection == "basic":
        users = [{k: v for k, v in u.items() if k not in _BASIC_DROP} for u in users]
    if params.get("query"):
        return google_error(400, "Invalid Input: query is not supported here", "invalid")
    head = {"kind": "admin#directory#users", "etag": '"tenantsim"'}
    return listing(call, users, "users", head, 100, 500)


def _orgunits(call: Call, match: re.Match[str]) -> Response:
    refused = denied(
        call, ORGUNIT_SCOPES, "ccc.hosted.frontend.directory.v1.DirectoryOrgunits.List"
    )
    if refused:
        return refused
    if not _customer_ok(call, match.group("customer")):
        return google_error(403, NOT_AUTHORIZED, "forbidden")
    units = call.tenant.get("org_units", [])
    body = {"kind": "admin#directory#orgUnits", "etag": '"tenantsim"', "organizationUnits": units}
    return JSONResponse(body)


def _roles(call: Call, match: re.Match[str]) -> Response:
    refused = denied(call, ROLE_SCOPES, "ccc.hosted.frontend.directory.v1.DirectoryRoles.List")
    if refused:
        return refused
    if not _customer_ok(call, match.group("customer")):
        return google_error(403, NOT_AUTHORIZED, "forbidden")
    head = {"kind": "admin#directory#roles", "etag": '"tenantsim"'}
    return listing(call, call.tenant.get("roles", []), "items", head, 100, 100)


def _role_assignments(call: Call, match: re.Match[str]) -> Response:
    method = "ccc.hosted.frontend.directory.v1.DirectoryRoleAssignments.List"
    refused = denied(call, ROLE_SCOPES, method)
    if refused:
        return refused
    if not _customer_ok(call, match.group("customer")):
        return google_error(403, NOT_AUTHORIZED, "forbidden")
    items = call.tenant.get("role_assignments", [])
    if "roleId" in call.params:
        items = [a for a in items if str(a.get("roleId")) == call.params["roleId"]]
    if "userKey" in call.params:
        user = call.tenant.index("users", "primaryEmail").get(call.params["userKey"])
        wanted = user["id"] if user else call.params["userKey"]
        items = [a for a in items if a.get("assignedTo") == wanted]
    head = {"kind": "admin#directory#roleAssignments", "etag": '"tenantsim"'}
    return listing(call, items, "items", head, 100, 200)


_CUSTOMER_CLAUSE = re.compile(r"""^customer\s*==\s*["']customers/([^"']+)["']$""")
_TYPE_CLAUSE = re.compile(r"""^setting\.type\.matches\(\s*["']([^"']+)["']\s*\)$""")


def _policies(call: Call, match: re.Match[str]) -> Response:
    refused = denied(
        call, POLICY_SCOPES, "google.apps.cloudidentity.policies.v1.PoliciesService.ListPolicies"
    )
    if refused:
        return refused
    customer, pattern = "my_customer", None
    text = call.params.get("filter", "").strip()
    for clause in filter(None, (c.strip() for c in text.split("&&"))):
        found_customer, found_type = _CUSTOMER_CLAUSE.match(clause), _TYPE_CLAUSE.match(clause)
        if found_customer:
            customer = found_customer.group(1)
        elif found_type:
            pattern = found_type.group(1)
        else:
            return google_error(400, f"Invalid filter: {clause}", "invalid")
    if not _customer_ok(call, customer):
        return google_error(403, "The caller does not have permission", "forbidden")
    items = call.tenant.get("policies", [])
    if pattern is not None:
        try:
            regex = re.compile(pattern)
        except re.error:
            return google_error(400, f"Invalid filter: {pattern}", "invalid")
        items = [p for p in items if regex.search(str(p.get("setting", {}).get("type", "")))]
    return listing(call, items, "policies", {}, 50, 100, "pageSize")


_CHROMEOS_ORDER = ("annotatedLocation", "annotatedUser", "lastSync", "notes", "serialNumber",
                   "status")  # fmt: skip
_CHROMEOS_MAX = 300


def _chromeos_projection(call: Call) -> str | Response:
    projection = call.params.get("projection", "BASIC").upper()
    if projection not in ("BASIC", "FULL"):
        text = call.params["projection"]
        return google_error(400, f"Invalid value for projection: {text}", "invalid")
    return projection


def _project_chromeos(device: dict[str, Any], projection: str) -> dict[str, Any]:
    if projection == "FULL":
        return device
    return {k: v for k, v in device.items() if k not in CHROMEOS_FULL_ONLY}


def _in_org_unit(call: Call, devices: list[dict[str, Any]]) -> list[dict[str, Any]] | Response:
    """The devices of ``orgUnitPath`` (a path, with or without its leading ``/``, or an
    ``id:`` org unit id), and of its children with ``includeChildOrgunits=true``."""
    wanted = call.params.get("orgUnitPath")
    children = call.params.get("includeChildOrgunits", "false").lower() == "true"
    if not wanted:
        if children:
            message = "Invalid Input: orgUnitPath is required with includeChildOrgunits"
            return google_error(400, message, "invalid")
        return devices
    units = {
        str(u.get("orgUnitId")): str(u.get("orgUnitPath")) for u in call.tenant.get("org_units", [])
    }
    path = units.get(wanted) or "/" + wanted.strip("/")
    known = {p.lower() for p in units.values()} | {"/"}
    known |= {str(d.get("orgUnitPath", "")).lower() for d in devices}
    if path.lower() not in known:
        return google_error(400, "Invalid Input: Org unit not found", "invalid")

    def inside(device: dict[str, Any]) -> bool:
        unit = str(device.get("orgUnitPath", "")).lower()
        if unit == path.lower():
            return True
        return children and unit.startswith(path.lower().rstrip("/") + "/")

    return [d for d in devices if inside(d)]


def _chromeos_devices(call: Call, match: re.Match[str]) -> Response:
    method = "ccc.hosted.frontend.directory.v1.DirectoryChromeosdevices." + (
        "Get" if match.group("id") else "List"
    )
    refused = denied(call, CHROMEOS_SCOPES, method)
    if refused:
        return refused
    if not _customer_ok(call, match.group("customer")):
        return google_error(403, NOT_AUTHORIZED, "forbidden")
    projection = _chromeos_projection(call)
    if isinstance(projection, Response):
        return projection
    devices = list(call.tenant.get("chromeos_devices", []))
    if match.group("id"):
        found = next((d for d in devices if d.get("deviceId") == match.group("id")), None)
        if found is None:
            return google_error(404, "Resource Not Found: deviceId", "notFound")
        fields = parse_fields(call.params["fields"]) if call.params.get("fields") else None
        return JSONResponse(apply_fields(_project_chromeos(found, projection), fields))
    params = call.params
    size = params.get("maxResults")
    if size and size.isdigit() and not 1 <= int(size) <= _CHROMEOS_MAX:
        message = f"Invalid value '{size}'. Values must be within the range: [1, {_CHROMEOS_MAX}]"
        return google_error(400, message, "invalid")
    if params.get("query"):
        return google_error(400, "Invalid Input: query is not simulated", "invalid")
    placed = _in_org_unit(call, devices)
    if isinstance(placed, Response):
        return placed
    order = params.get("orderBy")
    if order is not None:
        if order not in _CHROMEOS_ORDER:
            return google_error(400, f"Invalid value for orderBy: {order}", "invalid")
        descending = params.get("sortOrder", "ASCENDING").upper() == "DESCENDING"
        placed.sort(key=lambda d: str(d.get(order, "")), reverse=descending)
    elif "sortOrder" in params:
        return google_error(400, "Invalid Input: sortOrder needs orderBy", "invalid")
    shown = [_project_chromeos(d, projection) for d in placed]
    head = {"kind": "admin#directory#chromeosdevices", "etag": '"tenantsim"'}
    return listing(call, shown, "chromeosdevices", head, 100, _CHROMEOS_MAX)


Handler = Callable[[Call, re.Match[str]], Response]
DIRECTORY = "admin/directory/v1/"
ADMIN_ROUTES: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(rf"^{DIRECTORY}users$"), _directory_users),
    (re.compile(rf"^{DIRECTORY}customer/(?P<customer>[^/]+)/orgunits$"), _orgunits),
    (re.compile(rf"^{DIRECTORY}customer/(?P<customer>[^/]+)/roles$"), _roles),
    (re.compile(rf"^{DIRECTORY}customer/(?P<customer>[^/]+)/roleassignments$"), _role_assignments),
    (
        re.compile(
            rf"^{DIRECTORY}customer/(?P<customer>[^/]+)/devices/chromeos(?:/(?P<id>[^/]+))?$"
        ),
        _chromeos_devices,
    ),
]
POLICY_ROUTES: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(r"^(v1|v1beta1)/policies$"), _policies),
]


def handle(state: SimState, request: Request, service: str, rest: str) -> Response:
    """Answer ``/<service>/<rest>`` for admin.googleapis.com or cloudidentity.googleapis.com."""
    grant = authorise(state, request)
    if isinstance(grant, Response):
        return grant
    tenant = state.store.tenants.get(grant.tenant)
    if tenant is None:
        return google_error(401, INVALID_CREDENTIALS, "authError")
    call = Call(state, request, tenant, grant, service)
    routes = ADMIN_ROUTES if service == "admin.googleapis.com" else POLICY_ROUTES
    for pattern, handler in routes:
        match = pattern.match(rest.rstrip("/"))
        if match and request.method == "GET":
            try:
                return handler(call, match)
            except QueryError as exc:
                return google_error(400, str(exc), "invalid")
    return google_error(404, "Not Found", "notFound")
