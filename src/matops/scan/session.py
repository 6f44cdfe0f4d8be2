"""One scan from start to finish: load, collect, judge, waive, roll up into results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from matops import __version__
from matops.facts.model import FactProvider
from matops.facts.network.drift import trust_remediation
from matops.facts.network.offline import OfflineNetworkProvider
from matops.facts.register.collect import InventoryProvider, RegisterProvider
from matops.facts.tenant.collect import TenantProvider, live_source
from matops.facts.tenant.devices import trust_register
from matops.facts.tenant.export import export_sources
from matops.inventory.loader import KIND_GROUPS
from matops.inventory.model import Trust
from matops.scan.attestations import LocatedAttestation, load_attestations
from matops.scan.catalogue import Catalogue, Check
from matops.scan.controls import ControlResult, evaluate_control
from matops.scan.frameworks import Framework, in_scope, load_frameworks, scope_problems
from matops.scan.live import LAB_SWITCH_USER, LiveOptions, live_providers
from matops.scan.model import Finding, Severity
from matops.scan.results import (
    ExpiredAttestation,
    ExpiredWaiver,
    InventoryInfo,
    Results,
    ScanInfo,
    ToolInfo,
    git_state,
    summarise,
)
from matops.scan.runner import Progress, Selection, run_checks
from matops.scan.waivers import LocatedWaiver, apply_waivers, load_waivers
from matops.source.problems import Problem, ProblemsError

GROUP_BY_KIND = {kind: group for group, kind in KIND_GROUPS.items()}


class ScanConfigError(ProblemsError):
    """Waivers, attestations or framework files are invalid (the scan cannot be trusted)."""


@dataclass(frozen=True)
class ScanRequest:
    """What to scan and how."""

    root: Path
    trust: Trust
    catalogue: Catalogue
    checks: list[Check]
    selection: Selection = field(default_factory=Selection)
    configs: Path | None = None
    tenants: Path | None = None
    """Offline: the folder ``matops tenant export`` wrote (one folder per tenant); None: tenant
    checks are not assessed offline. Live scans read the tenants through the profile."""
    scan_date: date = field(default_factory=date.today)
    operator: str = "unknown"
    fail_on: Severity | None = Severity.HIGH
    workers: int = 8
    live: LiveOptions | None = None
    """None: offline (inventory, register, saved configs). Otherwise how to reach the targets."""
    vault_password_file: Path | None = None
    """For the drift check's template (network secrets); live scans pass the profile's."""
    progress: Progress | None = None
    """Called after each target is judged (the CLI's progress display)."""
    keep_users: tuple[str, ...] = ()
    """Switch accounts the drift check leaves alone (the account matops logs in with); a scan
    of the lab adds the lab's ``admin``, and ``network_username`` is always kept."""
    lab_secrets: Path | None = None
    """An offline scan given ``--lab`` (saved outputs of the lab's switches): the lab's made-up
    secrets for the drift check's template, as a live scan of the lab uses them. A live scan
    takes them from its profile; a run without ``--lab`` never has them."""

    @property
    def mode(self) -> str:
        """``live`` or ``offline``."""
        return "offline" if self.live is None else "live"


@dataclass(frozen=True)
class TrustRecords:
    """The trust's scan-time records: frameworks, waivers and attestations."""

    frameworks: dict[str, Framework]
    waivers: list[LocatedWaiver]
    attestations: list[LocatedAttestation]


def load_records(request: ScanRequest) -> TrustRecords:
    """Load frameworks, waivers and attestations; raise ScanConfigError listing every problem."""
    ids = set(request.catalogue.checks)
    frameworks, problems = load_frameworks(request.catalogue.root / "frameworks", ids)
    waivers, found = load_waivers(request.root / "waivers.yml", ids)
    problems += found
    settings = request.root / "group_vars" / "all.yml"
    problems += scope_problems(request.trust.settings.frameworks, frameworks, settings)
    controls = {c.id for f in frameworks.values() for c in f.controls}
    schools = {s.id for s in request.trust.schools}
    attestations, found = load_attestations(request.root / "attestations", schools, controls)
    problems += found
    if problems:
        raise ScanConfigError(problems)
    return TrustRecords(frameworks, waivers, attestations)


def providers_for(request: ScanRequest) -> list[FactProvider]:
    """Inventory and register providers, then saved configs and tenant exports (offline) or
    live connections and the tenants' APIs (through the profile's tenant access).

    The drift check's remediation source (template rendered from the inventory, diffed with
    hier_config) is given to the network provider in both modes.
    """
    providers: list[FactProvider] = [
        InventoryProvider(request.trust, request.scan_date),
        RegisterProvider(request.trust),
    ]
    keep_users = request.keep_users
    extra_vars = request.lab_secrets
    if request.live is not None and request.live.profile.is_lab:
        extra_vars = request.live.profile.secrets.lab_secrets_file
    if extra_vars is not None:
        keep_users += (LAB_SWITCH_USER,)
    drift = trust_remediation(
        request.root, request.trust, request.vault_password_file, keep_users, extra_vars
    )
    if request.live is not None:
        register = trust_register(request.trust.schools)
        tenants = TenantProvider(live_source(request.live.profile, request.root), register=register)
        return [*providers, *live_providers(request.root, request.live, drift), tenants]
    configs = request.configs or request.root / "backups"
    providers.append(OfflineNetworkProvider(configs, drift))
    if request.tenants is not None:
        register = trust_register(request.trust.schools)
        providers.append(TenantProvider(export_sources(request.tenants), register=register))
    return providers


def _groups(trust: Trust) -> dict[tuple[str, str], frozenset[str]]:
    groups: dict[tuple[str, str], frozenset[str]] = {}
    for school in trust.schools:
        for target in school.targets:
            kind_group = GROUP_BY_KIND[target.kind]
            names = {school.group, kind_group, f"{school.group}_{kind_group}"}
            groups[(school.id, target.name)] = frozenset(names)
        for asset in school.assets:
            groups[(school.id, asset.asset_tag)] = frozenset({school.group})
        for tenant in trust.settings.tenants:
            if school.id in tenant.schools:
                groups[(school.id, tenant.name)] = frozenset({school.group})
    return groups


def _controls(
    trust: Trust, schools: list[str], findings: list[Finding], records: TrustRecords, today: date
) -> dict[str, dict[str, list[ControlResult]]]:
    names = in_scope(trust.settings.frameworks, records.frameworks)
    result: dict[str, dict[str, list[ControlResult]]] = {}
    for school in schools:
        own = [f for f in findings if f.school == school]
        attested = [a for a in records.attestations if a.school == school]
        result[school] = {
            name: [
                evaluate_control(c, own, attested, today) for c in records.frameworks[name].controls
            ]
            for name in names
        }
    return result


def _expired_attestations(records: TrustRecords, today: date) -> list[ExpiredAttestation]:
    return [
        ExpiredAttestation(
            school=a.school,
            control=a.attestation.control,
            by=a.attestation.by,
            expires=a.attestation.expires,
            source=f"{a.path}:{a.line}",
        )
        for a in records.attestations
        if a.attestation.expires < today
    ]


def run_scan(
    request: ScanRequest,
    records: TrustRecords | None = None,
    providers: Sequence[FactProvider] | None = None,
) -> Results:
    """Run the scan the request describes and return the results document.

    ``providers`` replaces the ones :func:`providers_for` would make (tests pass their own, e.g.
    to count sessions or to keep a live provider's outputs for an offline comparison).

    >>> results = run_scan(replace(request, live=LiveOptions(profile)))  # doctest: +SKIP
    >>> results.scan.mode  # doctest: +SKIP
    'live'
    """
    started = datetime.now(UTC)
    records = records or load_records(request)
    subjects = request.selection.subjects(request.trust)
    found = list(providers) if providers is not None else providers_for(request)
    try:
        output = run_checks(subjects, request.checks, found, request.workers, request.progress)
    finally:
        if providers is None:
            for provider in found:
                close = getattr(provider, "close", None)
                if close is not None:
                    close()
    neighbours = [n for p in found for n in getattr(p, "neighbours", lambda: [])()]
    findings, expired = apply_waivers(
        output.findings, records.waivers, _groups(request.trust), request.scan_date
    )
    schools = sorted({s.school for s in subjects})
    commit, dirty = git_state(request.root)
    return Results(
        tool=ToolInfo(version=__version__),
        inventory=InventoryInfo(
            trust=request.trust.settings.id,
            name=request.trust.settings.name,
            path=str(request.root),
            commit=commit,
            dirty=dirty,
        ),
        scan=ScanInfo(
            started=started,
            finished=datetime.now(UTC),
            operator=request.operator,
            mode=request.mode,
            scan_date=request.scan_date,
            schools=schools,
            targets=sorted(request.selection.targets),
            checks=[c.id for c in request.checks],
            fail_on=request.fail_on.value if request.fail_on else "never",
        ),
        summary=summarise(findings, output.skipped),
        findings=findings,
        skipped=output.skipped,
        expired_waivers=[_expired_waiver(w) for w in expired],
        expired_attestations=_expired_attestations(records, request.scan_date),
        controls=_controls(request.trust, schools, findings, records, request.scan_date),
        neighbours=neighbours,
    )


def _expired_waiver(located: LocatedWaiver) -> ExpiredWaiver:
    w = located.waiver
    return ExpiredWaiver(
        check=w.check,
        scope=w.scope.value,
        name=w.name,
        approver=w.approver,
        expires=w.expires,
        source=f"{located.path}:{located.line}",
    )


def problem_list(exc: ProblemsError) -> list[Problem]:
    """The problems carried by an inventory/catalogue/scan-config error."""
    return exc.problems
