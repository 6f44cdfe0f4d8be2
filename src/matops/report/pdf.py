"""PDF of each school's report for auditors (WeasyPrint): cover page, then numbered pages.

The HTML for each school is rendered here; WeasyPrint lays the schools out in one process pool
for the whole report, one worker per core this process may use, since layout is the slow part
and schools are independent. Each worker loads WeasyPrint and its fonts once, then lays out
school after school. The long lists (controls, what was not judged or not assessed, findings)
are blocks of lines rather than tables: WeasyPrint lays out a table row several times slower
than a line of text (measurements in docs/reports.md, "Speed").
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jinja2 import Environment

from matops.report.model import ControlView, Report
from matops.report.templates import environment
from matops.report.text import slug
from matops.scan.controls import ControlStatus

TEMPLATE = "school_pdf.html.j2"


def html_to_pdf(job: tuple[str, str]) -> str:
    """Write the PDF for one ``(html, path)`` job; return the path (runs in a worker)."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: only PDF needs it

    html, path = job
    HTML(string=html).write_pdf(path)
    return path


def cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - platforms without sched_getaffinity
        return max(1, os.cpu_count() or 1)


def workers(jobs: int) -> int:
    """Worker processes for ``jobs`` PDFs: one per usable core, at most one per job.

    >>> workers(1), workers(0)
    (1, 1)
    """
    return max(1, min(jobs, cores()))


def control_groups(
    controls: Sequence[ControlView],
) -> list[tuple[ControlStatus, str, list[ControlView]]]:
    """Controls grouped by status (heatmap order), then by identical verdict (first seen first).

    Every control keeps its own verdict: a group holds only controls whose verdict reads the
    same, so the PDF states it once for all of them.

    >>> from matops.scan.controls import ControlResult
    >>> def cv(i, status, checks):
    ...     r = ControlResult(id=i, title="t", automation="automated", status=status,
    ...                       checks=checks)
    ...     return ControlView("ce", "a", r, f"{status} {checks}", [], 0, [], [])
    >>> views = [cv("A", "not_met", {"fail": 1}), cv("B", "met", {"pass": 2}),
    ...          cv("C", "not_met", {"fail": 1}), cv("D", "met", {"pass": 1})]
    >>> [(s.value, [c.result.id for c in cs]) for s, _, cs in control_groups(views)]
    [('met', ['B']), ('met', ['D']), ('not_met', ['A', 'C'])]
    """
    groups: dict[tuple[ControlStatus, str], list[ControlView]] = {}
    for view in controls:
        groups.setdefault((view.result.status, view.verdict), []).append(view)
    order = {status: i for i, status in enumerate(ControlStatus)}
    ranked = sorted(groups.items(), key=lambda item: order[item[0][0]])  # stable: first seen
    return [(status, text, members) for (status, text), members in ranked]


def school_html(report: Report, env: Environment | None = None) -> list[tuple[str, str]]:
    """``(school id, HTML)`` for every school, as WeasyPrint will lay it out."""
    template = (env or environment()).get_template(TEMPLATE)
    return [
        (
            school.id,
            template.render(r=report, trust=report.trust, school=school, groups=control_groups),
        )
        for school in report.schools
    ]


def render_pdf(report: Report, out: Path, env: Environment | None = None) -> list[Path]:
    """``pdf/<school>.pdf`` for every school, laid out in one pool sized to the cores."""
    folder = out / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(html, str(folder / f"{slug(sid)}.pdf")) for sid, html in school_html(report, env)]
    if len(jobs) <= 1:
        return [Path(html_to_pdf(job)) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers(len(jobs))) as pool:
        return [Path(p) for p in pool.map(html_to_pdf, jobs)]
