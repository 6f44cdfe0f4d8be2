"""The handbook's own pages and school sections (registered in :mod:`matops.handbook.site`)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from markupsafe import Markup

from matops.handbook.context import HandbookContext
from matops.handbook.credentials import credential_places
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
from matops.handbook.linkstyles import LINK_STYLES, legend_states
from matops.handbook.neighbours import compare_neighbours
from matops.handbook.runbooks import RUNBOOKS, command, commands_used
from matops.handbook.standards import CORE_YEAR, control_rows, counts
from matops.inventory.model import School
from matops.report.text import slug
from matops.scan.controls import ControlStatus


def school_path(school_id: str) -> str:
    """Where a school's page is, from the top of the site.

    >>> school_path("oakfield-primary")
    'schools/oakfield-primary.html'
    """
    return f"schools/{slug(school_id)}.html"


def drawio_path(school_id: str) -> str:
    """Where a school's draw.io file is, from the top of the site.

    >>> drawio_path("oakfield-primary")
    'schools/oakfield-primary.drawio'
    """
    return f"schools/{slug(school_id)}.drawio"


def control_anchor(control_id: str) -> str:
    """The id of a control's row on a school page.

    >>> control_anchor("DFE-CYBER-03.2")
    'c-DFE-CYBER-03_2'
    """
    return "c-" + slug(control_id).replace(".", "_")


OFFLINE_RESULTS = "LLDP neighbours were not read: the results given are from an offline scan."


def school_drawing_of(ctx: HandbookContext, school: School) -> Drawing:
    """The school's drawing, coloured by the latest results when given, its uplinks compared
    with the LLDP neighbours of a live scan's results (:mod:`matops.handbook.neighbours`)."""
    results = ctx.results
    drawing = school_drawing(school, results.findings if results else ())
    if results is None:
        return compare_neighbours(school, drawing, None)
    if results.scan.mode != "live":
        return compare_neighbours(school, drawing, None, OFFLINE_RESULTS)
    return compare_neighbours(school, drawing, results.neighbours)


def trust_index(ctx: HandbookContext) -> Markup:
    """The trust's front page: schools and trust services."""
    return ctx.render("index.html.j2")


def baseline(ctx: HandbookContext) -> Markup:
    """The trust's baseline in plain words, and what every kind of device is held to."""
    by_area: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for check_id, check in sorted(ctx.catalogue.checks.items()):
        meta = check.meta
        fix = meta.remediation.role or meta.remediation.network_template or "by hand"
        by_area[meta.area.value].append((check_id, meta.title, fix))
    return ctx.render("baseline.html.j2", by_area=dict(sorted(by_area.items())))


def runbooks(ctx: HandbookContext) -> Markup:
    """The runbooks, each step linked to its command's entry on the same page."""
    return ctx.render("runbooks.html.j2", runbooks=RUNBOOKS, command=command, used=commands_used())


def standards(ctx: HandbookContext) -> Markup:
    """The standards position of every school, framework by framework."""
    schools = [s.id for s in ctx.trust.schools]
    tables = [(fw, control_rows(fw, ctx.results, schools)) for fw in ctx.frameworks]
    return ctx.render(
        "standards.html.j2",
        tables=tables,
        counts=counts,
        statuses=list(ControlStatus),
        anchor=control_anchor,
        school_path=school_path,
        core_year=CORE_YEAR,
    )


def school_drawing_section(ctx: HandbookContext, school: School) -> Markup:
    """The school's network drawing (inline SVG) and its draw.io file."""
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
        differences=drawing.differences,
        notes=drawing.notes,
        lines=[LINK_STYLES[s] for s in legend_states(drawing)],
    )


def school_overview(ctx: HandbookContext, school: School) -> Markup:
    """The VLAN and addressing plan and the managed devices."""
    return ctx.render("school_overview.html.j2", school=school)


def school_credentials(ctx: HandbookContext, school: School) -> Markup:
    """Where the school's credentials are kept (names only)."""
    return ctx.render("school_credentials.html.j2", places=credential_places(ctx.trust, school))


def school_baseline(ctx: HandbookContext, school: School) -> Markup:
    """What the school's kit is set to, in plain words (the trust-wide part on its own page)."""
    return ctx.render("school_baseline.html.j2", school=school)


def school_standards(ctx: HandbookContext, school: School) -> Markup:
    """The school's position against every framework in scope."""
    tables = [(fw, control_rows(fw, ctx.results, [school.id])) for fw in ctx.frameworks]
    return ctx.render(
        "school_standards.html.j2",
        school=school,
        tables=tables,
        counts=counts,
        statuses=list(ControlStatus),
        anchor=control_anchor,
    )
