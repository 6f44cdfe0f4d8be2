"""What every handbook page is rendered from, and the handbook's Jinja2 environment.

Templates live in ``src/matops/handbook/templates/`` (packaged with matops); the stylesheet is the
reports' own (``reports/templates/style.css.j2``), so the handbook reads like the reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from matops.inventory.model import Trust
from matops.report.templates import clean, status_label, templates_root
from matops.report.text import slug
from matops.scan.catalogue import Catalogue, load_catalogue
from matops.scan.frameworks import Framework, in_scope, load_frameworks
from matops.scan.results import Results

TEMPLATES = Path(__file__).parent / "templates"


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


@dataclass(frozen=True)
class HandbookContext:
    """Everything a page is rendered from."""

    root: Path
    """The trust's inventory folder (for files beside the model, such as a price list)."""
    trust: Trust
    results: Results | None = None
    """The latest scan's results; ``None``: the standards position reads "not assessed"."""
    built: date = field(default_factory=date.today)
    since: date | None = None
    """First day of the "What changed" period (``None``: a year before ``built``); the period
    ends on ``built``."""
    env: Environment = field(default_factory=environment)

    def render(self, template: str, **values: object) -> Markup:
        """Render one of the handbook's templates (autoescaped) as a fragment."""
        # the environment autoescapes every .html.j2 template: its output is safe HTML
        return Markup(self.env.get_template(template).render(ctx=self, **values))  # noqa: S704

    @cached_property
    def catalogue(self) -> Catalogue:
        """The check catalogue (``checks/``)."""
        return load_catalogue()

    @cached_property
    def frameworks(self) -> list[Framework]:
        """The frameworks the trust puts in scope, in display order."""
        loaded, _ = load_frameworks(self.catalogue.root / "frameworks", set(self.catalogue.checks))
        return [loaded[name] for name in in_scope(self.trust.settings.frameworks, loaded)]
