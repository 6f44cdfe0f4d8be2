"""Build the handbook site: one folder of self-contained HTML pages (CSS and SVG inline).

Pages are registered explicitly: a trust-wide page is a :class:`Page` in :data:`PAGES`, a section
of every school's page is a :class:`SchoolSection` in :data:`SCHOOL_SECTIONS`. Each renders an
HTML fragment from the :class:`HandbookContext`; the site wraps it in the shared layout and
navigation. Nothing registers itself on import.

Templates live in ``src/matops/handbook/templates/`` (packaged with matops); the stylesheet is
the reports' own (``reports/templates/style.css.j2``) so the handbook reads like the reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from matops.handbook.drawing import (
    COLOURS,
    HEALTH_WORDS,
    Drawing,
    Health,
    missing_from,
    registered_access_points,
    school_drawing,
    to_svg,
)
from matops.handbook.drawio import to_drawio
from matops.inventory.model import School, Trust
from matops.report.templates import clean, status_label, templates_root
from matops.report.text import slug
from matops.scan.results import Results

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class HandbookContext:
    """Everything a page is rendered from."""

    root: Path
    """The trust's inventory folder (for files beside the model, such as a price list)."""
    trust: Trust
    results: Results | None = None
    """The latest scan's results; ``None``: the standards position reads "not assessed"."""
    built: date = field(default_factory=date.today)
    env: Environment = field(default_factory=lambda: environment())

    def render(self, template: str, **values: object) -> Markup:
        """Render one of the handbook's templates (autoescaped) as a fragment."""
        # the environment autoescapes every .html.j2 template: its output is safe HTML
        return Markup(self.env.get_template(template).render(ctx=self, **values))  # noqa: S704


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


def environment() -> Environment:
    """Handbook templates first, then the reports' (for the shared stylesheet)."""
    env = Environment(
        loader=ChoiceLoader(
            [FileSystemLoader(str(TEMPLATES)), FileSystemLoader(str(templates_root()))]
        ),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["clean"] = clean
    env.filters["label"] = status_label
    env.filters["slug"] = slug
    return env


def _index(ctx: HandbookContext) -> Markup:
    return ctx.render("index.html.j2")


def _school_overview(ctx: HandbookContext, school: School) -> Markup:
    return ctx.render("school_overview.html.j2", school=school)


def school_drawing_of(ctx: HandbookContext, school: School) -> Drawing:
    """The school's drawing, coloured by the latest results when given."""
    return school_drawing(school, ctx.results.findings if ctx.results else ())


def drawio_path(school_id: str) -> str:
    """Where a school's draw.io file is, from the top of the site.

    >>> drawio_path("oakfield-primary")
    'schools/oakfield-primary.drawio'
    """
    return f"schools/{slug(school_id)}.drawio"


def _school_drawing(ctx: HandbookContext, school: School) -> Markup:
    drawing = school_drawing_of(ctx, school)
    return ctx.render(
        "school_drawing.html.j2",
        school=school,
        # graphviz escapes every label it writes into the SVG
        svg=Markup(to_svg(drawing)),  # noqa: S704
        missing=missing_from(school, drawing),
        drawio=Path(drawio_path(school.id)).name,
        access_points=registered_access_points(school),
        colours=[(COLOURS[h], HEALTH_WORDS[h]) for h in Health],
    )


PAGES: list[Page] = [
    Page("index", "Trust", _index),
]
"""Trust-wide pages in navigation order; ``index`` first."""

SCHOOL_SECTIONS: list[SchoolSection] = [
    SchoolSection("drawing", "Network drawing", _school_drawing),
    SchoolSection("overview", "Network and devices", _school_overview),
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


def school_path(school_id: str) -> str:
    """Where a school's page is, from the top of the site.

    >>> school_path("oakfield-primary")
    'schools/oakfield-primary.html'
    """
    return f"schools/{slug(school_id)}.html"


def build_site(ctx: HandbookContext, out: Path) -> list[Path]:
    """Write every page of the handbook under ``out``; return the files written."""
    written = [
        _write(out / f"{slug(page.slug)}.html", _layout(ctx, page.title, page.body(ctx), 0))
        for page in PAGES
    ]
    for school in ctx.trust.schools:
        sections = Markup("").join(
            Markup('<section id="{}"><h2>{}</h2>\n{}</section>\n').format(
                s.anchor, s.title, s.body(ctx, school)
            )
            for s in SCHOOL_SECTIONS
        )
        written.append(
            _write(out / school_path(school.id), _layout(ctx, school.info.name, sections, 1))
        )
        written.append(
            _write(out / drawio_path(school.id), to_drawio(school_drawing_of(ctx, school)))
        )
    return written
