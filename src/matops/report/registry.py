"""Report formats by name (an explicit registry) and the function that writes a whole report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from matops.report.formats import render_csv, render_json, render_junit, render_markdown
from matops.report.html import render_html
from matops.report.manifest import write_manifest
from matops.report.model import Report
from matops.report.pdf import render_pdf

Renderer = Callable[[Report, Path], list[Path]]

RENDERERS: dict[str, Renderer] = {
    "html": render_html,
    "pdf": render_pdf,
    "md": render_markdown,
    "json": render_json,
    "csv": render_csv,
    "junit": render_junit,
}
"""Format name → renderer writing its files under a folder."""


def parse_formats(values: Sequence[str]) -> list[str]:
    """Format names from comma-separated values; ``ValueError`` listing the valid ones.

    >>> parse_formats(["html,md", "json"])
    ['html', 'md', 'json']
    """
    names = [part.strip().lower() for v in values for part in v.split(",") if part.strip()]
    unknown = [n for n in names if n not in RENDERERS]
    if unknown:
        raise ValueError(f"unknown formats {unknown}; choose from {', '.join(RENDERERS)}")
    return list(dict.fromkeys(names))


def write_report(report: Report, out: Path, formats: Sequence[str]) -> list[Path]:
    """Write ``formats`` under ``out`` and the manifest last; return every file (manifest too)."""
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for name in formats:
        files += RENDERERS[name](report, out)
    return [*files, write_manifest(out, files)]
