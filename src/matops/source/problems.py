"""Problems found while loading or validating a file, reported as ``path:line: message``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """How bad a problem is: errors make ``validate`` exit 2, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, with the line (YAML) or row (CSV) it is on.

    >>> str(Problem(Path("schools/a.yml"), 12, "VLAN id 5000 is outside 1-4094"))
    'schools/a.yml:12: VLAN id 5000 is outside 1-4094'
    """

    path: Path
    line: int
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


class ProblemsError(Exception):
    """A source (inventory, catalogue, waivers…) cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
