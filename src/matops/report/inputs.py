"""Everything a report is built from, read from disk: results, catalogue, frameworks, register."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from matops import __version__
from matops.inventory import load
from matops.inventory.model import Asset
from matops.report.build import build_report, check_infos
from matops.report.compare import compare, load_results
from matops.report.model import Report
from matops.scan.catalogue import load_catalogue
from matops.scan.frameworks import load_frameworks
from matops.scan.results import Results


@dataclass(frozen=True)
class Inputs:
    """The report's sources: current and previous results and the inventory to read the register."""

    results: Results
    previous: Results | None = None
    inventory: Path | None = None
    """The trust folder (default: the results' inventory path, when it exists)."""


def read_registers(root: Path | None) -> dict[str, Sequence[Asset]] | None:
    """school → asset rows from the trust at ``root``; ``None`` when it cannot be loaded."""
    if root is None or not root.is_dir():
        return None
    loaded = load(root)
    if loaded.trust is None:
        return None
    return {s.id: s.assets for s in loaded.trust.schools}


def make_report(inputs: Inputs, now: datetime | None = None) -> Report:
    """Load the catalogue, frameworks and register, compare with the previous results, build."""
    catalogue = load_catalogue()
    frameworks, _ = load_frameworks(catalogue.root / "frameworks", set(catalogue.checks))
    root = inputs.inventory or Path(inputs.results.inventory.path)
    return build_report(
        inputs.results,
        check_infos(catalogue),
        frameworks,
        read_registers(root),
        compare(inputs.previous, inputs.results),
        has_previous=inputs.previous is not None,
        generated=(now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        tool_version=__version__,
    )


def read_inputs(results: Path, previous: Path | None, inventory: Path | None) -> Inputs:
    """Read the results documents (raises ``OSError`` or ``pydantic.ValidationError``)."""
    return Inputs(
        load_results(results),
        load_results(previous) if previous is not None else None,
        inventory,
    )
