"""Build the handbook site: one folder of self-contained HTML pages (CSS and SVG inline).

Pages are registered explicitly: a trust-wide page is a :class:`Page` in :data:`PAGES`, a section
of every school's page is a :class:`SchoolSection` in :data:`SCHOOL_SECTIONS`. Each renders an
HTML fragment from the :class:`HandbookContext`; the site wraps it in the shared layout and
navigation. Nothing registers itself on import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from matops.handbook import budget_page, changes, pages
from matops.handbook.context import HandbookContext as HandbookContext
from matops.handbook.drawio import to_drawio
from matops.handbook.pages import drawio_path, school_drawing_of, school_path
from matops.handbook.pdf import PDF_NAME, write_pdf
from matops.inventory.model import School
from matops.report.text import slug


@dataclass(frozen=True)
class Page:
    """A trust-wide page: ``<slug>.html`` at the top of the site, linked from every page."""

    slug: str
    title: str
    body: Callable[[HandbookContext], Markup]


@dataclass(frozen=True)
class SchoolSection:
    """A section of every school's page (``schools/<school>.html#<anchor>``)."""

    anchor: str
    title: str
    body: Callable[[HandbookContext, School], Markup]


PAGES: list[Page] = [
    Page("index", "Trust", pages.trust_index),
    Page("standards", "Standards position", pages.standards),
    Page("plan", "Five-year plan", budget_page.plan_page),
    Page("changes", "What changed", changes.changes_page),
    Page("baseline", "Baseline", pages.baseline),
    Page("runbooks", "Runbooks", pages.runbooks),
]
"""Trust-wide pages in navigation order; ``index`` first."""

SCHOOL_SECTIONS: list[SchoolSection] = [
    SchoolSection("drawing", "Network drawing", pages.school_drawing_section),
    SchoolSection("overview", "Network and devices", pages.school_overview),
    SchoolSection("credentials", "Where the credentials are kept", pages.school_credentials),
    SchoolSection("baseline", "Baseline", pages.school_baseline),
    SchoolSection("standards", "Standards position", pages.school_standards),
    SchoolSection("plan", "Five-year plan", budget_page.plan_section),
]
"""Sections of each school's page, in order."""


def _layout(ctx: HandbookContext, title: str, body: Markup, depth: int) -> str:
    return ctx.env.get_template("layout.html.j2").render(
        ctx=ctx, title=title, body=body, root="../" * depth, pages=PAGES
    )


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build_site(ctx: HandbookContext, out: Path, pdf: bool = False) -> list[Path]:
    """Write every page of the handbook under ``out`` (and with ``pdf`` its PDF edition,
    ``handbook.pdf``); return the files written."""
    chapters: list[tuple[str, Markup]] = []
    written = []
    for page in PAGES:
        body = page.body(ctx)
        chapters.append((page.title, body))
        written.append(_write(out / f"{slug(page.slug)}.html", _layout(ctx, page.title, body, 0)))
    for school in ctx.trust.schools:
        sections = Markup("").join(
            Markup('<section id="{}"><h2>{}</h2>\n{}</section>\n').format(
                s.anchor, s.title, s.body(ctx, school)
            )
            for s in SCHOOL_SECTIONS
        )
        chapters.append((school.info.name, sections))
        written.append(
            _write(out / school_path(school.id), _layout(ctx, school.info.name, sections, 1))
        )
        written.append(
            _write(out / drawio_path(school.id), to_drawio(school_drawing_of(ctx, school)))
        )
    if pdf:
        written.append(write_pdf(ctx, chapters, out / PDF_NAME))
    return written
