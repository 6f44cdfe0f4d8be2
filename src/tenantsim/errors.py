"""Error bodies as each real API writes them (shapes from the vendors' reference pages; see
the data folder's README for the sources).

>>> graph_error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.").status_code
403
>>> import json
>>> json.loads(google_error(429, "rate").body)["error"]["status"]
'RESOURCE_EXHAUSTED'
"""  # noqa: E501

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from starlette.responses import JSONResponse

from tenantsim.faults import Fault

GRAPH_CLIENT_ID = "00000003-0000-0000-c000-000000000000"
"""Microsoft Graph's own application id (its resource identifier besides its URL)."""

_GOOGLE_STATUS = {
    400: ("INVALID_ARGUMENT", "invalid"),
    401: ("UNAUTHENTICATED", "authError"),
    403: ("PERMISSION_DENIED", "forbidden"),
    404: ("NOT_FOUND", "notFound"),
    429: ("RESOURCE_EXHAUSTED", "rateLimitExceeded"),
    500: ("INTERNAL", "backendError"),
    503: ("UNAVAILABLE", "backendError"),
}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def graph_error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """Microsoft Graph's JSON error object, with its ``innerError`` (request id, date)."""
    request_id = str(uuid.uuid4())
    inner = {"date": _now(), "request-id": request_id, "client-request-id": request_id}
    body = {"error": {"code": code, "message": message, "innerError": inner}}
    all_headers = {"request-id": request_id, **(headers or {})}
    return JSONResponse(body, status_code=status, headers=all_headers)


def graph_status_error(status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    """A Graph error for a bare status (as injected by a fault)."""
    code, message = {
        400: ("BadRequest", "Bad request."),
        401: ("InvalidAuthenticationToken", "Access token validation failure."),
        403: ("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
        404: ("Request_ResourceNotFound", "Resource not found."),
        429: ("TooManyRequests", "Too many requests, please retry later."),
        500: ("InternalServerError", "An internal server error occurred."),
        503: ("ServiceUnavailable", "The service is temporarily unavailable."),
        504: ("GatewayTimeout", "The gateway timed out."),
    }.get(status, ("UnknownError", f"HTTP {status}"))
    return graph_error(status, code, message, headers)


def google_error(
    status: int,
    message: str,
    reason: str | None = None,
    headers: dict[str, str] | None = None,
    details: list[dict[str, object]] | None = None,
) -> JSONResponse:
    """Google's JSON error object (``error.code``, ``message``, ``errors[]``, ``status``)."""
    grpc_status, default_reason = _GOOGLE_STATUS.get(status, ("UNKNOWN", "unknown"))
    error: dict[str, object] = {
        "code": status,
        "message": message,
        "errors": [{"message": message, "domain": "global", "reason": reason or default_reason}],
        "status": grpc_status,
    }
    if details:
        error["details"] = details
    return JSONResponse({"error": error}, status_code=status, headers=headers)


def google_status_error(status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    """A Google error for a bare status (as injected by a fault)."""
    message = {
        429: "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'.",
        403: "Not Authorized to access this resource/api",
        404: "Requested entity was not found.",
        500: "Backend Error",
        503: "The service is currently unavailable.",
    }.get(status, f"HTTP {status}")
    return google_error(status, message, headers=headers)


def oauth_error(
    status: int, error: str, description: str, codes: list[int] | None = None
) -> JSONResponse:
    """An OAuth 2.0 token endpoint error (RFC 6749 5.2); Entra adds its AADSTS codes."""
    body: dict[str, object] = {"error": error, "error_description": description}
    if codes is not None:
        trace = str(uuid.uuid4())
        body.update(
            error_codes=codes,
            timestamp=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ"),
            trace_id=trace,
            correlation_id=str(uuid.uuid4()),
        )
        body["error_description"] = f"{description}\r\nTrace ID: {trace}"
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def fault_response(first: str, fault: Fault) -> JSONResponse:
    """An injected fault's status, in the words of the API its path belongs to (``first``: the
    simulated host, e.g. ``graph.microsoft.com``)."""
    status = int(fault.status or 500)
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None
    if first in ("login.microsoftonline.com", "oauth2.googleapis.com"):
        response = oauth_error(status, "temporarily_unavailable", f"injected fault: HTTP {status}")
        if headers:
            response.headers.update(headers)
        return response
    if first == "graph.microsoft.com":
        return graph_status_error(status, headers)
    return google_status_error(status, headers)
