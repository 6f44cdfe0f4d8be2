"""Fact types that come from the inventory rather than from a device."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict


class OsLifecycle(BaseModel):
    """When a Linux release stops getting free security updates."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    os: str
    version: str
    codename: str = ""
    end_of_support: date


LIFECYCLE_FILE = Path(__file__).resolve().parent.parent / "data" / "os_lifecycle.yml"


def load_os_lifecycle(path: Path = LIFECYCLE_FILE) -> list[OsLifecycle]:
    """The release table shipped with matops (``facts/data/os_lifecycle.yml``)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [OsLifecycle.model_validate(row) for row in data["releases"]]
