"""What changed between two scans of the same trust: the "since last time" part of every report.

A finding is identified by ``(school, check, target)``. For each identity the previous and the
current *standing* are compared. A standing is the finding's status (``pass``, ``fail``,
``error``, ``unreachable``, ``not_applicable``, ``waived``), ``not_assessed`` when the check was
skipped for that subject (listed under ``skipped``), or ``None`` when the scan has no record of
it at all (a new target, a new check, a school the other scan did not cover).

Only ``fail`` counts as *failing* here. ``error`` and ``unreachable`` mean the check could not be
verified: they still count against ``--fail-on`` in the scan, but they say nothing about whether
the control holds, so they are treated like "not assessed" when deciding what changed.

Classification of ``before → after`` (anything not listed is not a change of standing):

============================  =========================================================
after                          before                               → list
============================  =========================================================
``fail``                       ``pass``                             → ``regressed``
``fail``                       ``waived`` (waiver lapsed/removed)   → ``new_failures``
``fail``                       absent, ``not_assessed``, ``error``,
                               ``unreachable``, ``not_applicable``  → ``new_failures``
``pass``                       ``fail`` or ``waived``               → ``fixed``
``waived``                     anything but ``waived`` (or absent)  → ``newly_waived``
``error`` / ``unreachable``    ``pass``, ``fail`` or ``waived``     → ``unverified``
absent, ``not_assessed``,
``not_applicable``             ``fail``                             → ``dropped``
============================  =========================================================

A waived failure that now passes is ``fixed``: the underlying problem is gone. A failure that
merely disappears (target retired, check narrowed, not assessed this time) is ``dropped``, never
``fixed``: nothing showed that it passes. A failure whose waiver lapsed is a *new* failure because
it counts against ``--fail-on`` again; the lapsed waiver itself is listed under
``expired_waivers`` as well.

Expired waivers and attestations are listed when they are in the current scan and were not in
the previous one, matched on what identifies them (not on their ``source`` line, which moves
when the file is edited). With no previous scan (``previous=None``) everything counts as new.

Example::

    changes = compare(load_results(Path("old.json")), load_results(Path("new.json")))
    for change in changes.regressed:
        print(change.school, change.target, change.check, change.before, "→", change.after)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from matops.scan.model import Severity, Status
from matops.scan.results import ExpiredAttestation, ExpiredWaiver, Results

NOT_ASSESSED = "not_assessed"
"""Standing of a (check, target) listed under ``skipped``."""

_JUDGED = frozenset(s.value for s in Status if s.judged)
_NOT_JUDGED = frozenset(s.value for s in Status if s.not_judged)
_UNKNOWN = frozenset({None, NOT_ASSESSED, Status.NOT_APPLICABLE.value, *_NOT_JUDGED})
_GONE = frozenset({None, NOT_ASSESSED, Status.NOT_APPLICABLE.value})

Key = tuple[str, str, str]
"""(school, check, target)."""


class Change(BaseModel):
    """One (check, target) whose standing moved between two scans."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    check: str
    target: str
    school: str
    severity: str
    before: str | None
    """Previous standing; ``None`` when the previous scan has no record of it."""
    after: str | None
    """Current standing; ``None`` when the current scan has no record of it."""
    detail: str
    """Current detail (the previous one when absent now)."""
    title: str = ""
    """The check's title (the compliant state), when a finding carries it."""


class Changes(BaseModel):
    """Everything that moved between a previous and a current scan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    new_failures: list[Change] = Field(default_factory=list)
    """Failing now; absent, not assessed, not verifiable, not applicable or waived before."""
    regressed: list[Change] = Field(default_factory=list)
    """Failing now; passed before."""
    fixed: list[Change] = Field(default_factory=list)
    """Failed (or was waived) before; passes now."""
    newly_waived: list[Change] = Field(default_factory=list)
    """Waived now; not waived before."""
    expired_waivers: list[ExpiredWaiver] = Field(default_factory=list)
    """Expired in the current scan and not listed as expired in the previous one."""
    expired_attestations: list[ExpiredAttestation] = Field(default_factory=list)
    """Expired in the current scan and not listed as expired in the previous one."""
    unverified: list[Change] = Field(default_factory=list)
    """Passed, failed or was waived before; could not be verified now (error, unreachable)."""
    dropped: list[Change] = Field(default_factory=list)
    """Failed before; now absent, not assessed or not applicable (not counted as fixed)."""
    previous_scan: str | None = None
    """ISO start time of the previous scan, ``None`` when there was none."""

    def is_empty(self) -> bool:
        """True when nothing moved.

        Example: ``compare(r, r).is_empty()`` is ``True`` for any results ``r``.
        """
        return not (
            self.new_failures
            or self.regressed
            or self.fixed
            or self.newly_waived
            or self.expired_waivers
            or self.expired_attestations
            or self.unverified
            or self.dropped
        )

    def counts(self) -> dict[str, int]:
        """Number of entries per list, in display order.

        Example: ``compare(None, r).counts()["new_failures"]`` is the number of failures in ``r``.
        """
        return {
            "new_failures": len(self.new_failures),
            "regressed": len(self.regressed),
            "fixed": len(self.fixed),
            "newly_waived": len(self.newly_waived),
            "expired_waivers": len(self.expired_waivers),
            "expired_attestations": len(self.expired_attestations),
            "unverified": len(self.unverified),
            "dropped": len(self.dropped),
        }


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True)

    standing: str
    severity: str
    detail: str
    title: str = ""


def _standings(results: Results | None) -> dict[Key, _Entry]:
    """Every (school, check, target) in ``results`` with its standing."""
    entries: dict[Key, _Entry] = {}
    if results is None:
        return entries
    for skipped in results.skipped:
        entries[(skipped.school, skipped.check, skipped.target)] = _Entry(
            standing=NOT_ASSESSED, severity="", detail=skipped.reason
        )
    for f in results.findings:
        entries[(f.school, f.check, f.target)] = _Entry(
            standing=f.status.value, severity=f.severity.value, detail=f.detail, title=f.title
        )
    return entries


def classify(before: str | None, after: str | None) -> str | None:
    """The :class:`Changes` list a ``before → after`` move belongs to, or ``None``.

    Example: ``classify("pass", "fail")`` is ``"regressed"``; ``classify("fail", "fail")`` is
    ``None``.
    """
    if before == after:
        return None
    if after == "fail":
        return "regressed" if before == "pass" else "new_failures"
    if after == "pass":
        return "fixed" if before in {"fail", "waived"} else None
    if after == "waived":
        return "newly_waived"
    if after in _NOT_JUDGED:
        return "unverified" if before in _JUDGED else None
    if after in _GONE and before == "fail":
        return "dropped"
    return None


def _severity_rank(value: str) -> int:
    try:
        return Severity(value).rank
    except ValueError:
        return -1


def _sorted(changes: Iterable[Change]) -> list[Change]:
    """Worst severity first, then school, check, target."""
    return sorted(changes, key=lambda c: (-_severity_rank(c.severity), c.school, c.check, c.target))


def _waiver_key(w: ExpiredWaiver) -> tuple[object, ...]:
    return (w.check, w.scope, w.name, w.approver, w.expires)


def _attestation_key(a: ExpiredAttestation) -> tuple[object, ...]:
    return (a.school, a.control, a.by, a.expires)


def _change(key: Key, old: _Entry | None, new: _Entry | None) -> Change:
    """A change record; severity and title from whichever side has them (current first)."""
    school, check, target = key
    detail = new.detail if new is not None else old.detail if old is not None else ""
    return Change(
        check=check,
        target=target,
        school=school,
        severity=(new.severity if new else "") or (old.severity if old else ""),
        before=old.standing if old else None,
        after=new.standing if new else None,
        detail=detail,
        title=(new.title if new else "") or (old.title if old else ""),
    )


def compare(previous: Results | None, current: Results) -> Changes:
    """Classify every (school, check, target) whose standing moved from ``previous`` to ``current``.

    Example: ``compare(None, current)`` lists every current failure as new.
    """
    before = _standings(previous)
    after = _standings(current)
    lists: dict[str, list[Change]] = {
        "new_failures": [],
        "regressed": [],
        "fixed": [],
        "newly_waived": [],
        "unverified": [],
        "dropped": [],
    }
    for key in after.keys() | before.keys():
        old, new = before.get(key), after.get(key)
        bucket = classify(old.standing if old else None, new.standing if new else None)
        if bucket is None:
            continue
        lists[bucket].append(_change(key, old, new))
    old_waivers = {_waiver_key(w) for w in previous.expired_waivers} if previous else set()
    old_attest = {_attestation_key(a) for a in previous.expired_attestations} if previous else set()
    return Changes(
        **{name: _sorted(items) for name, items in lists.items()},
        expired_waivers=[w for w in current.expired_waivers if _waiver_key(w) not in old_waivers],
        expired_attestations=[
            a for a in current.expired_attestations if _attestation_key(a) not in old_attest
        ],
        previous_scan=previous.scan.started.isoformat() if previous else None,
    )


def load_results(path: Path) -> Results:
    """Read and validate a results document (raises ``pydantic.ValidationError``, ``OSError``).

    Example: ``load_results(Path("results/example-trust/20260101T020000Z.json"))``
    """
    return Results.model_validate_json(path.read_bytes())
