"""The handbook's PDF edition (WeasyPrint): every trust page, then every school's page, in one
document with page numbers, for the governors' pack or a printed copy in the server room."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from matops.handbook.context import HandbookContext

PDF_NAME = "handbook.pdf"


def pdf_html(ctx: HandbookContext, chapters: list[tuple[str, Markup]]) -> str:
    """One HTML document of ``(title, body)`` chapters, each starting a new page."""
    return ctx.env.get_template("print.html.j2").render(ctx=ctx, chapters=chapters)


def write_pdf(ctx: HandbookContext, chapters: list[tuple[str, Markup]], path: Path) -> Path:
    """Lay the chapters out as a PDF at ``path``."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: only the PDF needs it

    HTML(string=pdf_html(ctx, chapters), base_url=str(path.parent)).write_pdf(str(path))
    return path
