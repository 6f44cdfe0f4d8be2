"""Build the :class:`~matops.report.model.Report` from results, catalogue, frameworks, register.

Pure functions: loading is the command's job. Linear in the number of findings (each finding is
visited a constant number of times).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from matops.inventory.model import Asset
from matops.report.compare import Changes
from matops.report.devices import device_lines
from matops.report.lifecycle import lifecycle
from matops.report.model import (
    AreaCell,
    CheckInfo,
    ControlView,
    Headline,
    NotAssessedView,
    Report,
    SchoolView,
    TargetView,
    TopRisk,
    WaiverView,
)
from matops.report.standing import school_standing
from matops.report.tenants import TenantView, tenant_views
from matops.report.text import slug, verdict
from matops.scan.catalogue import Catalogue
from matops.scan.controls import ControlResult, ControlStatus
from matops.scan.frameworks import Framework, area_of, in_display_order
from matops.scan.model import Finding, Severity, Skipped, Status
from matops.scan.results import Results

TOP_RISKS = 10


def check_infos(catalogue: Catalogue) -> dict[str, CheckInfo]:
    """What each check's metadata says to people (title, rationale, what fixes it)."""
    infos = {}
    for check in catalogue:
        meta, fix = check.meta, check.meta.remediation
        if fix.role:
            how = f"Ansible role {fix.role}, tag {fix.tag}"
        elif fix.network_template:
            how = f"network template section {fix.network_template}"
        else:
            how = f"manual: {fix.manual}"
        infos[meta.id] = CheckInfo(
            meta.id, meta.title, meta.rationale, how, fix.disruption, fix.reboot
        )
    return infos


def framework_titles(frameworks: Mapping[str, Framework]) -> dict[str, str]:
    """framework id → title, in the order the framework files give."""
    return {f.framework: f.title for f in in_display_order(frameworks)}


def _in_declared_order(codes: Iterable[str], framework: Framework | None) -> list[str]:
    """Area codes in the order the framework file lists them; codes it does not list last."""
    declared = list(framework.areas) if framework else []
    return sorted(codes, key=lambda a: declared.index(a) if a in declared else len(declared))


def _worst_first(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity.rank, f.check, f.target))


def area_status(statuses: Sequence[ControlStatus]) -> ControlStatus:
    """An area's position from its controls' statuses.

    Controls not assessed or not verified count as gaps unless nothing in the area is judged: an
    area with one control met and five not assessed is partly met, not met; an area where nothing
    was judged and some control's checks all gave no verdict is not verified.

    >>> area_status([ControlStatus.MET, ControlStatus.MET]).value
    'met'
    >>> area_status([ControlStatus.MET, ControlStatus.NOT_ASSESSED]).value
    'partly_met'
    >>> area_status([ControlStatus.NOT_MET, ControlStatus.NOT_ASSESSED]).value
    'not_met'
    >>> area_status([ControlStatus.NOT_VERIFIED, ControlStatus.NOT_ASSESSED]).value
    'not_verified'
    """
    kinds = set(statuses)
    unjudged = {ControlStatus.NOT_ASSESSED, ControlStatus.NOT_VERIFIED}
    if kinds <= unjudged:
        if ControlStatus.NOT_VERIFIED in kinds:
            return ControlStatus.NOT_VERIFIED
        return ControlStatus.NOT_ASSESSED
    if kinds == {ControlStatus.MET}:
        return ControlStatus.MET
    if kinds <= {ControlStatus.MET, ControlStatus.ACCEPTED_RISK}:
        return ControlStatus.ACCEPTED_RISK
    if kinds <= {ControlStatus.NOT_MET, *unjudged}:
        return ControlStatus.NOT_MET
    return ControlStatus.PARTLY_MET


def _cells(controls: Mapping[str, Mapping[str, list[ControlResult]]]) -> list[AreaCell]:
    cells = []
    for school in sorted(controls):
        for framework, results in controls[school].items():
            by_area: dict[str, list[ControlStatus]] = defaultdict(list)
            for result in results:
                by_area[area_of(result.id)].append(result.status)
            for area, statuses in by_area.items():
                cells.append(
                    AreaCell(
                        school=school,
                        framework=framework,
                        area=area,
                        status=area_status(statuses),
                        controls={s.value: n for s, n in sorted(Counter(statuses).items())},
                    )
                )
    return cells


def _top_risks(findings: Sequence[Finding], checks: Mapping[str, CheckInfo]) -> list[TopRisk]:
    failing: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.status is Status.FAIL:
            failing[f.check].append(f)
    ranked = sorted(failing.items(), key=lambda i: (-i[1][0].severity.rank, -len(i[1]), i[0]))
    return [
        TopRisk(
            check=check,
            title=items[0].title,
            severity=items[0].severity.value,
            failures=len(items),
            schools=sorted({f.school for f in items}),
            fix=checks[check].fix if check in checks else "",
        )
        for check, items in ranked[:TOP_RISKS]
    ]


def _control_views(
    controls: Mapping[str, list[ControlResult]],
    by_check: Mapping[str, list[Finding]],
    frameworks: Mapping[str, Framework],
) -> dict[str, list[ControlView]]:
    views: dict[str, list[ControlView]] = {}
    for fw_id, results in controls.items():
        defined = {c.id: c for c in frameworks[fw_id].controls} if fw_id in frameworks else {}
        rows = []
        for result in results:
            control = defined.get(result.id)
            check_ids = list(control.checks) if control else []
            kinds = set(control.kinds) if control else set()
            own = [
                f for c in check_ids for f in by_check.get(c, []) if not kinds or f.kind in kinds
            ]
            problems = _worst_first([f for f in own if f.status.is_problem])
            rows.append(
                ControlView(
                    framework=fw_id,
                    area=area_of(result.id),
                    result=result,
                    verdict=verdict(result),
                    problems=problems,
                    passed=sum(1 for f in own if f.status is Status.PASS),
                    waived=[f for f in own if f.status is Status.WAIVED],
                    checks=check_ids,
                )
            )
        views[fw_id] = rows
    ranks = {fw: n for n, fw in enumerate(framework_titles(frameworks))}
    return {fw: views[fw] for fw in sorted(views, key=lambda fw: (ranks.get(fw, len(ranks)), fw))}


def _waivers(findings: Sequence[Finding]) -> list[WaiverView]:
    groups: dict[tuple[str, str, str | None], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.waiver is not None:
            groups[(f.check, f.waiver.scope, f.waiver.name)].append(f)
    return [
        WaiverView(check, items[0].waiver, sorted({f.target for f in items}))
        for (check, _, _), items in sorted(groups.items(), key=lambda i: (i[0][0], i[0][1]))
        if items[0].waiver is not None
    ]


def _targets(school: str, findings: Sequence[Finding]) -> list[TargetView]:
    by_target: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_target[f.target].append(f)
    views = []
    for name in sorted(by_target):
        own = by_target[name]
        views.append(
            TargetView(
                school=school,
                name=name,
                kind=own[0].kind,
                subject=own[0].subject,
                findings=_worst_first(own),
                counts=dict(Counter(f.status.value for f in own)),
                slug=slug(name),
            )
        )
    return views


def _not_assessed(skipped: Sequence[Skipped]) -> list[NotAssessedView]:
    groups: dict[str, list[Skipped]] = defaultdict(list)
    for s in skipped:
        groups[s.reason].append(s)
    return [
        NotAssessedView(reason, len(items), sorted({s.target for s in items}))
        for reason, items in sorted(groups.items())
    ]


def _school(
    school: str,
    findings: list[Finding],
    skipped: list[Skipped],
    controls: Mapping[str, list[ControlResult]],
    frameworks: Mapping[str, Framework],
    tenants: Sequence[TenantView] = (),
) -> SchoolView:
    by_check: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_check[f.check].append(f)
    problems = {
        check: sorted((f for f in items if f.status.is_problem), key=lambda f: f.target)
        for check, items in by_check.items()
    }
    ranked = sorted(
        (c for c, items in problems.items() if items),
        key=lambda c: (-problems[c][0].severity.rank, c),
    )
    attestations = {
        r.id: r.attestation
        for results in controls.values()
        for r in results
        if r.attestation is not None
    }
    return SchoolView(
        id=school,
        standing=school_standing(school, findings, skipped),
        controls=_control_views(controls, by_check, frameworks),
        waivers=_waivers(findings),
        targets=_targets(school, findings),
        counts=dict(Counter(f.status.value for f in findings)),
        problems_by_check={c: problems[c] for c in ranked},
        attestations=sorted(attestations.items()),
        not_assessed=_not_assessed(skipped),
        tenants=[t for t in tenants if school in t.figures.schools],
    )


def build_report(
    results: Results,
    catalogue_checks: Mapping[str, CheckInfo],
    frameworks: Mapping[str, Framework],
    registers: Mapping[str, Sequence[Asset]] | None,
    changes: Changes,
    *,
    has_previous: bool,
    generated: str,
    tool_version: str,
) -> Report:
    """The report for ``results``.

    ``registers`` maps school → asset rows (``None`` when the register could not be read);
    ``changes`` is :func:`matops.report.compare.compare` of the previous and current results.
    """
    by_school: dict[str, list[Finding]] = defaultdict(list)
    for f in results.findings:
        by_school[f.school].append(f)
    skipped: dict[str, list[Skipped]] = defaultdict(list)
    for s in results.skipped:
        skipped[s.school].append(s)
    schools = sorted(
        set(results.scan.schools) | set(by_school) | set(skipped) | set(results.controls)
    )
    tenants = tenant_views(results.findings)
    views = [
        _school(
            s,
            by_school.get(s, []),
            skipped.get(s, []),
            results.controls.get(s, {}),
            frameworks,
            tenants,
        )
        for s in schools
    ]
    cells = _cells(results.controls)
    control_counts = Counter(
        r.status.value for fws in results.controls.values() for rs in fws.values() for r in rs
    )
    titles = framework_titles(frameworks)
    for fw in {fw for fws in results.controls.values() for fw in fws}:
        titles.setdefault(fw, fw)
    areas: dict[str, list[str]] = {}
    for fw in titles:
        seen = dict.fromkeys(c.area for c in cells if c.framework == fw)
        if seen:
            areas[fw] = _in_declared_order(seen, frameworks.get(fw))
    bands, items = lifecycle(registers or {}, results.scan.scan_date)
    devices, device_terms = device_lines(registers or {}, results.scan.scan_date)
    summary = results.summary
    return Report(
        results=results,
        generated=generated,
        tool_version=tool_version,
        frameworks={fw: t for fw, t in titles.items() if fw in areas},
        areas=areas,
        area_names={
            a: frameworks[fw].area_name(a) if fw in frameworks else a
            for fw, codes in areas.items()
            for a in codes
        },
        cells=cells,
        headline=Headline(
            schools=len(schools),
            targets=len({(f.school, f.target) for f in results.findings}),
            findings=summary.findings,
            failing=summary.by_status.get("fail", 0),
            failed_by_severity={
                s.value: summary.failed_by_severity.get(s.value, 0) for s in Severity
            },
            waived=summary.by_status.get("waived", 0),
            not_judged=sum(summary.by_status.get(s.value, 0) for s in Status.not_judged_order()),
            not_judged_by_status={
                s.value: summary.by_status.get(s.value, 0) for s in Status.not_judged_order()
            },
            not_assessed=len(results.skipped),
            standings=dict(Counter(v.standing.standing.value for v in views)),
            controls={s.value: control_counts.get(s.value, 0) for s in ControlStatus},
            expired_waivers=len(results.expired_waivers),
            expired_attestations=len(results.expired_attestations),
        ),
        top_risks=_top_risks(results.findings, catalogue_checks),
        schools=views,
        checks=dict(catalogue_checks),
        changes=changes,
        has_previous=has_previous,
        lifecycle=bands,
        lifecycle_items=items,
        register_loaded=registers is not None,
        cell_map={(c.school, c.framework, c.area): c for c in cells},
        tenants=tenants,
        devices=devices,
        device_terms=device_terms,
    )
