"""Microsoft Graph, read-only: an app-only token from MSAL, JSON pages over httpx.

The token comes from MSAL's :class:`msal.ConfidentialClientApplication` (client credentials,
with a client secret or a certificate) at ``{login}/{tenant_id}``; instance discovery is off
and TLS is verified against the run's CA file, so the same code reads a real tenant and the
lab's simulator, told apart only by the :class:`~matops.connect.profile.TenantEndpoints` it is
given. Graph itself is read with one :class:`httpx.Client`.

Under the collector contract nothing unread becomes a value:

* paging follows ``@odata.nextLink`` up to :data:`~matops.facts.tenant.http.MAX_PAGES`, only
  to links under the configured Graph base; when Graph reported ``@odata.count`` the items read
  must add up to it (a lost next link is an error, not a shorter list);
* 429 and 503 are retried after ``Retry-After`` within a bounded budget, then an error;
* several single reads (each Windows device's protection state) go 20 at a time through Graph's
  JSON batching (``POST /v1.0/$batch``, a read: it only carries the GETs); a request the batch
  answers 429 is sent again after its ``Retry-After``;
* 401 gets one fresh token, then an error; 403 names the permission the app lacks (from
  :mod:`matops.facts.tenant.permissions`); a body that is not whole JSON is an error;
* no token (bad secret, unknown tenant, TLS or connection refused) is
  :class:`~matops.facts.model.TargetUnreachableError`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import msal
import requests

from matops.connect.profile import TenantEndpoints
from matops.facts.model import FactError, TargetUnreachableError
from matops.facts.tenant.http import (
    MAX_PAGES,
    THROTTLED,
    Throttle,
    ThrottleBudget,
    VerifyingSession,
    ca_file,
    decode_json,
    same_base,
    ssl_context,
)
from matops.facts.tenant.permissions import GRAPH_SCOPE, permissions_for_fact

Params = Mapping[str, str]
BATCH_LIMIT = 20
"""Graph's JSON batching takes at most 20 requests in one ``POST /$batch``."""


class GraphRefusedError(FactError):
    """Graph answered a read with an error status; ``code`` is Graph's error code."""

    def __init__(self, reason: str, status: int, code: str) -> None:
        super().__init__(reason)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class GraphApp:
    """An Entra app registration's client credentials (values, never written anywhere).

    ``secret`` or ``private_key`` (PEM) with ``thumbprint`` (the certificate's SHA-1, hex).
    """

    tenant_id: str
    client_id: str
    secret: str | None = field(default=None, repr=False)
    private_key: str | None = field(default=None, repr=False)
    thumbprint: str | None = None

    def credential(self) -> str | dict[str, str]:
        """What MSAL takes as ``client_credential``; ValueError when neither form is given."""
        if self.private_key and self.thumbprint:
            return {"private_key": self.private_key, "thumbprint": self.thumbprint}
        if self.secret:
            return self.secret
        raise ValueError(f"app {self.client_id}: no client secret and no certificate")


class GraphClient:
    """Reads Graph for one tenant; one token, reused until Graph refuses it.

    >>> client = GraphClient(app, endpoints, ca_bundle=lab_ca)  # doctest: +SKIP
    >>> [u["userPrincipalName"] for u in client.items("/v1.0/users", fact="entra_users")]
    ... # doctest: +SKIP
    ['head@northfield.example', ...]
    """

    def __init__(
        self,
        app: GraphApp,
        endpoints: TenantEndpoints,
        *,
        ca_bundle: Path | None = None,
        throttle: Throttle | None = None,
        timeout: float = 30.0,
        max_pages: int = MAX_PAGES,
        proxy_from_environment: bool = True,
    ) -> None:
        self.app = app
        self.endpoints = endpoints
        self.throttle = throttle or Throttle()
        self.max_pages = max_pages
        self.requests = 0
        self._timeout = timeout
        self._token_http = VerifyingSession(ca_file(ca_bundle), trust_env=proxy_from_environment)
        self._http = httpx.Client(
            verify=ssl_context(ca_bundle),
            trust_env=proxy_from_environment,
            timeout=timeout,
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": "matops"},
        )
        self._msal: msal.ConfidentialClientApplication | None = None
        self._token: str | None = None
        self._retry_after: str | None = None

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()
        self._token_http.close()

    # --- token --------------------------------------------------------------------------------

    def _application(self) -> msal.ConfidentialClientApplication:
        if self._msal is None:
            try:
                self._msal = msal.ConfidentialClientApplication(
                    self.app.client_id,
                    client_credential=self.app.credential(),
                    authority=f"{self.endpoints.login}/{self.app.tenant_id}",
                    instance_discovery=False,
                    http_client=self._token_http,
                    timeout=self._timeout,
                )
            except (ValueError, requests.RequestException) as exc:
                raise TargetUnreachableError(self._no_token(exc)) from None
        return self._msal

    def token(self, fresh: bool = False) -> str:
        """An app-only access token for Graph (a new one when ``fresh``)."""
        if self._token is not None and not fresh:
            return self._token
        application = self._application()
        if fresh:
            cache = application.token_cache
            for entry in list(cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN)):
                cache.remove_at(entry)
        try:
            result = application.acquire_token_for_client(scopes=[GRAPH_SCOPE])
        except (ValueError, requests.RequestException) as exc:
            raise TargetUnreachableError(self._no_token(exc)) from None
        token = result.get("access_token") if isinstance(result, dict) else None
        if not token:
            error = result.get("error", "no token") if isinstance(result, dict) else "no answer"
            text = result.get("error_description", "") if isinstance(result, dict) else ""
            first = str(text).splitlines()[0] if text else ""
            raise TargetUnreachableError(
                f"Entra gave no token to app {self.app.client_id} in tenant "
                f"{self.app.tenant_id}: {error}" + (f" ({first})" if first else "")
            )
        self._token = str(token)
        return self._token

    def _no_token(self, exc: Exception) -> str:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if isinstance(exc, ValueError):
            text = self._discovery_error() or text
        return (
            f"cannot reach Entra sign-in at {self.endpoints.login} for tenant "
            f"{self.app.tenant_id}: {text}"
        )

    def _discovery_error(self) -> str | None:
        """What the sign-in service said about the tenant's OpenID configuration, if it said
        something (MSAL only reports that it could not read it)."""
        url = f"{self.endpoints.login}/{self.app.tenant_id}/v2.0/.well-known/openid-configuration"
        try:
            answer = self._token_http.get(url, timeout=self._timeout)
            said = answer.json()
        except (requests.RequestException, ValueError):
            return None
        if not isinstance(said, dict) or "error" not in said:
            return None
        lines = str(said.get("error_description") or "").splitlines()
        return f"{said['error']}" + (f" ({lines[0][:200]})" if lines else "")

    # --- reads --------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        """The full Graph URL of ``path`` (``/v1.0/users``)."""
        return f"{self.endpoints.graph}{path}"

    def get(self, path: str, params: Params | None = None, *, fact: str) -> dict[str, Any]:
        """One Graph object (``GET path``), as JSON; FactError when it cannot be read."""
        budget = ThrottleBudget(self.throttle, f"Graph {path}")
        body = self._request(self.url(path), params, fact, budget)
        if not isinstance(body, dict):
            raise FactError(f"Graph {path}: the answer is not a JSON object")
        return body

    def pages(
        self, path: str, params: Params | None = None, *, fact: str, counted: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Every page of a Graph collection, following ``@odata.nextLink``.

        ``counted`` asks Graph for ``@odata.count`` (``$count=true``, with the
        ``ConsistencyLevel: eventual`` header it needs) and checks the pages add up to it.
        """
        budget = ThrottleBudget(self.throttle, f"Graph {path}")
        query = dict(params or {})
        headers = {}
        if counted:
            query["$count"] = "true"
            headers["ConsistencyLevel"] = "eventual"
        url: str | None = self.url(path)
        seen: set[str] = set()
        expected: int | None = None
        read = 0
        for number in range(1, self.max_pages + 2):
            if url is None:
                break
            if number > self.max_pages:
                raise FactError(f"Graph {path}: more than {self.max_pages} pages; stopped")
            body = self._request(url, query if number == 1 else None, fact, budget, headers)
            if not isinstance(body, dict) or not isinstance(body.get("value"), list):
                raise FactError(f"Graph {path}: page {number} has no 'value' list")
            if number == 1 and isinstance(body.get("@odata.count"), int):
                expected = body["@odata.count"]
            read += len(body["value"])
            url = self._next(body, path, seen)
            yield body
        if expected is not None and read != expected:
            raise FactError(
                f"Graph {path}: paging cut short: Graph counted {expected} items, {read} were read"
            )

    def items(
        self, path: str, params: Params | None = None, *, fact: str, counted: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Every item of a Graph collection (see :meth:`pages`), one at a time."""
        for body in self.pages(path, params, fact=fact, counted=counted):
            for item in body["value"]:
                if not isinstance(item, dict):
                    raise FactError(f"Graph {path}: an item is not a JSON object")
                yield item

    def _next(self, body: dict[str, Any], path: str, seen: set[str]) -> str | None:
        link = body.get("@odata.nextLink")
        if link is None:
            return None
        if not isinstance(link, str) or not same_base(link, self.endpoints.graph):
            raise FactError(
                f"Graph {path}: refused a next-page link outside {self.endpoints.graph}"
            )
        if link in seen:
            raise FactError(f"Graph {path}: the next-page link repeats itself; stopped")
        seen.add(link)
        return link

    def batch_get(self, paths: Sequence[str], *, fact: str) -> list[dict[str, Any] | None]:
        """Several ``GET`` requests in Graph JSON batches (``POST /v1.0/$batch``, at most
        :data:`BATCH_LIMIT` a batch): each answer's body in the order of ``paths``, None where
        Graph answered 404 (nothing there). A request answered 429 or 503 is sent again in a
        later batch after its ``Retry-After``; 403 names the permission; any other error, an
        answer missing or not a JSON object is a FactError."""
        found: dict[int, dict[str, Any] | None] = {}
        for start in range(0, len(paths), BATCH_LIMIT):
            chunk = dict(enumerate(paths[start : start + BATCH_LIMIT], start))
            budget = ThrottleBudget(self.throttle, "Graph /v1.0/$batch")
            inner = ThrottleBudget(self.throttle, "Graph /v1.0/$batch (requests in it)")
            while chunk:
                chunk = self._one_batch(chunk, found, budget, fact)
                if chunk:
                    inner.wait(429, self._retry_after)
        return [found[n] for n in range(len(paths))]

    def _one_batch(
        self,
        chunk: dict[int, str],
        found: dict[int, dict[str, Any] | None],
        budget: ThrottleBudget,
        fact: str,
    ) -> dict[int, str]:
        what = budget.what
        body = {"requests": [{"id": str(n), "method": "GET", "url": p} for n, p in chunk.items()]}
        answer = self._request(self.url("/v1.0/$batch"), None, fact, budget, json_body=body)
        responses = answer.get("responses") if isinstance(answer, dict) else None
        if not isinstance(responses, list):
            raise FactError(f"{what}: the answer has no 'responses' list")
        again: dict[int, str] = {}
        self._retry_after = None
        for response in responses:
            if not isinstance(response, dict) or not str(response.get("id", "")).isdigit():
                raise FactError(f"{what}: an answer in the batch has no request id")
            number = int(response["id"])
            if number not in chunk or number in found or number in again:
                raise FactError(f"{what}: the batch answered request {number} it was not sent")
            status = response.get("status")
            inner = response.get("body")
            path = chunk[number]
            if status in THROTTLED:
                headers = response.get("headers")
                retry = headers.get("Retry-After") if isinstance(headers, dict) else None
                if retry is not None:
                    self._retry_after = str(retry)
                again[number] = path
            elif status == 404:
                found[number] = None
            elif status == 200 and isinstance(inner, dict):
                found[number] = inner
            elif status == 200:
                raise FactError(f"Graph {path}: the answer is not a JSON object")
            elif isinstance(status, int) and status >= 400:
                raw = json.dumps(inner).encode() if isinstance(inner, dict) else b""
                code, _ = graph_error_of(raw)
                raise GraphRefusedError(
                    self._refusal(f"Graph {path}", status, raw, fact), status, code
                )
            else:
                raise FactError(f"Graph {path}: status {status!r} in the batch answer")
        missing = sorted(set(chunk) - set(found) - set(again))
        if missing:
            raise FactError(
                f"{what}: the batch answered {len(chunk) - len(missing)} of {len(chunk)} requests"
            )
        return again

    def _request(
        self,
        url: str,
        params: Params | None,
        fact: str,
        budget: ThrottleBudget,
        headers: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> Any:
        refreshed = False
        what = budget.what
        while True:
            auth = {"Authorization": f"Bearer {self.token(fresh=refreshed)}"}
            try:
                self.requests += 1
                sent = {**(headers or {}), **auth}
                if json_body is None:
                    response = self._http.get(url, params=params, headers=sent)
                else:
                    response = self._http.post(url, json=json_body, headers=sent)
            except httpx.TimeoutException:
                raise FactError(f"{what}: no answer within {self._timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise FactError(f"{what}: {type(exc).__name__}: {exc}") from None
            status = response.status_code
            if status in THROTTLED:
                budget.wait(status, response.headers.get("Retry-After"))
                continue
            budget.answered()
            if status == 401 and not refreshed:
                refreshed = True
                continue
            if status >= 400:
                code, _ = graph_error_of(response.content)
                reason = self._refusal(what, status, response.content, fact)
                raise GraphRefusedError(reason, status, code)
            return decode_json(response.content, what)

    def _refusal(self, what: str, status: int, body: bytes, fact: str) -> str:
        code, message = graph_error_of(body)
        said = f" ({code}: {message})" if code else ""
        if status == 401:
            return f"{what}: Graph refused a fresh token too (HTTP 401){said}"
        if status == 403:
            needed = ", ".join(p.name for p in permissions_for_fact(fact)) or "unknown"
            return (
                f"{what}: permission refused (HTTP 403){said}; the app registration needs the "
                f"application permission {needed} with admin consent "
                "(see matops tenant permissions)"
            )
        return f"{what}: HTTP {status}{said}"


def graph_error_of(body: bytes) -> tuple[str, str]:
    """Graph's error code and the first line of its message (``("", "")`` when not Graph's).

    >>> graph_error_of(b'{"error": {"code": "Authorization_RequestDenied", "message": "No."}}')
    ('Authorization_RequestDenied', 'No.')
    """
    try:
        error = decode_json(body, "").get("error")
    except (FactError, AttributeError):
        return "", ""
    if not isinstance(error, dict):
        return "", ""
    message = str(error.get("message") or "").strip().splitlines()
    return str(error.get("code") or ""), (message[0][:200] if message else "")
