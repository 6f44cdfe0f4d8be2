"""PDF of each school's report for auditors (WeasyPrint): cover page, then numbered pages.

The HTML for each school is rendered here; WeasyPrint lays the schools out in a process pool,
since layout is the slow part and schools are independent.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from jinja2 import Environment

from matops.report.model import Report
from matops.report.templates import environment
from matops.report.text import slug


def html_to_pdf(job: tuple[str, str]) -> str:
    """Write the PDF for one ``(html, path)`` job; return the path (runs in a worker)."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: only PDF needs it

    html, path = job
    HTML(string=html).write_pdf(path)
    return path


def workers(jobs: int) -> int:
    """Worker processes for ``jobs`` PDFs: one per CPU, at most one per job."""
    return max(1, min(jobs, os.cpu_count() or 1))


def render_pdf(report: Report, out: Path, env: Environment | None = None) -> list[Path]:
    """``pdf/<school>.pdf`` for every school."""
    template = (env or environment()).get_template("school_pdf.html.j2")
    folder = out / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [
        (
            template.render(r=report, trust=report.trust, school=school),
            str(folder / f"{slug(school.id)}.pdf"),
        )
        for school in report.schools
    ]
    if len(jobs) <= 1:
        return [Path(html_to_pdf(job)) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers(len(jobs))) as pool:
        return [Path(p) for p in pool.map(html_to_pdf, jobs)]
