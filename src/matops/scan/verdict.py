"""What a check's ``judge`` returns. Check modules import only this and fact types.

>>> failed("telnet allowed on line vty 0 4").status
<JudgeStatus.FAIL: 'fail'>
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class JudgeStatus(StrEnum):
    """The statuses a judge may give (``unreachable`` and ``waived`` are the runner's)."""

    PASS = "pass"  # noqa: S105 - a status, not a password
    FAIL = "fail"
    ERROR = "error"
    NOT_APPLICABLE = "not_applicable"


class Verdict(BaseModel):
    """A judge's answer about one subject: a status and a detail a technician can act on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: JudgeStatus
    detail: str
    figures: dict[str, int] = {}
    """Counts behind the verdict that reports draw (e.g. ``admins``, ``admins_mfa``): numbers
    only, fit for every audience."""
    staff_accounts: dict[str, list[str]] = {}
    """Staff and administrator addresses behind the verdict, by what they are (e.g.
    ``leavers_enabled``), for the technician's detail only. Never a pupil's address."""


def passed(
    detail: str,
    figures: dict[str, int] | None = None,
    staff_accounts: dict[str, list[str]] | None = None,
) -> Verdict:
    """A passing verdict (with the figures and staff accounts behind it, if any)."""
    return Verdict(
        status=JudgeStatus.PASS,
        detail=detail,
        figures=figures or {},
        staff_accounts=staff_accounts or {},
    )


def failed(
    detail: str,
    figures: dict[str, int] | None = None,
    staff_accounts: dict[str, list[str]] | None = None,
) -> Verdict:
    """A failing verdict; ``detail`` says what is wrong and where."""
    return Verdict(
        status=JudgeStatus.FAIL,
        detail=detail,
        figures=figures or {},
        staff_accounts=staff_accounts or {},
    )


def not_applicable(detail: str) -> Verdict:
    """The check does not apply to this subject (say why)."""
    return Verdict(status=JudgeStatus.NOT_APPLICABLE, detail=detail)


def errored(detail: str) -> Verdict:
    """The facts could not be judged (malformed or contradictory)."""
    return Verdict(status=JudgeStatus.ERROR, detail=detail)


def listing(items: Iterable[object], limit: int = 8) -> str:
    """A short comma-separated list, ``…and N more`` past ``limit``.

    >>> listing(["a", "b", "c"], limit=2)
    'a, b …and 1 more'
    """
    values = [str(item) for item in items]
    shown = ", ".join(values[:limit])
    return shown + (f" …and {len(values) - limit} more" if len(values) > limit else "")


def verdict_for(problems: list[str], ok: str, prefix: str = "") -> Verdict:
    """Fail listing ``problems`` (after ``prefix``) when there are any, else pass with ``ok``."""
    if problems:
        return failed(f"{prefix}{listing(problems)}")
    return passed(ok)
