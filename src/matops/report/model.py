"""The report model: what every renderer draws, computed once from a results document.

Built by :func:`matops.report.build.build_report` (pure: no I/O). The parts that also go into
``report.json`` (areas, headline, top risks, lifecycle) are pydantic models; the views that only
the templates read are frozen dataclasses holding references to the results' findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from matops.report.compare import Changes
from matops.report.devices import DeviceModelLine, TermCount
from matops.report.tenants import TenantView
from matops.scan.controls import AttestationRef, ControlResult, ControlStatus
from matops.scan.model import Finding, WaiverRef
from matops.scan.results import Results

STATUS_LABELS = {
    ControlStatus.MET: "met",
    ControlStatus.PARTLY_MET: "partly met",
    ControlStatus.NOT_MET: "not met",
    ControlStatus.NOT_ASSESSED: "not assessed",
    ControlStatus.NOT_VERIFIED: "not verified",
    ControlStatus.ACCEPTED_RISK: "accepted risk",
}
"""Control statuses as people read them (the heatmap legend)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AreaCell(_Frozen):
    """One school's position in one framework area (a heatmap cell)."""

    school: str
    framework: str
    area: str
    status: ControlStatus
    controls: dict[str, int]
    """Number of controls per status."""


class Standing(StrEnum):
    """A school's position in one word: what its headline may claim."""

    FAILING = "failing"
    """At least one check failed."""
    NOT_JUDGED = "not_judged"
    """Checks ran, but none gave a verdict (every one ``error`` or ``unreachable``)."""
    INCOMPLETE = "incomplete"
    """Nothing judged failed, but some checks gave no verdict: not a clean result."""
    NO_FAILURES = "no_failures"
    """Every check that ran gave a verdict and none failed (the only clean standing)."""
    NOT_ASSESSED = "not_assessed"
    """No check ran for the school at all."""


STANDING_LABELS = {
    Standing.FAILING: "failing",
    Standing.NOT_JUDGED: "not judged",
    Standing.INCOMPLETE: "incomplete",
    Standing.NO_FAILURES: "no failures",
    Standing.NOT_ASSESSED: "not assessed",
}


class NotJudged(_Frozen):
    """Checks on one target that gave no verdict for one reason."""

    target: str
    kind: str
    status: str
    """``error`` or ``unreachable``."""
    reason: str
    """The finding's detail, redacted."""
    checks: list[str]


class SchoolStanding(_Frozen):
    """One school's headline: counts, what could not be judged and why, in one sentence."""

    school: str
    standing: Standing
    headline: str
    counts: dict[str, int]
    """Findings per status."""
    not_judged: int
    """Findings that gave no verdict (``error`` + ``unreachable``)."""
    not_judged_by_status: dict[str, int]
    not_assessed: int
    """Checks skipped for a subject of the school (not run in this scan)."""
    not_judged_findings: list[NotJudged]


class TopRisk(_Frozen):
    """A failing check across the trust, worst first."""

    check: str
    title: str
    severity: str
    failures: int
    schools: list[str]
    fix: str


class Headline(_Frozen):
    """The figures at the top of the overview."""

    schools: int
    targets: int
    findings: int
    failing: int
    failed_by_severity: dict[str, int]
    waived: int
    not_judged: int
    """Findings that gave no verdict (``error`` + ``unreachable``)."""
    not_judged_by_status: dict[str, int]
    not_assessed: int
    """Checks skipped (not run in this scan)."""
    standings: dict[str, int]
    """Number of schools per :class:`Standing`."""
    controls: dict[str, int]
    """Control results per status over every school and framework."""
    expired_waivers: int
    expired_attestations: int


class LifecycleBand(_Frozen):
    """Assets of one school whose support or warranty ends in a window, by months from the scan."""

    school: str
    measure: str
    """``support`` or ``warranty``."""
    already: int
    """Already ended on the scan date."""
    within_12: int
    within_24: int
    within_36: int
    """Cumulative: ends within 12, 24, 36 months (not counting ``already``)."""
    unknown: int
    """No date in the register."""


@dataclass(frozen=True)
class LifecycleItem:
    """One asset that ends support or warranty within 36 months (or already has)."""

    school: str
    asset_tag: str
    type: str
    model: str
    measure: str
    ends: date
    months: int
    """Whole months from the scan date (negative when already past)."""


@dataclass(frozen=True)
class CheckInfo:
    """What the catalogue says about a check, for people."""

    id: str
    title: str
    rationale: str
    fix: str
    """Role and tag, network template section or manual task that fixes it."""
    disruption: str
    reboot: bool


@dataclass(frozen=True)
class ControlView:
    """A control in one school: the governors' verdict, then the technicians' findings."""

    framework: str
    area: str
    result: ControlResult
    verdict: str
    problems: list[Finding]
    """Failing, erroring, unreachable findings of its checks, worst first."""
    passed: int
    waived: list[Finding]
    checks: list[str]


@dataclass(frozen=True)
class WaiverView:
    """A waiver in use at a school, with the findings it covers."""

    check: str
    waiver: WaiverRef
    targets: list[str]


@dataclass(frozen=True)
class TargetView:
    """Every finding for one target (or register asset)."""

    school: str
    name: str
    kind: str
    subject: str
    findings: list[Finding]
    counts: dict[str, int]
    slug: str


@dataclass(frozen=True)
class NotAssessedView:
    """Checks skipped at a school for one reason (not run in this scan)."""

    reason: str
    checks: int
    targets: list[str]


@dataclass(frozen=True)
class SchoolView:
    """One school's page."""

    id: str
    standing: SchoolStanding
    controls: dict[str, list[ControlView]]
    """framework → controls (only frameworks in scope)."""
    waivers: list[WaiverView]
    targets: list[TargetView]
    counts: dict[str, int]
    problems_by_check: dict[str, list[Finding]]
    """check → failing, erroring or unreachable findings, worst severity first."""
    attestations: list[tuple[str, AttestationRef]]
    """(control, attestation) for every control with an attestation."""
    not_assessed: list[NotAssessedView] = field(default_factory=list)
    tenants: list[TenantView] = field(default_factory=list)
    """The cloud identity tenants serving the school (MFA coverage, admins, leavers)."""


@dataclass(frozen=True)
class Report:
    """Everything a renderer needs."""

    results: Results
    generated: str
    tool_version: str
    frameworks: dict[str, str]
    """framework id → title, in display order."""
    areas: dict[str, list[str]]
    """framework → area codes in display order."""
    area_names: dict[str, str]
    cells: list[AreaCell]
    headline: Headline
    top_risks: list[TopRisk]
    schools: list[SchoolView]
    checks: dict[str, CheckInfo]
    changes: Changes
    has_previous: bool
    lifecycle: list[LifecycleBand]
    lifecycle_items: list[LifecycleItem]
    register_loaded: bool
    cell_map: dict[tuple[str, str, str], AreaCell] = field(default_factory=dict)
    """(school, framework, area) → cell, for the heatmap."""
    tenants: list[TenantView] = field(default_factory=list)
    """Every tenant of the trust read in this scan, once each."""
    devices: list[DeviceModelLine] = field(default_factory=list)
    """Each school's laptops, desktops and tablets by model, with when to replace them."""
    device_terms: list[TermCount] = field(default_factory=list)
    """Each school's endpoints leaving support, counted by term."""

    @property
    def trust(self) -> str:
        """The trust's display name."""
        return self.results.inventory.name
