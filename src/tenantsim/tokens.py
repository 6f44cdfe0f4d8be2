"""Access tokens the simulator issued: who holds each, for which tenant, what it may do, until
when. Every API call looks its bearer token up here; an unknown or expired token is refused
(401) by the API, in that API's words.

Tokens are JWTs signed with a key made at start (as Entra's are JWTs; Google's are opaque to
clients anyway), and the server keeps its own record of each, so that the control API can
expire them all at once.

>>> registry = TokenRegistry(lifetime=60)
>>> token, grant = registry.issue("t1", "graph", "app-1", ["User.Read.All"])
>>> registry.check(token).tenant
't1'
>>> registry.expire_all(); registry.check(token)
Traceback (most recent call last):
...
tenantsim.tokens.TokenExpiredError: the token expired
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from dataclasses import dataclass

import jwt


class TokenError(Exception):
    """The bearer token is missing or unknown."""


class TokenExpiredError(TokenError):
    """The bearer token was issued here but has expired."""


@dataclass
class Grant:
    """What one access token stands for."""

    tenant: str
    audience: str
    """``graph`` or ``google``."""
    principal: str
    """The app's client id, or the service account's client email."""
    permissions: frozenset[str]
    """Graph application permissions (``roles``), or Google scopes."""
    expires_at: float
    subject: str | None = None
    """Google: the user the service account acts as (domain-wide delegation)."""


class TokenRegistry:
    """Issued tokens, thread-safe; ``lifetime`` in seconds (changeable at run time)."""

    def __init__(self, lifetime: int = 3599) -> None:
        self.lifetime = lifetime
        self._key = secrets.token_bytes(32)
        self._grants: dict[str, Grant] = {}
        self._lock = threading.Lock()

    def issue(
        self,
        tenant: str,
        audience: str,
        principal: str,
        permissions: list[str],
        subject: str | None = None,
    ) -> tuple[str, Grant]:
        """A new token and its grant, valid for ``lifetime`` seconds from now."""
        now = int(time.time())
        grant = Grant(
            tenant, audience, principal, frozenset(permissions), now + self.lifetime, subject
        )
        claims = {
            "aud": audience,
            "iss": "tenantsim",
            "sub": subject or principal,
            "appid": principal,
            "roles": sorted(permissions),
            "iat": now,
            "nbf": now,
            "exp": int(grant.expires_at),
            "jti": str(uuid.uuid4()),
        }
        token = jwt.encode(claims, self._key, algorithm="HS256")
        with self._lock:
            self._grants[token] = grant
        return token, grant

    def check(self, token: str | None) -> Grant:
        """The grant of a live token; TokenError / TokenExpiredError otherwise."""
        if not token:
            raise TokenError("no access token")
        with self._lock:
            grant = self._grants.get(token)
        if grant is None:
            raise TokenError("the token was not issued here")
        if time.time() >= grant.expires_at:
            raise TokenExpiredError("the token expired")
        return grant

    def expire_all(self) -> int:
        """Make every issued token expired now; return how many there were."""
        with self._lock:
            for grant in self._grants.values():
                grant.expires_at = 0
            return len(self._grants)

    def forget_all(self) -> None:
        """Forget every token (a reset)."""
        with self._lock:
            self._grants.clear()


def bearer(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, else None.

    >>> bearer("Bearer abc"), bearer("Basic abc"), bearer(None)
    ('abc', None, None)
    """
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None
