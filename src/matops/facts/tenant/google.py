"""Google Workspace, read-only: a delegated service-account token from google-auth, the
Directory and Cloud Identity APIs through google-api-python-client, built offline.

The service account's key signs a JWT-bearer grant at the profile's token URI (``subject`` is
the delegated administrator, the scopes those of :mod:`matops.facts.tenant.permissions`); the
API clients come from the discovery documents committed in ``discovery/`` with the profile's
base URLs as ``api_endpoint``. Every request, the token's included, goes through one
:class:`requests.Session` that verifies TLS against the run's CA file, so a real customer and
the lab's simulator differ only in the :class:`~matops.connect.profile.TenantEndpoints` given.

Under the collector contract: pages follow ``nextPageToken`` (bounded, a repeated token is an
error), 429/503 and Google's rate-limit 403s are retried after ``Retry-After`` within a budget,
a 401 gets one fresh token (google-auth's session refreshes once), a 403 names the scope the
service account lacks, a body that is not whole JSON is an error, and no token at all is
:class:`~matops.facts.model.TargetUnreachableError`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import google.auth.exceptions
import httplib2
import requests
from google.auth.transport.requests import AuthorizedSession, Request
from google.oauth2 import service_account
from googleapiclient.discovery import build_from_document
from googleapiclient.errors import HttpError

from matops.connect.profile import TenantEndpoints
from matops.facts.model import FactError, TargetUnreachableError
from matops.facts.tenant.devices import CHROMEOS_DEVICE_FIELDS
from matops.facts.tenant.http import (
    MAX_PAGES,
    THROTTLED,
    Throttle,
    ThrottleBudget,
    VerifyingSession,
    ca_file,
    decode_json,
)
from matops.facts.tenant.permissions import google_scopes, permissions_for_fact

DIRECTORY_DOCUMENT = "admin.directory_v1.json"
CLOUD_IDENTITY_DOCUMENT = "cloudidentity.v1.json"
GOOGLE_USER_FIELDS = (
    "id", "primaryEmail", "orgUnitPath", "suspended", "archived", "isAdmin", "isDelegatedAdmin",
    "isEnrolledIn2Sv", "isEnforcedIn2Sv", "lastLoginTime", "creationTime",
)  # fmt: skip
"""The user fields read (``fields``): no names, phone numbers or addresses beyond the email."""
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"})
"""Google's reasons for a 403 that means "slow down", not "not allowed"."""


@cache
def discovery_document(name: str) -> dict[str, Any]:
    """A committed discovery document (``discovery/<name>``) as JSON."""
    text = resources.files("matops.facts.tenant").joinpath("discovery", name).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@dataclass(frozen=True)
class GoogleApp:
    """A service account with domain-wide delegation (its key is a value, never written)."""

    customer_id: str
    delegated_admin: str
    service_account_info: Mapping[str, Any] = field(repr=False)
    devices: bool = True
    """Ask for the ChromeOS devices scope too (the tenant's inventory has a ``devices:``)."""

    def credentials(self, token_uri: str) -> service_account.Credentials:
        """google-auth credentials acting as the delegated admin, tokens from ``token_uri``."""
        info = {**self.service_account_info, "token_uri": token_uri}
        try:
            found: service_account.Credentials = (
                service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
                    info, scopes=google_scopes(self.devices), subject=self.delegated_admin
                )
            )
            return found
        except (ValueError, KeyError) as exc:
            raise TargetUnreachableError(
                f"the service account key for {self.customer_id} is not usable: "
                f"{type(exc).__name__}: {exc}"
            ) from None


class _SessionHttp:
    """The httplib2-shaped object googleapiclient calls, sending through a requests session."""

    def __init__(self, session: requests.Session, timeout: float) -> None:
        self.session = session
        self.timeout = timeout
        self.requests = 0

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        **_: Any,
    ) -> tuple[httplib2.Response, bytes]:
        self.requests += 1
        answer = self.session.request(
            method,
            uri,
            data=body,
            headers=dict(headers or {}),
            timeout=self.timeout,
            verify=self.session.verify,
            allow_redirects=False,
        )
        info = {k.lower(): v for k, v in answer.headers.items()}
        info["status"] = str(answer.status_code)
        return httplib2.Response(info), answer.content

    def close(self) -> None:
        self.session.close()


class GoogleClient:
    """Reads one Google Workspace customer through the Directory and Cloud Identity APIs.

    >>> client = GoogleClient(app, endpoints, ca_bundle=lab_ca)  # doctest: +SKIP
    >>> len(list(client.items(client.users_page, "users", fact="google_users")))  # doctest: +SKIP
    214
    """

    def __init__(
        self,
        app: GoogleApp,
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
        verify = ca_file(ca_bundle)
        token_session = VerifyingSession(verify, trust_env=proxy_from_environment)
        session = AuthorizedSession(  # type: ignore[no-untyped-call]
            app.credentials(endpoints.google_token),
            refresh_status_codes=(401,),
            max_refresh_attempts=1,
            refresh_timeout=timeout,
            auth_request=Request(token_session),
        )
        session.verify = verify
        session.trust_env = proxy_from_environment
        self._http = _SessionHttp(session, timeout)
        self._token_session = token_session
        self.directory = build_from_document(
            discovery_document(DIRECTORY_DOCUMENT),
            http=self._http,
            client_options={"api_endpoint": endpoints.google_admin.rstrip("/") + "/"},
        )
        self.cloud_identity = build_from_document(
            discovery_document(CLOUD_IDENTITY_DOCUMENT),
            http=self._http,
            client_options={"api_endpoint": endpoints.cloud_identity.rstrip("/") + "/"},
        )

    @property
    def requests(self) -> int:
        """How many API requests were sent (throttled ones included; tokens not)."""
        return self._http.requests

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()
        self._token_session.close()

    # --- the reads ----------------------------------------------------------------------------

    def users_page(self, token: str | None) -> Any:
        """Directory ``users.list`` for the customer, 500 a page, only the fields judged."""
        return self.directory.users().list(
            customer=self.app.customer_id,
            maxResults=500,
            projection="basic",
            viewType="admin_view",
            pageToken=token,
            fields=f"nextPageToken,users({','.join(GOOGLE_USER_FIELDS)})",
        )

    def org_units_page(self, token: str | None) -> Any:
        """Directory ``orgunits.list`` (every org unit; Google does not page it)."""
        del token
        return self.directory.orgunits().list(customerId=self.app.customer_id, type="all")

    def chromeos_page(self, token: str | None) -> Any:
        """Directory ``chromeosdevices.list``, 300 a page (Google's most), projection FULL
        (the update dates are not in BASIC), only the fields judged: no users, MACs, places."""
        return self.directory.chromeosdevices().list(
            customerId=self.app.customer_id,
            maxResults=300,
            projection="FULL",
            pageToken=token,
            fields=f"nextPageToken,chromeosdevices({','.join(CHROMEOS_DEVICE_FIELDS)})",
        )

    def policies_page(self, token: str | None) -> Any:
        """Cloud Identity ``policies.list`` for the customer, 100 a page."""
        customer = self.app.customer_id
        return self.cloud_identity.policies().list(
            filter=f'customer == "customers/{customer}"', pageSize=100, pageToken=token
        )

    # --- paging, errors -----------------------------------------------------------------------

    def pages(
        self, request: Callable[[str | None], Any], what: str, *, fact: str
    ) -> Iterator[dict[str, Any]]:
        """Every page of a list call, following ``nextPageToken``; ``request(token)`` makes one
        page's request."""
        budget = ThrottleBudget(self.throttle, f"Google {what}")
        token: str | None = None
        seen: set[str] = set()
        for _ in range(self.max_pages):
            body = self._execute(request(token), budget, fact)
            yield body
            following = body.get("nextPageToken")
            if not following:
                return
            if not isinstance(following, str) or following in seen:
                raise FactError(f"Google {what}: the next page token repeats itself; stopped")
            seen.add(following)
            token = following
        raise FactError(f"Google {what}: more than {self.max_pages} pages; stopped")

    def items(
        self, request: Callable[[str | None], Any], key: str, *, fact: str
    ) -> Iterator[dict[str, Any]]:
        """Every item under ``key`` (``users``, ``policies``…) of every page."""
        for body in self.pages(request, key, fact=fact):
            found = body.get(key, [])
            if not isinstance(found, list):
                raise FactError(f"Google {key}: '{key}' is not a list")
            for item in found:
                if not isinstance(item, dict):
                    raise FactError(f"Google {key}: an item is not a JSON object")
                yield item

    def _execute(self, request: Any, budget: ThrottleBudget, fact: str) -> dict[str, Any]:
        while True:
            try:
                body = request.execute(num_retries=0)
            except HttpError as exc:
                status = int(exc.resp.status)
                reason, message = google_error_of(exc.content)
                if status in THROTTLED or (status == 403 and reason in RATE_LIMIT_REASONS):
                    budget.wait(status, exc.resp.get("retry-after"))
                    continue
                raise FactError(_refusal(budget.what, status, reason, message, fact)) from None
            except google.auth.exceptions.GoogleAuthError as exc:
                raise TargetUnreachableError(self._no_token(exc)) from None
            except requests.Timeout:
                raise FactError(f"{budget.what}: no answer in time") from None
            except requests.RequestException as exc:
                raise FactError(f"{budget.what}: {type(exc).__name__}: {exc}") from None
            except ValueError as exc:
                raise FactError(
                    f"{budget.what}: the response is not whole JSON (cut short?): {exc}"
                ) from None
            budget.answered()
            if not isinstance(body, dict):
                raise FactError(f"{budget.what}: the answer is not a JSON object")
            return body

    def _no_token(self, exc: Exception) -> str:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        said = (
            f"Google gave no token to the service account acting as "
            f"{self.app.delegated_admin} (customer {self.app.customer_id}) at "
            f"{self.endpoints.google_token}: {text[:300]}"
        )
        if "unauthorized_client" in text:
            asked = ", ".join(google_scopes(self.app.devices))
            said += f"; domain-wide delegation must grant every scope asked for: {asked}"
        return said


def _refusal(what: str, status: int, reason: str, message: str, fact: str) -> str:
    said = f" ({reason}: {message})" if reason or message else ""
    if status == 401:
        return f"{what}: Google refused a fresh token too (HTTP 401){said}"
    if status == 403:
        needed = ", ".join(p.name for p in permissions_for_fact(fact)) or "unknown"
        return (
            f"{what}: permission refused (HTTP 403){said}; the service account needs "
            f"domain-wide delegation of the scope {needed}, and the delegated admin the "
            "rights to read it (see matops tenant permissions)"
        )
    return f"{what}: HTTP {status}{said}"


def google_error_of(body: bytes | str) -> tuple[str, str]:
    """Google's first error reason and its message (``("", "")`` when not Google's).

    >>> google_error_of(b'{"error": {"code": 403, "message": "Not Authorized",'
    ...                 b' "errors": [{"reason": "forbidden"}]}}')
    ('forbidden', 'Not Authorized')
    """
    raw = body.encode() if isinstance(body, str) else body
    try:
        error = decode_json(raw, "").get("error")
    except (FactError, AttributeError):
        return "", ""
    if not isinstance(error, dict):
        return "", ""
    errors = error.get("errors")
    reason = ""
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        reason = str(errors[0].get("reason") or "")
    message = str(error.get("message") or "").strip().splitlines()
    return reason, (message[0][:200] if message else "")
