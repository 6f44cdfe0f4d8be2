"""HTML pages: trust overview, one page per school, one per target, asset lifecycle.

Every page is self-contained: CSS inline, charts as inline SVG, no external resource, readable
without JavaScript (a few lines of inline script only add a filter).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from matops.report.model import LifecycleBand, Report
from matops.report.templates import environment
from matops.report.text import slug


@dataclass(frozen=True)
class Bar:
    """One school's lifecycle bar: segment widths in chart units."""

    school: str
    segments: list[tuple[str, int, float, float]]
    """(band label, count, x, width)."""
    total: int


CHART_WIDTH = 520.0
BANDS = (("already ended", "already"), ("0–12 months", "m12"), ("12–24", "m24"), ("24–36", "m36"))


def lifecycle_bars(bands: list[LifecycleBand], measure: str) -> list[Bar]:
    """Stacked bars (already ended, then each 12-month band) scaled to one width.

    >>> b = LifecycleBand(school="oak", measure="support", already=1, within_12=2, within_24=2,
    ...                   within_36=4, unknown=0)
    >>> [(s[0], s[1]) for s in lifecycle_bars([b], "support")[0].segments]
    [('already ended', 1), ('0–12 months', 2), ('12–24', 0), ('24–36', 2)]
    """
    rows = [b for b in bands if b.measure == measure]
    counts = {
        b.school: [
            b.already,
            b.within_12,
            b.within_24 - b.within_12,
            b.within_36 - b.within_24,
        ]
        for b in rows
    }
    biggest = max((sum(c) for c in counts.values()), default=0) or 1
    bars = []
    for school, values in counts.items():
        x, segments = 0.0, []
        for (label, _), n in zip(BANDS, values, strict=True):
            width = CHART_WIDTH * n / biggest
            segments.append((label, n, round(x, 1), round(width, 1)))
            x += width
        bars.append(Bar(school, segments, sum(values)))
    return bars


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _common(report: Report, depth: int) -> dict[str, object]:
    # target pages link back to their school only: the page count grows with schools already
    nav = [s.id for s in report.schools] if depth < 2 else []
    return {"r": report, "root": "../" * depth, "trust": report.trust, "nav": nav}


def render_html(report: Report, out: Path, env: Environment | None = None) -> list[Path]:
    """Write every HTML page under ``out``; return the files written."""
    env = env or environment()
    written = [
        _write(
            out / "index.html",
            env.get_template("overview.html.j2").render(**_common(report, 0)),
        ),
        _write(
            out / "lifecycle.html",
            env.get_template("lifecycle.html.j2").render(
                **_common(report, 0),
                support=lifecycle_bars(report.lifecycle, "support"),
                warranty=lifecycle_bars(report.lifecycle, "warranty"),
                chart_width=CHART_WIDTH,
            ),
        ),
    ]
    school_page = env.get_template("school.html.j2")
    target_page = env.get_template("target.html.j2")
    for school in report.schools:
        written.append(
            _write(
                out / "schools" / f"{slug(school.id)}.html",
                school_page.render(**_common(report, 1), school=school),
            )
        )
        for target in school.targets:
            written.append(
                _write(
                    out / "targets" / slug(school.id) / f"{target.slug}.html",
                    target_page.render(**_common(report, 2), school=school, target=target),
                )
            )
    return written
