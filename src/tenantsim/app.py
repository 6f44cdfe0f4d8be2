"""The one ASGI application: every simulated host under its path prefix, faults first.

>>> sorted(API_PREFIXES)
['admin.googleapis.com', 'cloudidentity.googleapis.com', 'graph.microsoft.com', 'login.microsoftonline.com', 'oauth2.googleapis.com']
"""  # noqa: E501

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tenantsim import batch, control, entra, google, graph
from tenantsim.errors import fault_response
from tenantsim.state import SimState

API_PREFIXES = (
    "login.microsoftonline.com",
    "graph.microsoft.com",
    "oauth2.googleapis.com",
    "admin.googleapis.com",
    "cloudidentity.googleapis.com",
)


async def _route(state: SimState, request: Request) -> Response:
    path = request.url.path
    first, _, rest = path.lstrip("/").partition("/")
    if first == "_sim":
        return await control.handle(state, request, rest)
    if first in API_PREFIXES:
        fault = state.faults.take_status(path)
        if fault is not None:
            return fault_response(first, fault)
    if first == "login.microsoftonline.com":
        return await entra.login(state, request, rest)
    if first == "graph.microsoft.com":
        version, _, tail = rest.partition("/")
        if tail == "$batch" and request.method == "POST" and version in ("v1.0", "beta"):
            return await batch.handle(state, request, version)
        return graph.handle(state, request, rest)
    if first == "oauth2.googleapis.com" and rest == "token" and request.method == "POST":
        return await google.token(state, request)
    if first in ("admin.googleapis.com", "cloudidentity.googleapis.com"):
        return google.handle(state, request, first, rest)
    return JSONResponse({"error": f"nothing is simulated at {path}"}, status_code=404)


def build_app(state: SimState) -> Starlette:
    """The simulator's ASGI app over ``state``."""

    async def dispatch(request: Request) -> Response:
        response = await _route(state, request)
        if not request.url.path.startswith("/_sim/"):
            state.faults.count(request.url.path, response.status_code)
        return response

    methods = ["GET", "POST", "PUT", "DELETE", "PATCH"]
    return Starlette(routes=[Route("/{path:path}", dispatch, methods=methods)])
