"""Per-school control status from findings and attestations.

Rules (a control's findings are its checks' findings in the school, not_applicable left out):

* checks part: no findings → not_assessed; all pass → met; only pass/waived with a waiver →
  accepted_risk; some pass or waived and some failing (fail, error or unreachable) → partly_met;
  some fail and none pass → not_met; only error/unreachable → not_verified (the scan tried and
  could not see: never met, and not the same as "nobody looked").
* manual: a valid attestation → met; only expired ones → not_met; none → not_assessed.
* partial: both parts met → met; checks accepted_risk with attestation → accepted_risk; either
  part met or partly met → partly_met; checks not_met → not_met; checks not_verified or not
  assessed with only an expired attestation → not_met; checks not_verified and no attestation →
  not_verified; nothing known → not_assessed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from matops.scan.attestations import LocatedAttestation
from matops.scan.frameworks import Automation, Control
from matops.scan.model import Finding, Status


class ControlStatus(StrEnum):
    """How far a school meets a control."""

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_ASSESSED = "not_assessed"
    """Nothing judged it: no check ran (skipped or out of scope) and no attestation."""
    NOT_VERIFIED = "not_verified"
    """Checks ran but every one gave ``error`` or ``unreachable``: no evidence either way."""
    ACCEPTED_RISK = "accepted_risk"


class AttestationRef(BaseModel):
    """The attestation used for a control."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    statement: str
    evidence: str
    by: str
    date: dt.date
    expires: dt.date
    expired: bool


class ControlResult(BaseModel):
    """A control's status in one school."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    automation: Automation
    status: ControlStatus
    checks: dict[str, int]
    """Finding count per status over the control's checks."""
    attestation: AttestationRef | None = None


def checks_status(findings: list[Finding]) -> ControlStatus:
    """The status the checks part gives (see the module rules)."""
    counts = Counter(f.status for f in findings if f.status is not Status.NOT_APPLICABLE)
    good = counts[Status.PASS] + counts[Status.WAIVED]
    bad = counts[Status.FAIL]
    unknown = sum(n for s, n in counts.items() if s.not_judged)
    if good + bad + unknown == 0:
        return ControlStatus.NOT_ASSESSED
    if good + bad == 0:
        return ControlStatus.NOT_VERIFIED
    if bad == 0 and unknown == 0:
        return ControlStatus.ACCEPTED_RISK if counts[Status.WAIVED] else ControlStatus.MET
    return ControlStatus.PARTLY_MET if good else ControlStatus.NOT_MET


def _attestation(items: list[LocatedAttestation], today: dt.date) -> AttestationRef | None:
    """The best attestation: a valid one with the latest expiry, else the latest expired one."""
    if not items:
        return None
    valid = [a.attestation for a in items if a.attestation.valid_on(today)]
    chosen = max(valid or [a.attestation for a in items], key=lambda a: a.expires)
    return AttestationRef(
        statement=chosen.statement,
        evidence=chosen.evidence,
        by=chosen.by,
        date=chosen.date,
        expires=chosen.expires,
        expired=not valid,
    )


def _combine(
    automation: Automation, auto: ControlStatus, att: AttestationRef | None
) -> ControlStatus:
    attested = att is not None and not att.expired
    if automation is Automation.AUTOMATED:
        return auto
    if automation is Automation.MANUAL:
        if att is None:
            return ControlStatus.NOT_ASSESSED
        return ControlStatus.MET if attested else ControlStatus.NOT_MET
    if auto in (ControlStatus.MET, ControlStatus.ACCEPTED_RISK) and attested:
        return auto
    if auto is ControlStatus.NOT_MET:
        return ControlStatus.NOT_MET
    if auto in (ControlStatus.NOT_ASSESSED, ControlStatus.NOT_VERIFIED) and not attested:
        return ControlStatus.NOT_MET if att is not None else auto
    return ControlStatus.PARTLY_MET


def evaluate_control(
    control: Control,
    findings: list[Finding],
    attestations: list[LocatedAttestation],
    today: dt.date,
) -> ControlResult:
    """One control's status in one school (``findings`` and ``attestations`` of that school)."""
    kinds, checks = set(control.kinds), set(control.checks)
    own = [f for f in findings if f.check in checks and (not kinds or f.kind in kinds)]
    att = _attestation([a for a in attestations if a.attestation.control == control.id], today)
    auto = checks_status(own)
    return ControlResult(
        id=control.id,
        title=control.title,
        automation=control.status,
        status=_combine(control.status, auto, att),
        checks={s.value: n for s, n in sorted(Counter(f.status for f in own).items())},
        attestation=att,
    )
