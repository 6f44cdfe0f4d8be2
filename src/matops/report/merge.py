"""Combine per-school results (one CI job per school) into one trust result.

Inputs must describe one scan of one inventory, cut by school. :func:`merge` refuses, listing
every inconsistency at once, when the inputs differ in:

* ``schema_version``: documents of different shapes cannot be mixed;
* ``inventory.trust``: two trusts are not one trust;
* ``inventory.commit`` or ``inventory.dirty``: each school must be judged against the same
  inventory, otherwise waivers, attestations and baselines differ between schools;
* ``tool.version``: another version may have other checks, other judges or other rules for
  control status, so the schools would not be comparable (run every job from the same pinned
  matops);
* ``scan.mode``, ``scan.scan_date`` and ``scan.fail_on``: the merged document records one of
  each, and waiver and attestation expiry is judged against the scan date (pin it with
  ``matops scan --scan-date`` when jobs may straddle midnight);
* overlapping ``scan.schools``: a school scanned twice would be counted twice.

What the merged document holds: findings and skipped checks of every input in input order;
expired waivers and attestations with duplicates removed (a trust-wide waiver is reported by
every school's scan); controls per school; schools, targets and checks united in first-seen
order; the summary recomputed with :func:`matops.scan.results.summarise`; started = earliest,
finished = latest; operators joined when they differ.

Example::

    merged = merge([load_results(p) for p in Path("per-school").glob("*.json")])
    write_results(merged, Path("results/all.json"))
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

from matops.scan.results import Results, ScanInfo, summarise

T = TypeVar("T")


class MergeError(Exception):
    """The inputs cannot be merged; ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _unique(items: Iterable[T]) -> list[T]:
    """Items in first-seen order, duplicates removed (items must be hashable)."""
    seen: dict[T, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def _differs(
    inputs: Sequence[tuple[str, Results]], what: str, get: Callable[[Results], Hashable]
) -> list[str]:
    """One problem line when ``get`` gives different values across inputs, naming each."""
    values = _unique(get(r) for _, r in inputs)
    if len(values) <= 1:
        return []
    shown = ", ".join(f"{name}: {get(r)}" for name, r in inputs)
    return [f"different {what} ({shown})"]


def consistency_problems(inputs: Sequence[tuple[str, Results]]) -> list[str]:
    """Why ``inputs`` (name, results) cannot be merged; empty when they can.

    Example: ``consistency_problems([("a.json", a), ("b.json", b)])``
    """
    if not inputs:
        return ["nothing to merge: give at least one results file"]
    problems = [
        *_differs(inputs, "schema versions", lambda r: r.schema_version),
        *_differs(inputs, "trusts", lambda r: r.inventory.trust),
        *_differs(inputs, "inventory commits", lambda r: r.inventory.commit),
        *_differs(inputs, "inventory dirty flags", lambda r: r.inventory.dirty),
        *_differs(inputs, "matops versions", lambda r: r.tool.version),
        *_differs(inputs, "scan modes", lambda r: r.scan.mode),
        *_differs(inputs, "scan dates (pin with --scan-date)", lambda r: r.scan.scan_date),
        *_differs(inputs, "--fail-on thresholds", lambda r: r.scan.fail_on),
    ]
    owner: dict[str, str] = {}
    for name, results in inputs:
        for school in results.scan.schools:
            if school in owner:
                problems.append(f"school {school} is in both {owner[school]} and {name}")
            else:
                owner[school] = name
    return problems


def _scan(parts: Sequence[Results]) -> ScanInfo:
    first = parts[0].scan
    return ScanInfo(
        started=min(r.scan.started for r in parts),
        finished=max(r.scan.finished for r in parts),
        operator=", ".join(_unique(r.scan.operator for r in parts)),
        mode=first.mode,
        scan_date=first.scan_date,
        schools=_unique(s for r in parts for s in r.scan.schools),
        targets=_unique(t for r in parts for t in r.scan.targets),
        checks=_unique(c for r in parts for c in r.scan.checks),
        fail_on=first.fail_on,
    )


def merge(inputs: Sequence[tuple[str, Results]]) -> Results:
    """One trust result from per-school ``inputs`` given as (name, results) pairs.

    Raises :class:`MergeError` listing every inconsistency. One input comes back unchanged
    apart from a recomputed summary.

    Example: ``merge([("oak.json", oak), ("elm.json", elm)]).scan.schools == ["oak", "elm"]``
    """
    problems = consistency_problems(inputs)
    if problems:
        raise MergeError(problems)
    parts = [results for _, results in inputs]
    first = parts[0]
    findings = [f for r in parts for f in r.findings]
    skipped = [s for r in parts for s in r.skipped]
    controls = {school: frameworks for r in parts for school, frameworks in r.controls.items()}
    return Results(
        schema_version=first.schema_version,
        tool=first.tool,
        inventory=first.inventory,
        scan=_scan(parts),
        summary=summarise(findings, skipped),
        findings=findings,
        skipped=skipped,
        expired_waivers=_unique(w for r in parts for w in r.expired_waivers),
        expired_attestations=_unique(a for r in parts for a in r.expired_attestations),
        controls=controls,
        neighbours=[n for r in parts for n in r.neighbours],
    )
