"""Run checks over a trust: each fact collected at most once per subject, each check judged.

Nothing here crashes a scan: a collector that fails gives ``error`` findings (``unreachable``
when the target could not be reached), a fact that cannot be known in this mode skips the check
(reported as not assessed), and a judge that raises gives an ``error`` finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from matops.facts.catalogue import FACTS
from matops.facts.model import (
    Fact,
    FactError,
    FactProvider,
    FactUnavailableError,
    Subject,
    TargetUnreachableError,
)
from matops.inventory.model import Trust
from matops.scan.catalogue import Check
from matops.scan.model import Finding, Severity, Skipped, Status
from matops.scan.verdict import Verdict


class FactCache:
    """The facts of one subject: each collected once, failures remembered."""

    def __init__(self, subject: Subject, providers: Sequence[FactProvider]):
        self.subject = subject
        self._providers = providers
        self._offered = [p.provides(subject) for p in providers]
        self._facts: dict[str, Fact | FactError] = {}
        self.collections = 0

    def offered(self, name: str) -> bool:
        """Whether any provider can collect ``name`` for this subject."""
        return any(name in offered for offered in self._offered)

    def get(self, name: str) -> Fact:
        """The fact, collecting it on first use; re-raises the collector's error every time."""
        if name not in self._facts:
            self._facts[name] = self._collect(name)
        found = self._facts[name]
        if isinstance(found, FactError):
            raise found
        return found

    def _collect(self, name: str) -> Fact | FactError:
        provider = next(
            (
                p
                for p, offered in zip(self._providers, self._offered, strict=True)
                if name in offered
            ),
            None,
        )
        if provider is None:
            return FactUnavailableError(f"no collector for {name} in this mode")
        self.collections += 1
        try:
            return provider.collect(name, self.subject)
        except FactError as exc:
            return exc
        except Exception as exc:
            return FactError(f"{type(exc).__name__}: {exc}")


def applies(check: Check, subject: Subject) -> bool:
    """Whether ``check`` judges ``subject`` (its ``applies_to``)."""
    rule = check.meta.applies_to
    if subject.kind == "asset":
        if rule.register_types is None or subject.asset is None:
            return False
        return not rule.register_types or subject.asset.type in rule.register_types
    if subject.kind == "tenant":
        tenant = subject.tenant
        if tenant is None or rule.register_types is not None or rule.device_roles:
            return False
        return bool(rule.platforms) and tenant.provider in rule.platforms and not rule.kinds
    target = subject.target
    if target is None or rule.register_types is not None:
        return False
    return (
        (not rule.kinds or target.kind in rule.kinds)
        and (not rule.platforms or target.platform in rule.platforms)
        and (not rule.device_roles or (target.vars.device_role or "") in rule.device_roles)
    )


def _finding(
    check: Check,
    subject: Subject,
    status: Status,
    detail: str,
    facts: Iterable[Fact],
    verdict: Verdict | None = None,
) -> Finding:
    evidence = [f.evidence for f in facts if FACTS[f.name].source != "inventory"]
    return Finding(
        check=check.id,
        title=check.meta.title,
        area=check.meta.area.value,
        target=subject.name,
        subject=subject.kind,
        kind=subject.kind_name,
        school=subject.school,
        status=status,
        severity=check.meta.severity,
        detail=detail,
        evidence=evidence,
        figures=dict(verdict.figures) if verdict else {},
        staff_accounts=dict(verdict.staff_accounts) if verdict else {},
    )


def judge_one(check: Check, cache: FactCache) -> Finding | Skipped:
    """Collect ``check``'s facts from ``cache`` and judge them."""
    subject = cache.subject
    facts: list[Fact] = []
    try:
        facts = [cache.get(name) for name in check.meta.facts]
    except FactUnavailableError as exc:
        return Skipped(check=check.id, target=subject.name, school=subject.school, reason=str(exc))
    except TargetUnreachableError as exc:
        return _finding(check, subject, Status.UNREACHABLE, str(exc), facts)
    except FactError as exc:
        return _finding(check, subject, Status.ERROR, f"could not collect facts: {exc}", facts)
    try:
        verdict: Any = check.judge(**{f.name: f.value for f in facts})
    except Exception as exc:
        return _finding(
            check, subject, Status.ERROR, f"judge failed: {type(exc).__name__}: {exc}", facts
        )
    if not isinstance(verdict, Verdict):
        return _finding(check, subject, Status.ERROR, "judge did not return a Verdict", facts)
    return _finding(check, subject, Status(verdict.status.value), verdict.detail, facts, verdict)


def _prefetch(subject: Subject, checks: Sequence[Check], providers: Sequence[FactProvider]) -> None:
    """Tell providers that can start collecting ahead (``prefetch``) which facts will be needed."""
    needed = {name for check in checks for name in check.meta.facts}
    for provider in providers:
        prefetch = getattr(provider, "prefetch", None)
        if prefetch is not None:
            prefetch(subject, needed & provider.provides(subject))


def judge_subject(
    subject: Subject, checks: Sequence[Check], providers: Sequence[FactProvider]
) -> list[Finding | Skipped]:
    """Judge every applicable check on one subject, sharing one fact cache."""
    cache = FactCache(subject, providers)
    _prefetch(subject, [c for c in checks if applies(c, subject)], providers)
    results: list[Finding | Skipped] = []
    for check in checks:
        if not applies(check, subject):
            continue
        missing = [name for name in check.meta.facts if not cache.offered(name)]
        if missing:
            reason = f"facts not collected in this mode: {', '.join(missing)}"
            results.append(
                Skipped(check=check.id, target=subject.name, school=subject.school, reason=reason)
            )
            continue
        results.append(judge_one(check, cache))
    return results


Progress = Callable[[Subject, list[Finding | Skipped]], None]
"""Called once per subject as soon as it is judged (from a worker thread)."""


@dataclass(frozen=True)
class Selection:
    """Which part of the trust to scan."""

    schools: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()

    def subjects(self, trust: Trust) -> list[Subject]:
        """Targets, register rows and tenants in scope (``targets`` also matches asset tags and
        tenant names); a tenant is one subject per school it serves."""
        tenants = Subject.tenants_of(trust.settings.tenants)
        found: list[Subject] = []
        for school in trust.schools:  # school by school, so per-school scans merge in order
            if self.schools and school.id not in self.schools:
                continue
            found += [Subject.of_target(t) for t in school.targets]
            found += [Subject.of_asset(school.id, a) for a in school.assets]
            found += [s for s in tenants if s.school == school.id]
        if self.targets:
            found = [s for s in found if s.name in self.targets]
        return found


@dataclass
class RunOutput:
    """Findings and skipped checks of a run."""

    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def run_checks(
    subjects: Sequence[Subject],
    checks: Sequence[Check],
    providers: Sequence[FactProvider],
    workers: int = 8,
    progress: Progress | None = None,
) -> RunOutput:
    """Judge ``checks`` on every subject, subjects in parallel; results keep subject order.

    Targets and tenants are started before register rows, so slow connections begin first.
    """

    def judge(subject: Subject) -> list[Finding | Skipped]:
        results = judge_subject(subject, checks, providers)
        if progress is not None:
            progress(subject, results)
        return results

    order = sorted(range(len(subjects)), key=lambda i: subjects[i].kind not in ("target", "tenant"))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        done = dict(zip(order, pool.map(lambda i: judge(subjects[i]), order), strict=True))
    per_subject = [done[i] for i in range(len(subjects))]
    output = RunOutput()
    for results in per_subject:
        for result in results:
            if isinstance(result, Finding):
                output.findings.append(result)
            else:
                output.skipped.append(result)
    return output


def at_or_above(findings: Iterable[Finding], threshold: Severity | None) -> list[Finding]:
    """Problem findings (fail, error, unreachable) with severity at or above ``threshold``."""
    if threshold is None:
        return []
    return [f for f in findings if f.status.is_problem and f.severity.rank >= threshold.rank]
