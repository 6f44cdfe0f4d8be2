"""Microsoft Graph JSON batching: ``POST /v1.0/$batch`` (learn.microsoft.com/graph/json-batching).

The body holds up to 20 ``requests`` (``id``, ``method``, ``url`` relative to the version,
optional ``headers``); the answer holds one entry per request in ``responses`` (``id``,
``status``, ``headers``, ``body``), not necessarily in the order sent (the simulator answers
them last first, so a client must match by ``id``). Each request is answered as the same
``GET`` would be on its own, with the batch's bearer token: its own permission errors, paging
and the faults injected on its own path (a 429 comes back inside the batch, with
``Retry-After`` in its headers). A fault that covers ``/graph.microsoft.com/v1.0/$batch``
too answers the whole batch instead, once (see :mod:`tenantsim.faults`). Only ``GET`` is
simulated inside a batch (the simulator changes nothing).

>>> relative_url("/deviceManagement/managedDevices/1/windowsProtectionState?$select=id")
('deviceManagement/managedDevices/1/windowsProtectionState', '$select=id')
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tenantsim import graph
from tenantsim.errors import fault_response, graph_error
from tenantsim.state import SimState

LIMIT = 20


def relative_url(url: str) -> tuple[str, str]:
    """A batch request's ``url`` as the path after the version and its query string."""
    parts = urlsplit(url)
    return parts.path.lstrip("/"), parts.query


def _inner_request(outer: Request, version: str, path: str, query: str) -> Request:
    full = f"/graph.microsoft.com/{version}/{path}"
    headers = [
        (k, v) for k, v in outer.scope["headers"] if k in (b"authorization", b"consistencylevel")
    ]
    scope = {
        "type": "http", "method": "GET", "path": full, "raw_path": full.encode(),
        "query_string": query.encode(), "headers": headers, "scheme": outer.url.scheme,
        "server": outer.scope.get("server"), "root_path": "", "http_version": "1.1",
    }  # fmt: skip
    return Request(scope)


def _entry(ident: str, response: Response) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    if "retry-after" in response.headers:
        headers["Retry-After"] = response.headers["retry-after"]
    body = json.loads(bytes(response.body)) if response.body else None
    return {"id": ident, "status": response.status_code, "headers": headers, "body": body}


async def handle(state: SimState, request: Request, version: str) -> Response:
    """Answer ``POST /graph.microsoft.com/<version>/$batch``."""
    grant = graph.authorise(state, request)
    if isinstance(grant, Response):
        return grant
    try:
        payload = json.loads(await request.body())
        requests = payload["requests"]
        if not isinstance(requests, list) or not requests:
            raise ValueError("no requests")
    except (ValueError, KeyError, TypeError):
        return graph_error(400, "BadRequest", "Invalid batch payload format.")
    if len(requests) > LIMIT:
        message = f"The number of requests in the batch exceeds the limit of {LIMIT}."
        return graph_error(400, "BadRequest", message)
    ids = [str(r.get("id", "")) if isinstance(r, dict) else "" for r in requests]
    if "" in ids or len(set(ids)) != len(ids):
        return graph_error(400, "BadRequest", "Each request in a batch needs a unique id.")
    answers = []
    for ident, item in zip(ids, requests, strict=True):
        url = str(item.get("url", ""))
        if item.get("method", "").upper() != "GET":
            answers.append(_entry(ident, graph_error(
                405, "Request_BadRequest", "Only GET is simulated inside a batch."
            )))  # fmt: skip
            continue
        if "://" in url:
            answers.append(_entry(ident, graph_error(
                400, "BadRequest", "A batch request's url must be relative."
            )))  # fmt: skip
            continue
        path, query = relative_url(url)
        inner = _inner_request(request, version, path, query)
        fault = state.faults.take_status(inner.url.path, outer=request.url.path)
        if fault is not None:
            answers.append(_entry(ident, fault_response("graph.microsoft.com", fault)))
            continue
        answers.append(_entry(ident, graph.handle(state, inner, f"{version}/{path}")))
    return JSONResponse({"responses": answers[::-1]})
