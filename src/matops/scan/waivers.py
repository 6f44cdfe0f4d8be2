"""Waivers (``inventories/<trust>/waivers.yml``): accepted risks with an approver and an expiry.

A valid waiver turns a matching failure into ``waived`` (still listed, with the reason). An
expired waiver leaves the failure standing, marks it, and is itself reported (scan exit 1)::

    waivers:
      - check: switch_firmware_minimum
        scope: target            # trust | school | group | target
        name: oak-sw02           # the school, Ansible group or target (asset tag); not for trust
        reason: Replacement switch ordered; installed over the February half-term
        approver: Hannah Okafor (SLT digital lead)
        expires: 2027-02-28
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from matops.inventory.loader import KIND_GROUPS
from matops.scan.model import Finding, Status, WaiverRef
from matops.source.problems import Problem
from matops.source.pydantic_errors import validate_list_file

GROUP_OF_KIND = {kind: group for group, kind in KIND_GROUPS.items()}


class Scope(StrEnum):
    """How wide a waiver reaches."""

    TRUST = "trust"
    SCHOOL = "school"
    GROUP = "group"
    TARGET = "target"


class Waiver(BaseModel):
    """One accepted risk."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    check: str
    scope: Scope
    name: str | None = None
    reason: Annotated[str, StringConstraints(min_length=10)]
    approver: Annotated[str, StringConstraints(min_length=3)]
    expires: date

    @model_validator(mode="after")
    def _name_matches_scope(self) -> Waiver:
        if (self.scope is Scope.TRUST) != (self.name is None):
            raise ValueError(
                "name is required for school/group/target scope and not allowed for trust"
            )
        return self

    def ref(self, expired: bool) -> WaiverRef:
        """The reference stored on a finding."""
        return WaiverRef(
            scope=self.scope.value,
            name=self.name,
            reason=self.reason,
            approver=self.approver,
            expires=self.expires,
            expired=expired,
        )


class _WaiverFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    waivers: list[Waiver] = Field(default_factory=list)


@dataclass(frozen=True)
class LocatedWaiver:
    """A waiver with the file and line it was written on."""

    waiver: Waiver
    path: Path
    line: int

    def __str__(self) -> str:
        w = self.waiver
        where = w.scope.value if w.name is None else f"{w.scope.value} {w.name}"
        return f"{self.path}:{self.line}: waiver for {w.check} ({where}) expired on {w.expires}"


def load_waivers(path: Path, check_ids: set[str]) -> tuple[list[LocatedWaiver], list[Problem]]:
    """Read a waivers file (absent = no waivers); problems carry file and line."""
    if not path.is_file():
        return [], []
    content, lines, problems = validate_list_file(_WaiverFile, path, "waivers")
    if content is None:
        return [], problems
    located = [LocatedWaiver(w, path, line) for w, line in zip(content.waivers, lines, strict=True)]
    for entry in located:
        if entry.waiver.check not in check_ids:
            problems.append(
                Problem(path, entry.line, f"waiver names unknown check {entry.waiver.check!r}")
            )
    return located, problems


def covers(waiver: Waiver, finding: Finding, groups: frozenset[str]) -> bool:
    """Whether ``waiver`` reaches ``finding`` (``groups``: the subject's Ansible groups)."""
    if waiver.check != finding.check:
        return False
    match waiver.scope:
        case Scope.TRUST:
            return True
        case Scope.SCHOOL:
            return waiver.name == finding.school
        case Scope.GROUP:
            return waiver.name in groups
        case Scope.TARGET:
            return waiver.name == finding.target
    return False


def apply_waivers(
    findings: list[Finding],
    waivers: list[LocatedWaiver],
    groups_of: dict[tuple[str, str], frozenset[str]],
    today: date,
) -> tuple[list[Finding], list[LocatedWaiver]]:
    """Findings with waivers applied, and every expired waiver (whether or not it matched).

    ``groups_of`` maps (school, target name) to the target's Ansible groups.
    """
    expired = [w for w in waivers if w.waiver.expires < today]
    result = []
    for finding in findings:
        if finding.status is not Status.FAIL:
            result.append(finding)
            continue
        groups = groups_of.get((finding.school, finding.target), frozenset())
        matching = [w.waiver for w in waivers if covers(w.waiver, finding, groups)]
        valid = [w for w in matching if w.expires >= today]
        if valid:
            waiver = max(valid, key=lambda w: w.expires)
            detail = f"{finding.detail} [waived until {waiver.expires}: {waiver.reason}]"
            result.append(
                finding.model_copy(
                    update={"status": Status.WAIVED, "detail": detail, "waiver": waiver.ref(False)}
                )
            )
        elif matching:
            waiver = max(matching, key=lambda w: w.expires)
            detail = f"{finding.detail} [waiver expired on {waiver.expires}]"
            result.append(finding.model_copy(update={"detail": detail, "waiver": waiver.ref(True)}))
        else:
            result.append(finding)
    return result, expired
