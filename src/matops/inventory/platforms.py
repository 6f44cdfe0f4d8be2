"""The registry of platforms matops knows: netmiko device_type (network kit) or OS id (Linux)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TargetKind = Literal["linux", "switch", "access_point", "firewall"]


@dataclass(frozen=True)
class Platform:
    """A platform: what kinds of target may use it and its human name."""

    name: str
    title: str
    kinds: frozenset[str]


def _p(name: str, title: str, *kinds: str) -> tuple[str, Platform]:
    return name, Platform(name, title, frozenset(kinds))


NETWORK = ("switch", "access_point", "firewall")

PLATFORMS: dict[str, Platform] = dict(
    [
        _p("debian", "Debian GNU/Linux", "linux"),
        _p("ubuntu", "Ubuntu", "linux"),
        _p("cisco_ios", "Cisco IOS / IOS-XE", *NETWORK),
        _p("aruba_aoscx", "HPE Aruba AOS-CX", "switch"),
        _p("hp_procurve", "HPE Aruba AOS-S (ProCurve)", "switch"),
        _p("aruba_os", "HPE Aruba OS (controllers and instant APs)", "access_point"),
        _p("ruckus_fastiron", "Ruckus FastIron (ICX)", "switch"),
        _p("fortinet", "Fortinet FortiOS", "firewall"),
    ]
)
"""Every platform matops accepts. Network names are netmiko device_type values."""


def platform_error(name: str, kind: str) -> str | None:
    """Why ``name`` is not a valid platform for a ``kind`` target, or None when it is.

    >>> platform_error("cisco_ios", "switch") is None
    True
    >>> platform_error("cisco_nxos", "switch").startswith("unknown platform")
    True
    """
    platform = PLATFORMS.get(name)
    if platform is None:
        return f"unknown platform {name!r}; valid platforms: {', '.join(sorted(PLATFORMS))}"
    if kind not in platform.kinds:
        valid = sorted(p.name for p in PLATFORMS.values() if kind in p.kinds)
        return (
            f"platform {name!r} is not valid for a {kind}; valid for a {kind}: {', '.join(valid)}"
        )
    return None
