"""Control status from findings and attestations."""

from __future__ import annotations

from datetime import date
from itertools import product
from pathlib import Path

import pytest

from matops.scan.attestations import Attestation, LocatedAttestation
from matops.scan.controls import ControlStatus, checks_status, evaluate_control
from matops.scan.frameworks import Automation, Control
from matops.scan.model import Finding, Severity, Status

TODAY = date(2026, 11, 22)
P, F, W, E, N = Status.PASS, Status.FAIL, Status.WAIVED, Status.ERROR, Status.NOT_APPLICABLE
U = Status.UNREACHABLE


def _findings(*statuses: Status, check: str = "switch_telnet_disabled") -> list[Finding]:
    return [
        Finding(
            check=check,
            title="t",
            area="network",
            target=f"sw{i}",
            subject="target",
            kind="switch",
            school="oak",
            status=s,
            severity=Severity.HIGH,
            detail="d",
        )
        for i, s in enumerate(statuses)
    ]


def _attestation(expires: date) -> LocatedAttestation:
    a = Attestation(
        control="CE-X-01",
        statement="A statement of fact",
        evidence="binder",
        by="H Okafor",
        date=date(2026, 1, 1),
        expires=expires,
    )
    return LocatedAttestation("oak", a, Path("oak.yml"), 2)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((), ControlStatus.NOT_ASSESSED),
        ((N, N), ControlStatus.NOT_ASSESSED),
        ((E,), ControlStatus.NOT_VERIFIED),
        ((U, U), ControlStatus.NOT_VERIFIED),
        ((E, U, N), ControlStatus.NOT_VERIFIED),
        ((P, U), ControlStatus.PARTLY_MET),
        ((W, E), ControlStatus.PARTLY_MET),
        ((P, P, N), ControlStatus.MET),
        ((P, W), ControlStatus.ACCEPTED_RISK),
        ((P, F), ControlStatus.PARTLY_MET),
        ((W, F), ControlStatus.PARTLY_MET),
        ((P, E), ControlStatus.PARTLY_MET),
        ((F, F), ControlStatus.NOT_MET),
        ((F, E), ControlStatus.NOT_MET),
    ],
)
def test_checks_status(statuses: tuple[Status, ...], expected: ControlStatus) -> None:
    assert checks_status(_findings(*statuses)) is expected


VALID, EXPIRED = date(2027, 1, 1), date(2026, 6, 1)


@pytest.mark.parametrize(
    ("automation", "statuses", "attestation", "expected"),
    [
        (Automation.MANUAL, (), None, ControlStatus.NOT_ASSESSED),
        (Automation.MANUAL, (), VALID, ControlStatus.MET),
        (Automation.MANUAL, (), EXPIRED, ControlStatus.NOT_MET),
        (Automation.PARTIAL, (P,), VALID, ControlStatus.MET),
        (Automation.PARTIAL, (P,), None, ControlStatus.PARTLY_MET),
        (Automation.PARTIAL, (P,), EXPIRED, ControlStatus.PARTLY_MET),
        (Automation.PARTIAL, (), VALID, ControlStatus.PARTLY_MET),
        (Automation.PARTIAL, (), None, ControlStatus.NOT_ASSESSED),
        (Automation.PARTIAL, (F,), VALID, ControlStatus.NOT_MET),
        (Automation.PARTIAL, (W,), VALID, ControlStatus.ACCEPTED_RISK),
        (Automation.AUTOMATED, (F,), VALID, ControlStatus.NOT_MET),
        (Automation.AUTOMATED, (E, U), None, ControlStatus.NOT_VERIFIED),
        (Automation.PARTIAL, (U,), None, ControlStatus.NOT_VERIFIED),
        (Automation.PARTIAL, (E,), EXPIRED, ControlStatus.NOT_MET),
        (Automation.PARTIAL, (E,), VALID, ControlStatus.PARTLY_MET),
        (Automation.PARTIAL, (P, E), VALID, ControlStatus.PARTLY_MET),
    ],
)
def test_control_status(
    automation: Automation,
    statuses: tuple[Status, ...],
    attestation: date | None,
    expected: ControlStatus,
) -> None:
    checks = [] if automation is Automation.MANUAL else ["switch_telnet_disabled"]
    control = Control(id="CE-X-01", title="A control", status=automation, checks=checks)
    attestations = [_attestation(attestation)] if attestation else []
    other = _findings(F, check="some_other_check")
    result = evaluate_control(control, _findings(*statuses) + other, attestations, TODAY)
    assert result.status is expected
    assert sum(result.checks.values()) == len(statuses)
    if attestation:
        assert result.attestation is not None and result.attestation.expired is (
            attestation < TODAY
        )


def test_manual_control_with_checks_is_rejected() -> None:
    with pytest.raises(ValueError, match="manual control lists no checks"):
        Control(id="CE-X-01", title="A control", status=Automation.MANUAL, checks=["x_y"])
    with pytest.raises(ValueError, match="needs at least one check"):
        Control(id="CE-X-01", title="A control", status=Automation.AUTOMATED)


def test_kinds_narrow_a_control_to_some_findings() -> None:
    switch, laptop = (
        _findings(P, check="asset_within_end_of_support")[0],
        _findings(F, check="asset_within_end_of_support")[0],
    )
    laptop = laptop.model_copy(update={"kind": "laptop"})
    control = Control(
        id="DFE-SW-02.2",
        title="Switches supported",
        status=Automation.AUTOMATED,
        checks=["asset_within_end_of_support"],
        kinds=["switch"],
    )
    assert evaluate_control(control, [switch, laptop], [], TODAY).status is ControlStatus.MET
    with pytest.raises(ValueError, match="unknown kinds"):
        Control(
            id="CE-X-01",
            title="A control",
            status=Automation.AUTOMATED,
            checks=["a_b"],
            kinds=["toaster"],
        )


@pytest.mark.parametrize("automation", [Automation.AUTOMATED, Automation.PARTIAL])
@pytest.mark.parametrize("attestation", [None, VALID, EXPIRED])
def test_a_control_with_any_unjudged_check_is_never_met(
    automation: Automation, attestation: date | None
) -> None:
    """Every mix of up to three findings that holds an error or unreachable: never met or
    accepted, and not verified (never "not assessed") when nothing else is known."""
    control = Control(
        id="CE-X-01", title="A control", status=automation, checks=["switch_telnet_disabled"]
    )
    attestations = [_attestation(attestation)] if attestation else []
    for size in (1, 2, 3):
        for statuses in product((P, F, W, E, U, N), repeat=size):
            if not {E, U} & set(statuses):
                continue
            result = evaluate_control(control, _findings(*statuses), attestations, TODAY)
            assert result.status not in (ControlStatus.MET, ControlStatus.ACCEPTED_RISK), statuses
            assert result.status is not ControlStatus.NOT_ASSESSED, statuses
            if set(statuses) <= {E, U, N} and attestation is None:
                assert result.status is ControlStatus.NOT_VERIFIED, statuses
