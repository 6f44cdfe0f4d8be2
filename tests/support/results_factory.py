"""Build small, valid results documents in code for report tests (no scan needed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from matops.scan.model import Finding, Severity, Skipped, Status, WaiverRef
from matops.scan.results import (
    ExpiredAttestation,
    ExpiredWaiver,
    InventoryInfo,
    Results,
    ScanInfo,
    ToolInfo,
    summarise,
)

Row = tuple[str, str, str, str, str]
"""(school, check, target, status, severity)."""

_WAIVER = WaiverRef(
    scope="target",
    name=None,
    reason="replacement ordered",
    approver="Trust COO",
    expires=date(2027, 3, 31),
    expired=False,
)


def finding(school: str, check: str, target: str, status: str, severity: str = "high") -> Finding:
    """One finding; a waived one carries a waiver reference."""
    return Finding(
        check=check,
        title=f"{check} holds",
        area="network" if target.endswith(("sw01", "sw02")) else "host",
        target=target,
        subject="target",
        kind="switch" if "sw" in target else "linux",
        school=school,
        status=Status(status),
        severity=Severity(severity),
        detail=f"{check} on {target}: {status}",
        waiver=_WAIVER if status == "waived" else None,
    )


def results(
    rows: list[Row],
    *,
    skipped: Sequence[tuple[str, str, str]] = (),
    schools: list[str] | None = None,
    started: datetime = datetime(2026, 11, 22, 2, 0, tzinfo=UTC),
    commit: str | None = "0" * 40,
    dirty: bool | None = False,
    trust: str = "example-trust",
    version: str = "0.1.0",
    expired_waivers: Sequence[ExpiredWaiver] = (),
    expired_attestations: Sequence[ExpiredAttestation] = (),
    extra: Sequence[Finding] = (),
) -> Results:
    """A results document holding exactly ``rows`` (and ``skipped`` as (school, check, target)),
    then the ``extra`` findings (e.g. :func:`tenant_findings`)."""
    findings = [finding(*row) for row in rows] + list(extra)
    skips = [Skipped(check=c, target=t, school=s, reason="not collected") for s, c, t in skipped]
    names = schools or sorted({f.school for f in findings} | {s.school for s in skips})
    return Results(
        tool=ToolInfo(version=version),
        inventory=InventoryInfo(
            trust=trust, name="Test Trust", path=f"inventories/{trust}", commit=commit, dirty=dirty
        ),
        scan=ScanInfo(
            started=started,
            finished=started.replace(minute=started.minute + 1),
            operator="ci",
            mode="offline",
            scan_date=started.date(),
            schools=names,
            targets=sorted({f.target for f in findings}),
            checks=sorted({f.check for f in findings}),
            fail_on="high",
        ),
        summary=summarise(findings, skips),
        findings=findings,
        skipped=skips,
        expired_waivers=list(expired_waivers),
        expired_attestations=list(expired_attestations),
        controls={name: {} for name in names},
    )


def expired_waiver(check: str, name: str, line: int = 10) -> ExpiredWaiver:
    """An expired target-scoped waiver, ``line`` being where it sits in waivers.yml."""
    return ExpiredWaiver(
        check=check,
        scope="target",
        name=name,
        approver="Trust COO",
        expires=date(2026, 10, 31),
        source=f"inventories/example-trust/waivers.yml:{line}",
    )


def expired_attestation(school: str, control: str) -> ExpiredAttestation:
    """An expired attestation."""
    return ExpiredAttestation(
        school=school,
        control=control,
        by="Headteacher",
        expires=date(2026, 7, 31),
        source=f"inventories/example-trust/attestations/{school}.yml:9",
    )


def tenant_finding(
    school: str,
    check: str,
    tenant: str,
    status: str,
    figures: dict[str, int],
    staff_accounts: dict[str, list[str]] | None = None,
) -> Finding:
    """One tenant check's finding with the figures (and staff accounts) it measured."""
    return Finding(
        check=check,
        title=f"{check} holds",
        area="tenant",
        target=tenant,
        subject="tenant",
        kind="tenant",
        school=school,
        status=Status(status),
        severity=Severity.HIGH,
        detail=f"{check} on {tenant}: {status}",
        figures=figures,
        staff_accounts=staff_accounts or {},
    )


def tenant_findings(schools: Sequence[str], tenant: str = "contoso-m365") -> list[Finding]:
    """A Microsoft 365 tenant serving ``schools``: 13 of 14 staff and 3 of 4 admins with MFA,
    6 Global Administrators, one leaver still enabled and one disabled (the same reading
    repeated for every school, as a scan gives it)."""
    admins = ["adm-a@contoso.example", "adm-b@contoso.example", "adm-c@contoso.example",
              "adm-d@contoso.example"]  # fmt: skip
    rows = [
        ("entra_staff_registered_for_mfa", "fail", {"staff": 14, "staff_mfa": 13}, {}),
        ("entra_admins_registered_for_mfa", "fail", {"admins": 4, "admins_mfa": 3},
         {"admins": admins}),
        ("entra_global_admins_between_two_and_four", "fail", {"top_admins": 6},
         {"top_admins": [*admins, "bg1@contoso.example", "bg2@contoso.example"]}),
        ("entra_leavers_disabled", "fail",
         {"leavers": 2, "leavers_enabled": 1, "leavers_disabled": 1},
         {"leavers_enabled": ["p.quinn@contoso.example"],
          "leavers_disabled": ["k.osei@contoso.example"]}),
    ]  # fmt: skip
    return [
        tenant_finding(school, check, tenant, status, figures, accounts)
        for school in schools
        for check, status, figures, accounts in rows
    ]
