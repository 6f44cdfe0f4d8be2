"""Where inventory values were defined, so that cross-file problems can name a file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Network
from pathlib import Path

from matops.inventory.assets import Row
from matops.inventory.model import Target
from matops.source.yamlsrc import LineDict


@dataclass
class SourceMap:
    """Definition sites collected while loading a trust."""

    settings: tuple[Path, int] | None = None
    schools: dict[str, tuple[Path, int]] = field(default_factory=dict)
    subnets: list[tuple[str, IPv4Network, Path, int]] = field(default_factory=list)
    assets: dict[str, Path] = field(default_factory=dict)
    target_sites: list[tuple[Target, Path, int]] = field(default_factory=list)
    asset_rows: list[tuple[str, Row, Path]] = field(default_factory=list)
    tenants: tuple[Path, LineDict] | None = None
    """The file and ``trust`` mapping the tenants were read from (lines of ``tenants:``)."""
