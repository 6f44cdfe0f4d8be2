"""Framework mappings (``checks/frameworks/<framework>.yml``): control → checks, one direction.

::

    framework: cyber_essentials
    title: Cyber Essentials (requirements v3.3)
    controls:
      - id: CE-FW-02
        title: Default administrator passwords replaced      # our own words
        status: automated                                    # automated | partial | manual
        checks: [switch_named_local_admins]

``automated``: the checks decide. ``partial``: checks plus an attestation. ``manual``: only an
attestation (no checks).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from matops.inventory.model import AssetType
from matops.inventory.model import Framework as FrameworkName
from matops.inventory.problems import Problem
from matops.inventory.pydantic_errors import validate_node
from matops.inventory.yamlsrc import LineDict, LineList, YamlSyntaxError, load_yaml_file

KINDS = frozenset({"linux", "switch", "access_point", "firewall"} | {t.value for t in AssetType})
"""Target kinds and asset types a control can be narrowed to."""


class Automation(StrEnum):
    """How a control is assessed."""

    AUTOMATED = "automated"
    PARTIAL = "partial"
    MANUAL = "manual"


class Control(BaseModel):
    """One control of a framework."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+(\.\d+)?$")]
    title: Annotated[str, StringConstraints(min_length=5, max_length=90)]
    status: Automation
    checks: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)
    """Only count findings about these target kinds or asset types (empty: all)."""

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: list[str]) -> list[str]:
        valid = set(KINDS)
        unknown = [k for k in value if k not in valid]
        if unknown:
            raise ValueError(f"unknown kinds {unknown}; valid: {', '.join(sorted(valid))}")
        return value

    @model_validator(mode="after")
    def _checks_match_status(self) -> Control:
        if self.status is Automation.MANUAL and self.checks:
            raise ValueError(f"{self.id}: a manual control lists no checks (make it partial)")
        if self.status is not Automation.MANUAL and not self.checks:
            raise ValueError(f"{self.id}: an {self.status.value} control needs at least one check")
        return self


class Framework(BaseModel):
    """A framework and its controls."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    framework: FrameworkName
    title: str
    version: str
    note: str = ""
    controls: list[Control] = Field(min_length=1)

    def control_ids(self) -> set[str]:
        """Every control ID."""
        return {c.id for c in self.controls}


def _load_one(path: Path, check_ids: set[str]) -> tuple[Framework | None, list[Problem]]:
    try:
        node = load_yaml_file(path)
    except YamlSyntaxError as exc:
        return None, [Problem(path, exc.line, str(exc))]
    framework, problems = validate_node(Framework, node, path)
    if framework is None:
        return None, problems
    items = node.get("controls") if isinstance(node, LineDict) else None
    lines = items.item_lines if isinstance(items, LineList) else [1] * len(framework.controls)
    seen: set[str] = set()
    for control, line in zip(framework.controls, lines, strict=True):
        if control.id in seen:
            problems.append(Problem(path, line, f"duplicate control {control.id}"))
        seen.add(control.id)
        unknown = [c for c in control.checks if c not in check_ids]
        if unknown:
            problems.append(Problem(path, line, f"{control.id}: unknown checks {unknown}"))
    if framework.framework.value != path.stem:
        problems.append(Problem(path, 1, f"framework {framework.framework.value!r} != file name"))
    return framework, problems


def load_frameworks(
    folder: Path, check_ids: set[str]
) -> tuple[dict[str, Framework], list[Problem]]:
    """Every ``<framework>.yml`` in ``folder``, with line-numbered problems."""
    frameworks: dict[str, Framework] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yml")):
        framework, found = _load_one(path, check_ids)
        problems += found
        if framework is not None:
            frameworks[framework.framework.value] = framework
    return frameworks, problems
