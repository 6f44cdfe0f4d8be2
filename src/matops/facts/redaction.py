"""Redaction of secrets in evidence excerpts: :mod:`matops.network.redact`, re-exported.

``matops.network.redact`` is the one place that knows secret syntax (device configurations and
host outputs alike); this module keeps the name the fact and report layers import.

>>> redact_text("enable secret 9 $9$abc$def\\nsnmp-server community s3cret RO")
'enable secret 9 <redacted>\\nsnmp-server community <redacted> RO'
"""

from __future__ import annotations

from matops.network.redact import (
    DEFAULT_COMMUNITIES,
    REDACTED,
    may_hold_secret,
    redact,
    redact_line,
    redact_message,
    redact_text,
)

__all__ = [
    "DEFAULT_COMMUNITIES",
    "REDACTED",
    "may_hold_secret",
    "redact",
    "redact_line",
    "redact_message",
    "redact_text",
]
