"""The Jinja2 environment for ``reports/templates/`` (autoescaped HTML, strict undefined)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from matops.facts.redaction import redact_message
from matops.report.model import STATUS_LABELS
from matops.report.tenants import BAR_WIDTH, coverage_bars
from matops.report.text import slug
from matops.scan.controls import ControlStatus


def templates_root() -> Path:
    """``MATOPS_REPORT_TEMPLATES``, or ``reports/templates`` of the source tree, or ``./``."""
    if env := os.environ.get("MATOPS_REPORT_TEMPLATES"):
        return Path(env)
    source = Path(__file__).resolve().parents[3] / "reports" / "templates"
    return source if source.is_dir() else Path("reports/templates")


@lru_cache(maxsize=65536)
def _redact(text: str) -> str:
    return redact_message(text)


def clean(value: object) -> str:
    """Text safe to publish: secrets redacted (defence in depth: evidence is redacted already).

    >>> clean("snmp-server community s3cret RO"), clean("radius-server key 0 K3y!")
    ('snmp-server community <redacted> RO', 'radius-server key 0 <redacted>')
    """
    return _redact(str(value))


def one_line(value: object) -> str:
    """Text on one line (for the PDF's lists, one entry a line), secrets redacted.

    >>> one_line("unreachable:\\n  timed out")
    'unreachable: timed out'
    """
    return " ".join(clean(value).split())


def md_cell(value: object) -> str:
    """Text for a Markdown table cell: one line, pipes escaped, secrets redacted.

    >>> md_cell("a|b\\nc")
    'a\\\\|b c'
    """
    return one_line(value).replace("|", "\\|")


def status_label(value: object) -> str:
    """A control status as people read it.

    >>> status_label("partly_met")
    'partly met'
    """
    try:
        return STATUS_LABELS[ControlStatus(str(value))]
    except ValueError:
        return str(value).replace("_", " ")


@lru_cache(maxsize=4)
def environment(root: Path | None = None) -> Environment:
    """The shared environment; HTML templates (``*.html.j2``) are autoescaped."""
    env = Environment(
        loader=FileSystemLoader(str(root or templates_root())),
        autoescape=select_autoescape(enabled_extensions=("html.j2", "svg.j2"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["clean"] = clean
    env.filters["md"] = md_cell
    env.filters["oneline"] = one_line
    env.filters["label"] = status_label
    env.filters["slug"] = slug
    env.globals["bars"] = coverage_bars
    env.globals["bar_width"] = BAR_WIDTH
    env.globals["STATUSES"] = [s.value for s in ControlStatus]
    env.globals["SEVERITIES"] = ["critical", "high", "medium", "low", "info"]
    return env
