"""Waivers and attestations: loading with lines, scopes, expiry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from matops.scan.attestations import load_attestations
from matops.scan.model import Finding, Severity, Status
from matops.scan.waivers import LocatedWaiver, Scope, Waiver, apply_waivers, covers, load_waivers

TODAY = date(2026, 11, 22)


def _finding(
    status: Status = Status.FAIL, target: str = "oak-sw02", school: str = "oak"
) -> Finding:
    return Finding(
        check="switch_firmware_minimum",
        title="t",
        area="network",
        target=target,
        subject="target",
        kind="switch",
        school=school,
        status=status,
        severity=Severity.HIGH,
        detail="old firmware",
    )


def _waiver(scope: Scope, name: str | None, expires: date = date(2027, 2, 28)) -> LocatedWaiver:
    w = Waiver(
        check="switch_firmware_minimum",
        scope=scope,
        name=name,
        reason="replacement ordered",
        approver="H Okafor",
        expires=expires,
    )
    return LocatedWaiver(w, Path("waivers.yml"), 3)


@pytest.mark.parametrize(
    ("scope", "name", "groups", "expected"),
    [
        (Scope.TRUST, None, frozenset(), True),
        (Scope.SCHOOL, "oak", frozenset(), True),
        (Scope.SCHOOL, "riv", frozenset(), False),
        (Scope.GROUP, "switches", frozenset({"switches", "oak_primary"}), True),
        (Scope.GROUP, "linux", frozenset({"switches"}), False),
        (Scope.TARGET, "oak-sw02", frozenset(), True),
        (Scope.TARGET, "oak-sw01", frozenset(), False),
    ],
)
def test_scopes(scope: Scope, name: str | None, groups: frozenset[str], expected: bool) -> None:
    assert covers(_waiver(scope, name).waiver, _finding(), groups) is expected


def test_valid_waiver_waives_and_keeps_the_detail() -> None:
    (finding,), expired = apply_waivers(
        [_finding()], [_waiver(Scope.TARGET, "oak-sw02")], {}, TODAY
    )
    assert finding.status is Status.WAIVED
    assert "old firmware" in finding.detail and "replacement ordered" in finding.detail
    assert finding.waiver is not None and not finding.waiver.expired
    assert expired == []


def test_expired_waiver_leaves_the_failure_and_is_reported() -> None:
    waiver = _waiver(Scope.TARGET, "oak-sw02", expires=date(2026, 10, 31))
    (finding,), expired = apply_waivers([_finding()], [waiver], {}, TODAY)
    assert finding.status is Status.FAIL
    assert finding.waiver is not None and finding.waiver.expired
    assert expired == [waiver]
    assert "expired on 2026-10-31" in str(waiver)


def test_expired_waiver_is_reported_even_when_nothing_matches() -> None:
    waiver = _waiver(Scope.TARGET, "gone-sw09", expires=date(2026, 1, 1))
    _, expired = apply_waivers([_finding(Status.PASS)], [waiver], {}, TODAY)
    assert expired == [waiver]


def test_passing_findings_are_not_waived() -> None:
    (finding,), _ = apply_waivers([_finding(Status.PASS)], [_waiver(Scope.TRUST, None)], {}, TODAY)
    assert finding.status is Status.PASS and finding.waiver is None


def test_load_waivers_reports_lines(tmp_path: Path) -> None:
    path = tmp_path / "waivers.yml"
    path.write_text(
        "waivers:\n"
        "  - check: switch_telnet_disabled\n    scope: trust\n    reason: lab only kit\n"
        "    approver: A Person\n    expires: 2027-01-01\n"
        "  - check: no_such_check\n    scope: target\n    name: x\n    reason: some reason\n"
        "    approver: A Person\n    expires: 2027-01-01\n"
        "  - check: switch_telnet_disabled\n    scope: school\n    reason: missing the name\n"
        "    approver: A Person\n    expires: 2027-01-01\n"
    )
    waivers, problems = load_waivers(path, {"switch_telnet_disabled"})
    assert waivers == []
    assert any(p.line == 13 and "name is required" in p.message for p in problems)
    path.write_text("\n".join(path.read_text().splitlines()[:12]) + "\n")
    waivers, problems = load_waivers(path, {"switch_telnet_disabled"})
    assert [w.line for w in waivers] == [2, 7]
    assert [(p.line, p.message) for p in problems] == [
        (7, "waiver names unknown check 'no_such_check'")
    ]


def test_load_attestations_checks_school_control_and_dates(tmp_path: Path) -> None:
    folder = tmp_path / "attestations"
    folder.mkdir()
    (folder / "oak.yml").write_text(
        "attestations:\n"
        "  - control: DFE-CYBER-01.1\n    statement: Risk assessment reviewed by SLT\n"
        "    evidence: SharePoint/Governance/risk.pdf\n    by: H Okafor\n    date: 2026-09-01\n"
        "    expires: 2027-09-01\n"
        "  - control: DFE-NOPE-01\n    statement: Something else entirely\n    evidence: binder\n"
        "    by: H Okafor\n    date: 2026-09-01\n    expires: 2027-09-01\n"
    )
    (folder / "unknown-school.yml").write_text("attestations: []\n")
    found, problems = load_attestations(folder, {"oak"}, {"DFE-CYBER-01.1"})
    assert [a.attestation.control for a in found] == ["DFE-CYBER-01.1", "DFE-NOPE-01"]
    messages = sorted((p.path.name, p.line, p.message) for p in problems)
    assert messages == [
        ("oak.yml", 8, "unknown control 'DFE-NOPE-01'"),
        ("unknown-school.yml", 1, "no school 'unknown-school' in this trust"),
    ]
