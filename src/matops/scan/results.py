"""The results document (``results/<trust>/<stamp>.json``), schema ``schemas/results.schema.json``.

Bump :data:`SCHEMA_VERSION` (major for incompatible changes) whenever the shape changes, and
update the JSON Schema with it; a test validates real output against the schema.
"""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from matops.facts.network.neighbours import SwitchNeighbours
from matops.scan.controls import ControlResult
from matops.scan.model import Finding, Skipped

SCHEMA_VERSION = "1.4"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ToolInfo(_Frozen):
    """What produced the results."""

    name: str = "matops"
    version: str


class InventoryInfo(_Frozen):
    """Which inventory was scanned, pinned to its git commit."""

    trust: str
    name: str
    path: str
    commit: str | None
    dirty: bool | None


class ScanInfo(_Frozen):
    """When, by whom and how the scan ran."""

    started: datetime
    finished: datetime
    operator: str
    mode: str
    scan_date: date
    schools: list[str]
    targets: list[str]
    checks: list[str]
    fail_on: str


class ExpiredWaiver(_Frozen):
    """A waiver past its expiry (reported whether or not it matched a finding)."""

    check: str
    scope: str
    name: str | None
    approver: str
    expires: date
    source: str


class ExpiredAttestation(_Frozen):
    """An attestation past its expiry; it no longer counts."""

    school: str
    control: str
    by: str
    expires: date
    source: str


class Summary(_Frozen):
    """Counts for a quick read."""

    findings: int
    by_status: dict[str, int]
    failed_by_severity: dict[str, int]
    skipped: int


class Results(_Frozen):
    """The whole results document."""

    schema_version: str = SCHEMA_VERSION
    tool: ToolInfo
    inventory: InventoryInfo
    scan: ScanInfo
    summary: Summary
    findings: list[Finding]
    skipped: list[Skipped] = Field(default_factory=list)
    expired_waivers: list[ExpiredWaiver] = Field(default_factory=list)
    expired_attestations: list[ExpiredAttestation] = Field(default_factory=list)
    controls: dict[str, dict[str, list[ControlResult]]]
    """school → framework → control results."""
    neighbours: list[SwitchNeighbours] = Field(default_factory=list)
    """Each live-scanned switch's LLDP neighbours, or why they were not read (1.4; empty in an
    offline scan and in older documents). Read by the handbook's drawings; no check uses them."""


def git_state(path: Path) -> tuple[str | None, bool | None]:
    """The git commit holding ``path`` and whether ``path`` has uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(path), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None, None
    return commit or None, bool(status.strip())


def summarise(findings: list[Finding], skipped: list[Skipped]) -> Summary:
    """Counts by status and failures by severity."""
    by_status: dict[str, int] = {}
    failed: dict[str, int] = {}
    for finding in findings:
        by_status[finding.status.value] = by_status.get(finding.status.value, 0) + 1
        if finding.status.value == "fail":
            failed[finding.severity.value] = failed.get(finding.severity.value, 0) + 1
    return Summary(
        findings=len(findings), by_status=by_status, failed_by_severity=failed, skipped=len(skipped)
    )


def write_results(results: Results, path: Path) -> None:
    """Write the document as indented JSON (parents created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(results.model_dump_json(indent=2) + "\n", encoding="utf-8")
