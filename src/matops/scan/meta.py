"""Check metadata (``checks/<area>/<id>/<id>.yml``), validated when the catalogue loads."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from matops.facts.catalogue import FACTS
from matops.inventory.model import AssetType
from matops.platforms import PLATFORMS, TargetKind
from matops.scan.model import Severity

CheckId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$", max_length=64)]
"""Descriptive snake_case with at least two words; never a framework number."""

_FRAMEWORK_ID = re.compile(r"^(dfe|ce|rpa|cis|ncsc|kcsie|uksic|ath)_|_\d+_\d+(_|$)")
_VAGUE_START = ("check ", "ensure ", "verify ", "whether ", "is ", "are ", "does ")


class Area(StrEnum):
    """Where a check's facts come from; the folder under ``checks/``."""

    HOST = "host"
    NETWORK = "network"
    REGISTER = "register"
    TENANT = "tenant"
    DEVICE = "device"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AppliesTo(_Strict):
    """Which subjects a check judges: targets (by kind, platform, role), register assets, or
    tenants (by platform: ``microsoft365``, ``google_workspace``)."""

    kinds: list[TargetKind] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list)
    device_roles: list[str] = Field(default_factory=list)
    register_types: list[AssetType] | None = Field(default=None, alias="register")
    """``register:`` in YAML: asset types judged row by row; ``[]`` means every asset type."""

    @field_validator("platforms")
    @classmethod
    def _known_platforms(cls, value: list[str]) -> list[str]:
        unknown = [p for p in value if p not in PLATFORMS]
        if unknown:
            raise ValueError(f"unknown platforms {unknown}; valid: {', '.join(sorted(PLATFORMS))}")
        return value

    @model_validator(mode="after")
    def _targets_or_register(self) -> AppliesTo:
        targets = bool(self.kinds or self.platforms or self.device_roles)
        if targets == (self.register_types is not None):
            raise ValueError("give either kinds/platforms/device_roles (targets) or register")
        tenants = [p for p in self.platforms if "tenant" in PLATFORMS[p].kinds]
        if tenants and (self.kinds or self.device_roles or len(tenants) != len(self.platforms)):
            raise ValueError(
                f"tenant platforms ({', '.join(tenants)}) take no kinds, device_roles or "
                "target platforms beside them"
            )
        return self


class Remediation(_Strict):
    """What fixes a failure: an Ansible role and tag, a network template section, or a task."""

    role: str | None = None
    tag: str | None = None
    network_template: str | None = None
    manual: str | None = None
    reboot: bool = False
    disruption: Literal["none", "low", "medium", "high"] = "none"

    @model_validator(mode="after")
    def _one_way(self) -> Remediation:
        ways = [w for w in (self.role, self.network_template, self.manual) if w]
        if len(ways) != 1:
            raise ValueError(
                "remediation needs exactly one of role (with tag), network_template, manual"
            )
        if self.role and not self.tag:
            raise ValueError("remediation.role needs a tag (the check id)")
        return self


class CheckMeta(_Strict):
    """A check's metadata."""

    id: CheckId
    title: Annotated[str, StringConstraints(min_length=10, max_length=100)]
    area: Area
    severity: Severity
    applies_to: AppliesTo
    facts: list[str] = Field(min_length=1)
    rationale: Annotated[str, StringConstraints(min_length=60)]
    remediation: Remediation
    tags: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]] = Field(
        default_factory=list
    )

    @field_validator("id")
    @classmethod
    def _no_framework_number(cls, value: str) -> str:
        if _FRAMEWORK_ID.search(value):
            raise ValueError(
                f"check id {value!r} looks like a framework number; describe the state"
            )
        return value

    @field_validator("title")
    @classmethod
    def _states_compliant_state(cls, value: str) -> str:
        if value.lower().startswith(_VAGUE_START) or value.endswith("?"):
            raise ValueError("title must state the compliant state, e.g. 'Telnet is disabled'")
        return value

    @field_validator("facts")
    @classmethod
    def _known_facts(cls, value: list[str]) -> list[str]:
        unknown = [f for f in value if f not in FACTS]
        if unknown:
            raise ValueError(f"unknown facts {unknown}; known facts: {', '.join(sorted(FACTS))}")
        if len(set(value)) != len(value):
            raise ValueError("facts are listed more than once")
        return value

    @model_validator(mode="after")
    def _tag_is_id(self) -> CheckMeta:
        if self.remediation.tag is not None and self.remediation.tag != self.id:
            raise ValueError(f"remediation.tag must be the check id {self.id!r}")
        return self
