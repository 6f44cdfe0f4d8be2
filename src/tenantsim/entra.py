"""Microsoft Entra ID: the v2.0 OpenID configuration and the client-credentials token endpoint.

``{login}/{tenant}/v2.0/.well-known/openid-configuration`` and
``{login}/{tenant}/oauth2/v2.0/token`` with ``grant_type=client_credentials``,
``scope=https://graph.microsoft.com/.default`` and either
``client_secret`` (checked against the SHA-256 in ``credentials.json``) or a ``client_assertion``
JWT signed with the private key of a certificate registered for the app (found by its ``x5t``
or ``x5t#S256`` thumbprint; signature, audience = this token endpoint, issuer = subject =
client id and lifetime checked). The token carries the app's granted application permissions
(``tenant.json`` ``applications[].application_permissions``), as Entra's ``roles`` claim does.
Errors are Entra's: ``invalid_client`` with AADSTS7000215 for a wrong secret, and so on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tenantsim.errors import GRAPH_CLIENT_ID, oauth_error
from tenantsim.state import SimState, read_form
from tenantsim.store import Tenant

LOGIN = "login.microsoftonline.com"
GRAPH_RESOURCES = ("https://graph.microsoft.com", GRAPH_CLIENT_ID)
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def _base(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def openid_configuration(request: Request, tenant: Tenant) -> Response:
    """The tenant's v2.0 OpenID Provider configuration, with the simulator's URLs."""
    tid = tenant.info["tenant_id"]
    login = f"{_base(request)}/{LOGIN}/{tid}"
    return JSONResponse(
        {
            "token_endpoint": f"{login}/oauth2/v2.0/token",
            "token_endpoint_auth_methods_supported": [
                "client_secret_post",
                "private_key_jwt",
                "client_secret_basic",
            ],
            "jwks_uri": f"{_base(request)}/{LOGIN}/{tid}/discovery/v2.0/keys",
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": f"{login}/v2.0",
            "request_uri_parameter_supported": False,
            "userinfo_endpoint": f"{_base(request)}/graph.microsoft.com/oidc/userinfo",
            "authorization_endpoint": f"{login}/oauth2/v2.0/authorize",
            "device_authorization_endpoint": f"{login}/oauth2/v2.0/devicecode",
            "http_logout_supported": True,
            "frontchannel_logout_supported": True,
            "end_session_endpoint": f"{login}/oauth2/v2.0/logout",
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "tid", "oid", "roles"],
            "tenant_region_scope": "EU",
            "cloud_instance_name": "microsoftonline.com",
            "cloud_graph_host_name": "graph.windows.net",
            "msgraph_host": "graph.microsoft.com",
        }
    )


async def login(state: SimState, request: Request, rest: str) -> Response:
    """Dispatch ``/login.microsoftonline.com/<rest>``."""
    parts = rest.split("/")
    tenant_ref = parts[0] if parts else ""
    tenant = state.store.microsoft(tenant_ref)
    tail = "/".join(parts[1:])
    if tenant is None:
        message = (
            f"AADSTS90002: Tenant '{tenant_ref}' not found. Check to make sure you have the "
            "correct tenant ID and are signing into the correct cloud."
        )
        return oauth_error(400, "invalid_request", message, [90002])
    if tail == "v2.0/.well-known/openid-configuration" and request.method == "GET":
        return openid_configuration(request, tenant)
    if tail == "oauth2/v2.0/token" and request.method == "POST":
        form = await read_form(request)
        return token(state, request, tenant, form)
    return JSONResponse({"error": "not_found"}, status_code=404)


def _app(tenant: Tenant, client_id: str) -> dict[str, Any] | None:
    for app in tenant.info.get("applications", []):
        if app.get("client_id") == client_id:
            return dict(app)
    return None


def token(state: SimState, request: Request, tenant: Tenant, form: dict[str, str]) -> Response:
    """The client-credentials grant (RFC 6749 4.4, with Entra's checks and errors)."""
    if form.get("grant_type") != "client_credentials":
        grant = form.get("grant_type", "")
        message = f"AADSTS70003: The app requested an unsupported grant type '{grant}'."
        return oauth_error(400, "unsupported_grant_type", message, [70003])
    client_id = form.get("client_id", "")
    app = _app(tenant, client_id)
    if app is None:
        message = (
            f"AADSTS700016: Application with identifier '{client_id}' was not found in the "
            f"directory '{tenant.info.get('display_name', tenant.name)}'."
        )
        return oauth_error(400, "unauthorized_client", message, [700016])
    scopes = form.get("scope", "").split()
    if len(scopes) != 1 or scopes[0].removesuffix("/.default") not in GRAPH_RESOURCES:
        message = (
            f"AADSTS1002012: The provided value for scope {form.get('scope', '')} is not "
            "valid. Client credential flows must have a scope value with /.default suffixed "
            "to the resource identifier (application ID URI)."
        )
        return oauth_error(400, "invalid_scope", message, [1002012])
    refused = _authenticate(tenant, request, client_id, form)
    if refused is not None:
        return refused
    permissions = [str(p) for p in app.get("application_permissions", [])]
    access, issued = state.tokens.issue(tenant.name, "graph", client_id, permissions)
    lifetime = int(issued.expires_at - time.time())
    return JSONResponse(
        {
            "token_type": "Bearer",
            "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": access,
        },
        headers={"Cache-Control": "no-store"},
    )


def _authenticate(
    tenant: Tenant, request: Request, client_id: str, form: dict[str, str]
) -> Response | None:
    """None when the client proved who it is; the token endpoint's refusal otherwise."""
    credentials = tenant.credentials
    if "client_secret" in form:
        digest = hashlib.sha256(form["client_secret"].encode()).hexdigest()
        known = credentials.get("client_secrets", {}).get(client_id, [])
        if any(hmac.compare_digest(digest, str(k)) for k in known):
            return None
        message = (
            "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in "
            "the request is the client secret value, not the client secret ID, for a secret "
            f"added to app '{client_id}'."
        )
        return oauth_error(401, "invalid_client", message, [7000215])
    if form.get("client_assertion_type") == ASSERTION_TYPE and "client_assertion" in form:
        here = f"{_base(request)}{request.url.path}"
        real = f"https://{LOGIN}/{tenant.info['tenant_id']}/oauth2/v2.0/token"
        certificates = credentials.get("client_certificates", {}).get(client_id, [])
        problem = check_assertion(form["client_assertion"], client_id, [here, real], certificates)
        if problem is None:
            return None
        code, text = problem
        return oauth_error(401, "invalid_client", f"AADSTS{code}: {text}", [code])
    message = (
        "AADSTS7000218: The request body must contain the following parameter: "
        "'client_assertion' or 'client_secret'."
    )
    return oauth_error(401, "invalid_client", message, [7000218])


def _thumbprints(pem: str) -> tuple[str, str]:
    cert = x509.load_pem_x509_certificate(pem.encode())
    sha1 = base64.urlsafe_b64encode(cert.fingerprint(hashes.SHA1())).decode().rstrip("=")  # noqa: S303
    sha256 = base64.urlsafe_b64encode(cert.fingerprint(hashes.SHA256())).decode().rstrip("=")
    return sha1, sha256


def check_assertion(
    assertion: str, client_id: str, audiences: list[str], certificates: list[str]
) -> tuple[int, str] | None:
    """None when the client assertion is good; (AADSTS code, reason) otherwise.

    ``audiences``: this token endpoint as the client reached it, and the real one it stands for.
    """
    try:
        header = jwt.get_unverified_header(assertion)
    except jwt.PyJWTError:
        return 50027, "Invalid JWT token. The token is malformed."
    wanted = (str(header.get("x5t", "")).rstrip("="), str(header.get("x5t#S256", "")).rstrip("="))
    chosen = None
    for pem in certificates:
        sha1, sha256 = _thumbprints(pem)
        if wanted[0] == sha1 or wanted[1] == sha256:
            chosen = pem
    if chosen is None:
        return (
            700027,
            "The certificate with identifier used to sign the client assertion is not "
            "registered on application. [Reason - The key was not found., Thumbprint of key "
            f"used by client: '{wanted[0] or wanted[1]}']",
        )
    key = x509.load_pem_x509_certificate(chosen.encode()).public_key()
    try:
        claims = jwt.decode(
            assertion,
            key=key,  # type: ignore[arg-type]
            algorithms=["RS256", "PS256"],
            audience=audiences,
            options={"require": ["exp", "aud", "iss", "sub"]},
        )
    except jwt.ExpiredSignatureError:
        return 700024, "Client assertion is not within its valid time range."
    except jwt.InvalidAudienceError:
        return (
            700212,
            f"The audience of the client assertion is not the token endpoint '{audiences[0]}'.",
        )
    except jwt.PyJWTError:
        return 700027, "Client assertion failed signature validation."
    if claims.get("iss") != client_id or claims.get("sub") != client_id:
        return (
            700021,
            "Client assertion application identifier doesn't match 'client_id' parameter.",
        )
    return None
