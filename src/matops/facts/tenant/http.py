"""What the Graph and Google collectors share: TLS trust, throttling, JSON and paging bounds.

Every failure here is a :class:`~matops.facts.model.FactError` with a sentence a technician can
act on; nothing is retried forever and nothing unread becomes a value.
"""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from matops.facts.model import FactError

THROTTLED = frozenset({429, 503})
"""Statuses that mean "slow down" (Graph and Google both send them, often with Retry-After)."""


def ca_file(ca_bundle: Path | None) -> str:
    """The CA file TLS is verified against: the profile's bundle, else the system's store.

    Every library (httpx, MSAL's requests, google-auth's requests) gets this one file, so a run
    trusts the same authorities whichever API it reads.

    >>> ca_file(Path("/lab/tenant-ca.pem"))
    '/lab/tenant-ca.pem'
    """
    if ca_bundle is not None:
        return str(ca_bundle)
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile):
        if candidate and Path(candidate).is_file():
            return candidate
    import certifi

    return certifi.where()


class VerifyingSession(requests.Session):
    """A requests session that always verifies against its own ``verify``.

    requests lets ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` replace a session's ``verify``
    whenever a call does not name one (MSAL's and google-auth's calls do not); the run's CA
    decision is the profile's, so every call here names it.
    """

    def __init__(self, ca: str, *, trust_env: bool = True) -> None:
        super().__init__()
        self.verify = ca
        self.trust_env = trust_env

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        kwargs["verify"] = self.verify
        return super().request(method, url, *args, **kwargs)


def ssl_context(ca_bundle: Path | None) -> ssl.SSLContext:
    """A verifying TLS context trusting :func:`ca_file` (hostname checked)."""
    return ssl.create_default_context(cafile=ca_file(ca_bundle))


@dataclass(frozen=True)
class Throttle:
    """How long a collector waits when an API says "too many requests".

    A 429 or 503 is retried after the server's ``Retry-After`` (else ``default_wait``), at most
    ``max_retries`` times in a row and ``max_total_wait`` seconds over one read; a server asking
    for more than what is left of that budget gives an error at once.
    """

    max_retries: int = 6
    max_total_wait: float = 120.0
    default_wait: float = 2.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)


class ThrottleBudget:
    """The waits left for one read (one per paged read, shared by its pages)."""

    def __init__(self, throttle: Throttle, what: str) -> None:
        self.throttle = throttle
        self.what = what
        self.waited = 0.0
        self.in_a_row = 0

    def wait(self, status: int, retry_after: str | None) -> None:
        """Sleep as the server asked, or raise FactError when the budget is spent."""
        wanted = parse_retry_after(retry_after)
        delay = self.throttle.default_wait if wanted is None else wanted
        self.in_a_row += 1
        if self.in_a_row > self.throttle.max_retries:
            raise FactError(
                f"{self.what}: still throttled (HTTP {status}) after "
                f"{self.throttle.max_retries} retries; try again later"
            )
        if self.waited + delay > self.throttle.max_total_wait:
            raise FactError(
                f"{self.what}: throttled (HTTP {status}); the server asked to wait "
                f"{delay:g} s, beyond the {self.throttle.max_total_wait:g} s this read may wait"
            )
        self.waited += delay
        self.throttle.sleep(delay)

    def answered(self) -> None:
        """A request got through: the next throttle starts a new run of retries."""
        self.in_a_row = 0


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date); None if absent
    or unreadable.

    >>> parse_retry_after("7"), parse_retry_after(None), parse_retry_after("soon")
    (7.0, None, None)
    >>> parse_retry_after("Sat, 05 Dec 2026 12:00:10 GMT",
    ...                   now=datetime(2026, 12, 5, 12, 0, 0, tzinfo=UTC))
    10.0
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def decode_json(body: bytes, what: str) -> Any:
    """The JSON of a response body; FactError naming the read when it is cut short or not JSON.

    >>> decode_json(b'{"value": []}', "users")
    {'value': []}
    >>> decode_json(b'{"value": [', "users")
    Traceback (most recent call last):
    ...
    matops.facts.model.FactError: users: the response is not whole JSON (cut short?): ...
    """
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FactError(f"{what}: the response is not whole JSON (cut short?): {exc}") from None


def same_base(url: str, base: str) -> bool:
    """Whether ``url`` is under ``base`` (same scheme, host, port and path prefix).

    A next-page link that leads anywhere else is refused, so a bearer token is never sent to
    another host.

    >>> same_base("https://graph.microsoft.com/v1.0/users?$skiptoken=x",
    ...           "https://graph.microsoft.com")
    True
    >>> same_base("https://evil.example/v1.0/users", "https://graph.microsoft.com")
    False
    >>> same_base("https://198.18.0.20/graph.microsoft.com/v1.0/users",
    ...           "https://198.18.0.20:443/graph.microsoft.com")
    True
    """
    u, b = urlsplit(url), urlsplit(base)
    prefix = b.path.rstrip("/") + "/"
    return (
        (u.scheme, u.hostname, u.port or 443) == (b.scheme, b.hostname, b.port or 443)
        and (u.path + "/").startswith(prefix)
        and u.scheme == "https"
    )


MAX_PAGES = 10_000
"""The most pages one read may have: a tenant of 20,000 users is 21 pages of Graph's 999."""
