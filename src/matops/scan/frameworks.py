"""Framework mappings (``checks/frameworks/<framework>.yml``): control → checks, one direction.

Everything matops knows about a framework is in its file, so adding one is adding a file::

    framework: cyber_essentials                              # = the file name
    title: Cyber Essentials (requirements v3.3)
    version: "3.3"
    order: 2                                                 # reports list frameworks by it
    areas:                                                   # area code -> short name
      FW: Firewalls
    controls:
      - id: CE-FW-02
        title: Default administrator passwords replaced      # our own words
        status: automated                                    # automated | partial | manual
        checks: [switch_named_local_admins]

A control's area is the second part of its ID (``FW`` in ``CE-FW-02``); every area a control
names must be listed under ``areas``.

``automated``: the checks decide. ``partial``: checks plus an attestation. ``manual``: only an
attestation (no checks).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
from matops.source.problems import Problem
from matops.source.pydantic_errors import validate_list_file

KINDS = frozenset({"linux", "switch", "access_point", "firewall"} | {t.value for t in AssetType})
"""Target kinds and asset types a control can be narrowed to."""


class Automation(StrEnum):
    """How a control is assessed."""

    AUTOMATED = "automated"
    PARTIAL = "partial"
    MANUAL = "manual"


class When(StrEnum):
    """When a standard expects a control to be met, as the standard itself says (the DfE pages
    give one of these for each standard; /work/shared/reference/standards.md, the "When"
    column). Only the kind of moment is kept; the handbook says it in plain words."""

    NOW = "now"
    ASAP = "asap"
    AT_UPGRADE = "at_upgrade"
    ON_PURCHASE = "on_purchase"
    REGULARLY = "regularly"
    ON_EVENT = "on_event"

    @property
    def words(self) -> str:
        """The moment in plain words.

        >>> When.AT_UPGRADE.words
        'at the next upgrade or replacement'
        """
        return WHEN_WORDS[self]


WHEN_WORDS = {
    When.NOW: "now: already expected",
    When.ASAP: "as soon as possible",
    When.AT_UPGRADE: "at the next upgrade or replacement",
    When.ON_PURCHASE: "when buying",
    When.REGULARLY: "on its review cycle (termly or yearly)",
    When.ON_EVENT: "each time it arises (a change, a notice, an incident)",
}


def area_of(control_id: str) -> str:
    """The area code in a control ID (its second part; the first when there are only two).

    >>> area_of("DFE-CYBER-06.3"), area_of("CE-FW-02"), area_of("X-1")
    ('CYBER', 'FW', 'X')
    """
    parts = control_id.split("-")
    return parts[1] if len(parts) > 2 else parts[0]


class Control(BaseModel):
    """One control of a framework."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+(\.\d+)?$")]
    title: Annotated[str, StringConstraints(min_length=5, max_length=90)]
    status: Automation
    checks: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)
    """Only count findings about these target kinds or asset types (empty: all)."""
    when: When | None = None
    """When the standard expects the control met (``None``: the framework does not say)."""

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: list[str]) -> list[str]:
        valid = set(KINDS)
        unknown = [k for k in value if k not in valid]
        if unknown:
            raise ValueError(f"unknown kinds {unknown}; valid: {', '.join(sorted(valid))}")
        return value

    @property
    def area(self) -> str:
        """The area code in the control's ID.

        >>> Control(id="DFE-CYBER-06.3", title="Named", status="manual").area
        'CYBER'
        """
        return area_of(self.id)

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

    framework: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    title: str
    version: str
    order: int = Field(ge=0)
    """Reports list frameworks by this number, lowest first (then by name)."""
    areas: dict[
        Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*$")],
        Annotated[str, StringConstraints(min_length=2, max_length=40)],
    ] = Field(min_length=1)
    """Area code → short name, in display order."""
    note: str = ""
    controls: list[Control] = Field(min_length=1)

    @model_validator(mode="after")
    def _areas_named(self) -> Framework:
        unnamed = sorted({c.area for c in self.controls} - set(self.areas))
        if unnamed:
            raise ValueError(f"control areas {unnamed} are not listed under areas")
        return self

    def control_ids(self) -> set[str]:
        """Every control ID."""
        return {c.id for c in self.controls}

    def area_name(self, area: str) -> str:
        """The area's short name (its code when the file does not name it)."""
        return self.areas.get(area, area)


def in_display_order(frameworks: Mapping[str, Framework]) -> list[Framework]:
    """The frameworks by their ``order``, then by name.

    >>> def fw(name, order):
    ...     control = {"id": "X-A-1", "title": "Named", "status": "manual"}
    ...     return Framework(framework=name, title=name, version="1", order=order,
    ...                      areas={"A": "Area"}, controls=[control])
    >>> [f.framework for f in in_display_order({"b": fw("b", 1), "a": fw("a", 2)})]
    ['b', 'a']
    """
    return sorted(frameworks.values(), key=lambda f: (f.order, f.framework))


def _load_one(path: Path, check_ids: set[str]) -> tuple[Framework | None, list[Problem]]:
    framework, lines, problems = validate_list_file(Framework, path, "controls")
    if framework is None:
        return None, problems
    seen: set[str] = set()
    for control, line in zip(framework.controls, lines, strict=True):
        if control.id in seen:
            problems.append(Problem(path, line, f"duplicate control {control.id}"))
        seen.add(control.id)
        unknown = [c for c in control.checks if c not in check_ids]
        if unknown:
            problems.append(Problem(path, line, f"{control.id}: unknown checks {unknown}"))
    if framework.framework != path.stem:
        problems.append(Problem(path, 1, f"framework {framework.framework!r} != file name"))
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
            frameworks[framework.framework] = framework
    return frameworks, problems


def in_scope(names: Sequence[str] | None, frameworks: Mapping[str, Framework]) -> list[str]:
    """The frameworks a trust puts in scope that exist, in display order (None: every one)."""
    wanted = set(frameworks) if names is None else set(names)
    return [f.framework for f in in_display_order(frameworks) if f.framework in wanted]


def scope_problems(
    names: Sequence[str] | None, frameworks: Mapping[str, Framework], source: Path
) -> list[Problem]:
    """A problem for each framework the trust names that has no file (listing the valid ones).

    >>> scope_problems(["ce"], {}, Path("group_vars/all.yml"))[0].message
    "trust.frameworks names 'ce', which has no file in checks/frameworks/; valid: none"
    """
    valid = ", ".join(sorted(frameworks)) or "none"
    return [
        Problem(
            source,
            1,
            f"trust.frameworks names {name!r}, which has no file in checks/frameworks/; "
            f"valid: {valid}",
        )
        for name in names or ()
        if name not in frameworks
    ]
