"""The standards position per school and for the trust, from the latest results (never re-judged).

Each control's status in each school is the scan's own (``Results.controls``, decided by
:mod:`matops.scan.controls` from findings, attestations and waivers). Without results, or for a
control the scan did not report, the position is "not assessed". What is missing is said in the
reports' words (:func:`matops.report.text.verdict`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from matops.report.text import verdict
from matops.scan.controls import ControlResult, ControlStatus
from matops.scan.frameworks import Control, Framework
from matops.scan.results import Results

CORE_AREAS = {"dfe_standards": frozenset({"BB", "WL", "SW", "CYBER", "FM", "DLG"})}
"""The DfE's six core standards (broadband, wireless, switching, cyber security, filtering and
monitoring, digital leadership and governance), by area code: every school should be working
towards meeting them by 2030 (/work/shared/reference/standards.md, section 1)."""
CORE_YEAR = 2030


@dataclass(frozen=True)
class Position:
    """One control in one school: its status and, when it is not met, what is missing."""

    result: ControlResult
    missing: str


@dataclass(frozen=True)
class ControlRow:
    """A control with its position in every school."""

    control: Control
    area_name: str
    core: bool
    schools: dict[str, Position]

    @property
    def due(self) -> str:
        """By when, in plain words: the standard's own moment (``when`` in the framework file)
        and, for a core standard, the national date by which it should be met at the latest."""
        parts = [self.control.when.words] if self.control.when else []
        if self.core:
            parts.append(f"core standard: by {CORE_YEAR} at the latest")
        return "; ".join(parts)


def _not_assessed(control: Control) -> ControlResult:
    return ControlResult(
        id=control.id,
        title=control.title,
        automation=control.status,
        status=ControlStatus.NOT_ASSESSED,
        checks={},
    )


def _position(result: ControlResult, assessed: bool) -> Position:
    if result.status is ControlStatus.MET:
        return Position(result, "")
    if not assessed:
        return Position(result, "Not assessed: no scan results were given to the handbook.")
    return Position(result, verdict(result))


def control_rows(
    framework: Framework, results: Results | None, schools: list[str]
) -> list[ControlRow]:
    """Every control of ``framework`` with each school's position, in the framework's order."""
    rows = []
    core = CORE_AREAS.get(framework.framework, frozenset())
    for control in framework.controls:
        positions = {}
        for school in schools:
            found = {} if results is None else results.controls.get(school, {})
            reported = {r.id: r for r in found.get(framework.framework, [])}
            result = reported.get(control.id) or _not_assessed(control)
            positions[school] = _position(result, results is not None)
        rows.append(
            ControlRow(
                control,
                framework.areas.get(control.area, control.area),
                control.area in core,
                positions,
            )
        )
    return rows


def counts(rows: list[ControlRow], school: str | None = None) -> dict[str, int]:
    """Controls per status (every status listed, zeros kept), for one school or all together.

    >>> from matops.scan.frameworks import Control
    >>> c = Control(id="CE-FW-01", title="Firewall on", status="manual")
    >>> r = ControlResult(id="CE-FW-01", title="x" * 5, automation="manual", status="met",
    ...                   checks={})
    >>> counts([ControlRow(c, "Firewalls", False, {"oak": Position(r, "")})])["met"]
    1
    """
    tally = Counter(
        p.result.status.value
        for row in rows
        for name, p in row.schools.items()
        if school is None or name == school
    )
    return {s.value: tally.get(s.value, 0) for s in ControlStatus}
