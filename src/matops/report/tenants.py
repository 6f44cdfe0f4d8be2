"""The cloud identity section: each tenant's MFA coverage, administrators and leavers.

Read from the figures and staff accounts the tenant checks put on their findings (results 1.2),
never from their prose. Counts are for every audience (governors' summary, PDF, JSON); staff and
administrator addresses are for the technician's detail only. Pupils are never named: the
checks give pupils as counts and never put a pupil's address in ``staff_accounts``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from matops.scan.model import Finding

COVERAGE_ROWS = (("staff", "staff_mfa", "staff"), ("admins", "admins_mfa", "administrators"))
"""(required figure, registered figure, label) for each bar of the MFA chart."""


class Coverage(BaseModel):
    """MFA coverage of one group of accounts: registered (or enforced) of required."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group: str
    """``staff`` or ``administrators``."""
    registered: int
    required: int

    @property
    def percent(self) -> int:
        """Whole per cent covered (100 when nobody needs it).

        >>> Coverage(group="staff", registered=41, required=42).percent
        97
        """
        return 100 if not self.required else self.registered * 100 // self.required


class TenantFigures(BaseModel):
    """A tenant's counts (fit for governors and ``report.json``); None: not measured."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant: str
    platform: str
    schools: list[str]
    mfa: list[Coverage]
    admins: int | None
    top_admins: int | None
    """Global Administrators (Microsoft 365) or super administrators (Google Workspace)."""
    leavers: int | None
    """Staff past their leave date with an account in the tenant's domains."""
    leavers_enabled: int | None
    leavers_disabled: int | None


@dataclass(frozen=True)
class TenantView:
    """One tenant in a report: its figures, then the staff accounts behind them."""

    figures: TenantFigures
    admin_accounts: list[str] = field(default_factory=list)
    top_admin_accounts: list[str] = field(default_factory=list)
    leavers_enabled: list[str] = field(default_factory=list)
    leavers_disabled: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    """Tenant checks that gave these figures (for links to their findings)."""


def _platform(findings: Sequence[Finding]) -> str:
    checks = {f.check for f in findings}
    if any(c.startswith("entra_") for c in checks):
        return "Microsoft 365"
    if any(c.startswith("google_") for c in checks):
        return "Google Workspace"
    return findings[0].kind


def tenant_view(name: str, findings: Sequence[Finding], schools: Iterable[str]) -> TenantView:
    """One tenant's view from its findings (those of one school, or of every school).

    >>> from matops.scan.model import Finding
    >>> f = Finding(check="entra_leavers_disabled", title="t", area="tenant", target="m365",
    ...     subject="tenant", kind="tenant", school="oak", status="fail", severity="high",
    ...     detail="d", figures={"leavers": 2, "leavers_enabled": 1, "leavers_disabled": 1},
    ...     staff_accounts={"leavers_enabled": ["a@x.org"], "leavers_disabled": ["b@x.org"]})
    >>> v = tenant_view("m365", [f], ["oak"])
    >>> v.figures.leavers_enabled, v.leavers_enabled, v.figures.mfa
    (1, ['a@x.org'], [])
    """
    figures: dict[str, int] = {}
    accounts: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        figures.update(f.figures)
        for key, names in f.staff_accounts.items():
            accounts[key].update(names)
    mfa = [
        Coverage(group=label, registered=figures[done], required=figures[need])
        for need, done, label in COVERAGE_ROWS
        if need in figures and done in figures
    ]
    return TenantView(
        figures=TenantFigures(
            tenant=name,
            platform=_platform(findings),
            schools=sorted(set(schools)),
            mfa=mfa,
            admins=figures.get("admins"),
            top_admins=figures.get("top_admins"),
            leavers=figures.get("leavers"),
            leavers_enabled=figures.get("leavers_enabled"),
            leavers_disabled=figures.get("leavers_disabled"),
        ),
        admin_accounts=sorted(accounts["admins"]),
        top_admin_accounts=sorted(accounts["top_admins"]),
        leavers_enabled=sorted(accounts["leavers_enabled"]),
        leavers_disabled=sorted(accounts["leavers_disabled"]),
        checks=sorted({f.check for f in findings}),
    )


def tenant_views(findings: Iterable[Finding]) -> list[TenantView]:
    """Every tenant among ``findings``, by name; a tenant serving several schools is read once
    (its findings repeat per school with the same figures) and lists them all."""
    by_tenant: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.subject == "tenant":
            by_tenant[f.target].append(f)
    views = []
    for name in sorted(by_tenant):
        own = by_tenant[name]
        first_school = own[0].school
        views.append(
            tenant_view(name, [f for f in own if f.school == first_school], {f.school for f in own})
        )
    return views


@dataclass(frozen=True)
class Bar:
    """One bar of the MFA coverage chart (inline SVG)."""

    label: str
    registered: int
    required: int
    percent: int
    width: float
    """The covered part's width in chart units (the whole bar is :data:`BAR_WIDTH`)."""


BAR_WIDTH = 360.0


def coverage_bars(view: TenantView) -> list[Bar]:
    """The MFA chart's bars: one per group of accounts measured.

    >>> v = TenantView(TenantFigures(tenant="t", platform="p", schools=[], admins=None,
    ...     top_admins=None, leavers=None, leavers_enabled=None, leavers_disabled=None,
    ...     mfa=[Coverage(group="staff", registered=3, required=4)]))
    >>> [(b.label, b.percent, b.width) for b in coverage_bars(v)]
    [('staff', 75, 270.0)]
    """
    return [
        Bar(
            c.group,
            c.registered,
            c.required,
            c.percent,
            round(BAR_WIDTH * (c.registered / c.required if c.required else 1.0), 1),
        )
        for c in view.figures.mfa
    ]
