"""The handbook's five-year plan: pure render helpers (HTML tables and an inline SVG bar chart)
over a :class:`~matops.handbook.budget.BudgetPlan`, and the page and school section the site
registers (:func:`plan_page`, :func:`plan_section`).

Everything is escaped as it is written (markupsafe); the chart is plain SVG with its numbers as
text, so it reads without a script or an external resource.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from markupsafe import Markup

from matops.handbook.budget import (
    DFE_MINIMUMS,
    BudgetPlan,
    YearTotal,
    plan_for,
)
from matops.inventory.model import AssetType, School

if TYPE_CHECKING:
    from matops.handbook.site import HandbookContext

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 16, 16, 40, 56
BAR = "#2f6f9f"


def money(value: Decimal) -> str:
    """Pounds, whole, with thousands separators.

    >>> money(Decimal("74020.4")), money(Decimal("0"))
    ('£74,020', '£0')
    """
    return f"£{value.quantize(Decimal(1)):,}"


def _count_words(total: YearTotal) -> str:
    words = f"{total.count} item{'s' if total.count != 1 else ''}"
    return words + (f", {total.unpriced} unpriced" if total.unpriced else "")


def budget_chart_svg(totals: Sequence[YearTotal], title: str) -> Markup:
    """A bar per financial year, its cost above it and its item count below the year.

    >>> svg = budget_chart_svg([YearTotal("2026-27", 2, Decimal(990), 0)], "Oak & Ash")
    >>> svg.startswith("<svg") and "£990" in svg and "Oak &amp; Ash" in svg
    True
    """
    top = max((t.cost for t in totals), default=Decimal(0))
    slot = (WIDTH - LEFT - RIGHT) / max(len(totals), 1)
    floor = HEIGHT - BOTTOM
    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="plan-chart" role="img" '
            'width="{w}" height="{h}" viewBox="0 0 {w} {h}" aria-label="{t}">'
            '<title>{t}</title><rect width="{w}" height="{h}" fill="#ffffff"/>'
            '<text x="{x}" y="22" font-size="15" font-weight="bold">{t}</text>'
            '<line x1="{x}" y1="{f}" x2="{r}" y2="{f}" stroke="#555555"/>'
        ).format(w=WIDTH, h=HEIGHT, t=title, x=LEFT, f=floor, r=WIDTH - RIGHT)
    ]
    for n, total in enumerate(totals):
        height = 0.0 if top == 0 else float(total.cost / top) * (floor - TOP - 20)
        x = LEFT + n * slot + slot * 0.2
        middle = LEFT + n * slot + slot / 2
        parts.append(
            Markup(
                '<rect x="{x:.1f}" y="{y:.1f}" width="{bw:.1f}" height="{bh:.1f}" fill="{c}">'
                "<title>{year}: {cost}, {words}</title></rect>"
                '<text x="{m:.1f}" y="{ty:.1f}" font-size="12" text-anchor="middle">{cost}</text>'
                '<text x="{m:.1f}" y="{yy}" font-size="12" text-anchor="middle">{year}</text>'
                '<text x="{m:.1f}" y="{wy}" font-size="11" text-anchor="middle" '
                'fill="#555555">{words}</text>'
            ).format(
                x=x, y=floor - height, bw=slot * 0.6, bh=height, c=BAR, m=middle,
                ty=floor - height - 6, cost=money(total.cost), year=total.year,
                words=_count_words(total), yy=floor + 18, wy=floor + 36,
            )
        )  # fmt: skip
    if top == 0:
        parts.append(
            Markup('<text x="{x}" y="{y}" font-size="13">Nothing priced falls due.</text>').format(
                x=LEFT + 8, y=floor - 30
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _years_table(plan: BudgetPlan, names: Mapping[str, str]) -> Markup:
    head = Markup("").join(Markup("<th>{}</th>").format(y) for y in plan.years)
    rows = [Markup("<tr><th>School</th>{}<th>Later</th><th>No date</th></tr>").format(head)]
    for school in plan.schools:
        cells = Markup("").join(
            Markup("<td>{}<br><small>{}</small></td>").format(money(t.cost), _count_words(t))
            for t in school.years
        )
        rows.append(
            Markup("<tr><td>{}</td>{}<td>{}</td><td>{}</td></tr>").format(
                names.get(school.school, school.school), cells, school.later, school.undated
            )
        )
    totals = Markup("").join(
        Markup("<td><strong>{}</strong><br><small>{}</small></td>").format(
            money(t.cost), _count_words(t)
        )
        for t in plan.trust
    )
    later = sum(s.later for s in plan.schools)
    undated = sum(s.undated for s in plan.schools)
    rows.append(
        Markup("<tr><th>Trust</th>{}<td>{}</td><td>{}</td></tr>").format(totals, later, undated)
    )
    return Markup('<table class="plan">{}</table>').format(Markup("\n").join(rows))


def minimums_html(types: Sequence[str]) -> Markup:
    """What a replacement of each type must meet (the DfE standards), for the types given.

    >>> "DFE-DEV-03.5" in minimums_html(["tablet"])
    True
    """
    blocks = []
    for kind in sorted(set(types)):
        found = DFE_MINIMUMS.get(AssetType(kind), ())
        if not found:
            continue
        items = Markup("").join(
            Markup("<li>{} <small>({})</small></li>").format(m.requirement, m.standard)
            for m in found
        )
        blocks.append(Markup("<h4>{}</h4><ul>{}</ul>").format(kind.replace("_", " "), items))
    return Markup("\n").join(blocks)


def trust_chart(plan: BudgetPlan) -> Markup:
    """The trust's chart, as the plan page shows it (and the README's picture is)."""
    first = plan.years[0] if plan.years else ""
    return budget_chart_svg(plan.trust, f"Trust: replacements by financial year from {first}")


def trust_plan_html(plan: BudgetPlan, names: Mapping[str, str] | None = None) -> Markup:
    """The board's view: the trust's chart, every school's totals per year (``names``: school
    id to the name shown), the minimums."""
    first = plan.years[0] if plan.years else ""
    parts = [
        Markup(
            "<p>What must be replaced in each academy financial year (1 September to 31 "
            "August) from {first}, and what it will cost: {total} over {n} years. A device is "
            "due when its support ends or when it reaches the trust's refresh age for its "
            "kind, whichever comes first; anything already due is counted in {first}. Prices "
            "come from the trust's price list (by model, then the asset's own cost in the "
            "register, then by kind).</p>"
        ).format(first=first, total=money(plan.total), n=len(plan.years)),
        trust_chart(plan),
        _years_table(plan, names or {}),
        Markup('<h3 id="minimums">What replacements must meet</h3>'),
        minimums_html(sorted({r.type for r in plan.replacements})),
    ]
    return Markup("\n").join(parts)


def school_plan_html(plan: BudgetPlan, school: str, name: str) -> Markup:
    """A school's chart and its procurement lines (year, kind, model, count, price)."""
    own = next((s for s in plan.schools if s.school == school), None)
    if own is None:
        return Markup("<p>No asset register for this school.</p>")
    rows = [
        Markup(
            "<tr><th>Year</th><th>Kind</th><th>Model</th><th>Count</th><th>Unit price</th>"
            "<th>Cost</th><th>Price from</th></tr>"
        )
    ]
    for line in (p for p in plan.procurement if p.school == school):
        unit = money(line.unit_price) if line.unit_price is not None else "no price"
        rows.append(
            Markup(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                "<td>{}</td></tr>"
            ).format(
                line.year, line.type, line.model, line.count, unit, money(line.cost),
                line.price_source,
            )
        )  # fmt: skip
    overdue = sum(1 for r in plan.replacements if r.school == school and r.overdue)
    note = Markup(
        "<p>{overdue} already overdue (counted in the first year); {later} due after "
        "{last}; {undated} with neither an end of support nor a purchase date to go by.</p>"
    ).format(overdue=overdue, later=own.later, last=plan.years[-1], undated=own.undated)
    return Markup("\n").join(
        [
            budget_chart_svg(own.years, f"{name}: replacements by financial year"),
            note,
            Markup('<table class="plan">{}</table>').format(Markup("\n").join(rows)),
        ]
    )


def plan_page(ctx: HandbookContext) -> Markup:
    """The trust-wide "Five-year plan" page (register as a ``Page``)."""
    names = {s.id: s.info.name for s in ctx.trust.schools}
    return trust_plan_html(plan_for(ctx.root, ctx.trust, ctx.built), names)


def plan_section(ctx: HandbookContext, school: School) -> Markup:
    """A school's "Five-year plan" section (register as a ``SchoolSection``)."""
    plan = plan_for(ctx.root, ctx.trust, ctx.built)
    return school_plan_html(plan, school.id, school.info.name)
