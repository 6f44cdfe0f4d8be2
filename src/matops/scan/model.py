"""Findings and the enums around them (frozen pydantic models, serialised into results)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
)

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
    """A finding's status, and what each one means to a count: the one definition of both.

    >>> [s.value for s in Status if s.is_problem]
    ['fail', 'error', 'unreachable']
    >>> [s.value for s in Status.not_judged_order()]
    ['unreachable', 'error']
    >>> Status.WAIVED.judged, Status.NOT_APPLICABLE.ran
    (True, False)
    """

    PASS = "pass"  # noqa: S105 - a status, not a password
    FAIL = "fail"
    ERROR = "error"
    UNREACHABLE = "unreachable"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"

    @property
    def is_problem(self) -> bool:
        """Counts against ``--fail-on``: a failure, or a check that could not be verified."""
        return self in (Status.FAIL, Status.ERROR, Status.UNREACHABLE)

    @property
    def judged(self) -> bool:
        """The check gave a verdict (pass, fail, or a failure covered by a waiver)."""
        return self in (Status.PASS, Status.FAIL, Status.WAIVED)

    @property
    def not_judged(self) -> bool:
        """The check ran but gave no verdict: the target or the fact could not be seen."""
        return self in (Status.ERROR, Status.UNREACHABLE)

    @property
    def ran(self) -> bool:
        """The check applied to the subject (everything but not applicable)."""
        return self is not Status.NOT_APPLICABLE

    @property
    def junit(self) -> str:
        """The JUnit element a test case of this status carries (``""``: none, it passed)."""
        if self is Status.FAIL:
            return "failure"
        if self.not_judged:
            return "error"
        return "" if self is Status.PASS else "skipped"

    @classmethod
    def not_judged_order(cls) -> tuple[Status, ...]:
        """The statuses without a verdict, in the order headlines name them."""
        return (cls.UNREACHABLE, cls.ERROR)


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
    figures: dict[str, int] = {}
    """Counts the check measured (tenant checks: accounts, MFA registrations, leavers); left
    out of the document when empty (results schema 1.2)."""
    staff_accounts: dict[str, list[str]] = {}
    """Staff and administrator addresses behind the verdict, for the technician's detail;
    never a pupil's. Left out of the document when empty."""

    @field_validator("detail")
    @classmethod
    def _no_secret(cls, value: str) -> str:
        """A detail may quote a collector's error, which may quote a config line: redacted."""
        return redact_message(value)

    @model_serializer(mode="wrap")
    def _without_empty(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Most findings measure nothing: their documents stay as they were before 1.2."""
        data: dict[str, Any] = handler(self)
        for key in ("figures", "staff_accounts"):
            if key in data and not data[key]:
                del data[key]
        return data


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
