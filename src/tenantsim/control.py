"""The control API under ``/_sim/``, for tests and the lab (bearer token from the control
token file; without one the control API answers 404 to everything but ``health``).

=======  ================================  =============================================
method   path                              what it does
=======  ================================  =============================================
GET      ``/_sim/health``                  ``{"ok": true, "tenants": [...]}`` (no token)
POST     ``/_sim/faults``                  add a fault (JSON: see :mod:`tenantsim.faults`)
GET      ``/_sim/faults``                  the active faults, with how often each applied
DELETE   ``/_sim/faults``                  clear every fault
PUT      ``/_sim/tenants/NAME/COLLECTION`` replace one collection (``users``, ``tenant`` …)
POST     ``/_sim/tenants/NAME/overlay/O``  replace the collections in ``DIR/NAME/O/*.json``
                                           (the example data's ``fixed``: problems solved)
POST     ``/_sim/reset``                   reload the data from disk, clear faults, tokens
                                           and counters
POST     ``/_sim/tokens/expire``           every issued access token expires now
PUT      ``/_sim/settings``                ``{"token_lifetime": SECONDS}`` for new tokens
GET      ``/_sim/stats``                   requests per API and per status
DELETE   ``/_sim/stats``                   zero the counters
=======  ================================  =============================================
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tenantsim.faults import Fault
from tenantsim.state import SimState
from tenantsim.store import DataError
from tenantsim.tokens import bearer


def _error(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError as exc:
        raise ValueError(f"the body is not JSON: {exc}") from None


async def handle(state: SimState, request: Request, rest: str) -> Response:
    """Answer ``/_sim/<rest>``."""
    method = request.method
    if rest == "health" and method == "GET":
        return JSONResponse({"ok": True, "tenants": sorted(state.store.tenants)})
    given = bearer(request.headers.get("authorization")) or ""
    if state.control_token is None or not hmac.compare_digest(given, state.control_token):
        return _error(404 if state.control_token is None else 401, "control token required")
    try:
        return await _route(state, request, method, rest.strip("/").split("/"))
    except (ValueError, TypeError) as exc:
        return _error(400, str(exc))


async def _route(state: SimState, request: Request, method: str, parts: list[str]) -> Response:
    match method, parts:
        case "POST", ["faults"]:
            fault = state.faults.add(Fault.from_json(await _json(request)))
            return JSONResponse({"added": fault.path_prefix}, status_code=201)
        case "GET", ["faults"]:
            return JSONResponse(state.faults.listing())
        case "DELETE", ["faults"]:
            state.faults.clear()
            return JSONResponse({"cleared": True})
        case "PUT", ["tenants", name, collection]:
            try:
                state.store.replace(name, collection, await _json(request))
            except KeyError:
                return _error(404, f"no tenant {name!r}")
            return JSONResponse({"replaced": f"{name}/{collection}"})
        case "POST", ["tenants", name, "overlay", overlay]:
            try:
                replaced = state.store.apply_overlay(name, overlay)
            except KeyError:
                return _error(404, f"no overlay {overlay!r} for tenant {name!r}")
            return JSONResponse({"replaced": replaced})
        case "POST", ["reset"]:
            try:
                state.store.reload()
            except DataError as exc:
                return _error(500, str(exc))
            state.faults.clear()
            state.faults.reset_stats()
            state.tokens.forget_all()
            return JSONResponse({"reset": True})
        case "POST", ["tokens", "expire"]:
            return JSONResponse({"expired": state.tokens.expire_all()})
        case "PUT", ["settings"]:
            settings = await _json(request)
            lifetime = int(settings["token_lifetime"])
            if lifetime < 1:
                raise ValueError("token_lifetime must be at least 1 second")
            state.tokens.lifetime = lifetime
            return JSONResponse({"token_lifetime": lifetime})
        case "GET", ["stats"]:
            return JSONResponse(state.faults.stats())
        case "DELETE", ["stats"]:
            state.faults.reset_stats()
            return JSONResponse({"cleared": True})
    return _error(404, f"no control endpoint {method} /_sim/{'/'.join(parts)}")
