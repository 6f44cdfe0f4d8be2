"""Attestations (``inventories/<trust>/attestations/<school>.yml``): evidence for manual controls.

::

    attestations:
      - control: DFE-CYBER-01.1
        statement: Cyber risk assessment reviewed by the SLT digital lead and the trust board
        evidence: "SharePoint: Governance/Cyber/2026-27 risk assessment.pdf"
        by: Hannah Okafor (SLT digital lead)
        date: 2026-09-18
        expires: 2027-09-18

An attestation counts from ``date`` until ``expires``; expired ones are reported and do not count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from matops.source.problems import Problem
from matops.source.pydantic_errors import validate_list_file


class Attestation(BaseModel):
    """A signed statement that a manual control is in place, with where the evidence is."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    control: str
    statement: Annotated[str, StringConstraints(min_length=10)]
    evidence: Annotated[str, StringConstraints(min_length=3)]
    by: Annotated[str, StringConstraints(min_length=3)]
    date: dt.date
    expires: dt.date

    @model_validator(mode="after")
    def _expires_after_date(self) -> Attestation:
        if self.expires < self.date:
            raise ValueError(f"expires {self.expires} is before date {self.date}")
        return self

    def valid_on(self, day: dt.date) -> bool:
        """Whether the attestation counts on ``day``."""
        return self.date <= day <= self.expires


class _AttestationFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    attestations: list[Attestation] = Field(default_factory=list)


@dataclass(frozen=True)
class LocatedAttestation:
    """An attestation with its school, file and line."""

    school: str
    attestation: Attestation
    path: Path
    line: int


def _load_file(path: Path, controls: set[str]) -> tuple[list[LocatedAttestation], list[Problem]]:
    content, lines, problems = validate_list_file(_AttestationFile, path, "attestations")
    if content is None:
        return [], problems
    found = []
    for attestation, line in zip(content.attestations, lines, strict=True):
        if attestation.control not in controls:
            problems.append(Problem(path, line, f"unknown control {attestation.control!r}"))
        found.append(LocatedAttestation(path.stem, attestation, path, line))
    return found, problems


def load_attestations(
    folder: Path, schools: set[str], controls: set[str]
) -> tuple[list[LocatedAttestation], list[Problem]]:
    """Read every ``<school>.yml`` in ``folder``; unknown schools and controls are problems."""
    if not folder.is_dir():
        return [], []
    found: list[LocatedAttestation] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.y*ml")):
        if path.stem not in schools:
            problems.append(Problem(path, 1, f"no school {path.stem!r} in this trust"))
            continue
        items, file_problems = _load_file(path, controls)
        found += items
        problems += file_problems
    return found, problems
