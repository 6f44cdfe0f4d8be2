"""Redaction of secrets in evidence excerpts.

Every excerpt matops stores goes through :func:`redact_text`. When ``matops.network.redact``
(the network module's redaction for saved configs) is available it is used as well, so there is
one place that knows device secret syntax; the patterns below are the fallback and also cover
host outputs (password hashes in ``/etc/shadow`` style lines).
"""

from __future__ import annotations

import contextlib
import importlib
import re
from collections.abc import Callable

REDACTED = "<redacted>"

_KEYWORD_SECRET = re.compile(
    r"(?P<keep>\b(?:secret|password|key|key-string|community|auth-pass|priv-pass|md5|sha\d*|"
    r"aes(?:\s+(?:128|192|256))?|3?des|ciphertext|plaintext)"
    r"(?:\s+(?:0|5|6|7|8|9|ciphertext|plaintext|encrypted))?\s+)"
    r"(?P<secret>\S+)",
    re.IGNORECASE,
)
_CRYPT_HASH = re.compile(r"\$(?:1|2[aby]?|5|6|7|8|9|y|gy|sha1|md5)\$[^\s:]+")
_SAFE_WORDS = frozenset(
    {
        "ro",
        "rw",
        "view",
        "auth",
        "priv",
        "group",
        "all",
        "none",
        "yes",
        "no",
        "auth-pass",
        "priv-pass",
        "access",
        "128",
        "192",
        "256",
        "7",
        "9",
        "8",
        "5",
    }
)


def _fallback(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        secret = match["secret"]
        if secret.lower() in _SAFE_WORDS or secret.startswith(("<", "{{")):
            return match[0]
        if secret.lower() in {"public", "private"}:
            return match[0]
        return match["keep"] + REDACTED

    return _CRYPT_HASH.sub(REDACTED, _KEYWORD_SECRET.sub(replace, text))


def _network_redactor() -> Callable[[str], str] | None:
    """``matops.network.redact.redact_text`` (or ``redact``) when that module exists."""
    try:
        module = importlib.import_module("matops.network.redact")
    except ImportError:
        return None
    for name in ("redact_text", "redact_config", "redact"):
        function = getattr(module, name, None)
        if callable(function):
            return function  # type: ignore[no-any-return]
    return None


def redact_text(text: str) -> str:
    """Text with device and host secrets replaced by ``<redacted>``.

    Well-known default SNMP communities (public/private) are kept: they are findings, not secrets.

    >>> redact_text("enable secret 9 $9$abc$def\\nsnmp-server community s3cret RO")
    'enable secret 9 <redacted>\\nsnmp-server community <redacted> RO'
    """
    network = _network_redactor()
    if network is not None:
        with contextlib.suppress(Exception):  # the fallback below still redacts
            text = str(network(text))
    return _fallback(text)
