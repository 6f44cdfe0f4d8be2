"""Findings and the enums around them (frozen pydantic models, serialised into results)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, field_validator

from matops.facts.model import Evidence, SubjectKind
from matops.facts.redaction import redact_message


class Severity(StrEnum):
    """How much a failure matters. Closed: metadata with any other value is rejected."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: critical 4 … info 0."""
        return [
            Severity.INFO,
            Severity.LOW,
            Severity.MEDIUM,
            Severity.HIGH,
            Severity.CRITICAL,
        ].index(self)


class Status(StrEnum):
    """A finding's status."""

    PASS = "pass"  # noqa: S105 - a status, not a password
    FAIL = "fail"
    ERROR = "error"
    UNREACHABLE = "unreachable"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"


PROBLEM_STATUSES = frozenset({Status.FAIL, Status.ERROR, Status.UNREACHABLE})
"""Statuses that count against ``--fail-on``: a failure, or a control that could not be verified."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WaiverRef(_Frozen):
    """The waiver applied to (or expired on) a finding."""

    scope: str
    name: str | None
    reason: str
    approver: str
    expires: date
    expired: bool


class Finding(_Frozen):
    """One check's verdict on one subject (a target, or an asset register row)."""

    check: str
    title: str
    area: str
    target: str
    subject: SubjectKind
    kind: str
    """Target kind (linux, switch…) or asset type (laptop, switch…)."""
    school: str
    status: Status
    severity: Severity
    detail: str
    evidence: list[Evidence] = []
    waiver: WaiverRef | None = None

    @field_validator("detail")
    @classmethod
    def _no_secret(cls, value: str) -> str:
        """A detail may quote a collector's error, which may quote a config line: redacted."""
        return redact_message(value)


class Skipped(_Frozen):
    """A check that was not judged for a subject, and why (reported as not assessed)."""

    check: str
    target: str
    school: str
    reason: str

    @field_validator("reason")
    @classmethod
    def _no_secret(cls, value: str) -> str:
        """A reason may quote a provider's message: redacted like a finding's detail."""
        return redact_message(value)
