"""The platform registry: one entry per platform, keyed by netmiko device_type (network kit) or
OS id (Linux). Everything matops knows about a platform is in its entry:

* ``title`` and ``kinds`` (which targets may use it; the inventory loader checks this);
* ``reader``: how its configs are read and judged: hier_config driver for the tolerant loader,
  the config and ``show version`` parsers, and the quirks of how it prints configs;
* ``network``: how its baseline is rendered (template folder), diffed and pushed (save command,
  what the device shows and hides).

Adding a platform is one entry here (a module like :mod:`matops.platforms.cisco_ios` for kit
matops can judge or configure), plus its parser (``facts/network/parse_<x>.py``) and its
templates (``network/templates/<name>/``). Nothing registers itself on import.

>>> platform("cisco_ios").title
'Cisco IOS / IOS-XE'
>>> sorted(NETWORK_PLATFORMS)
['aruba_aoscx', 'cisco_ios']
"""

from __future__ import annotations

from collections.abc import Mapping

from matops.platforms import aruba_aoscx, cisco_ios
from matops.platforms.model import (
    TEMPLATES,
    ConfigPart,
    ConfigReader,
    Mark,
    NetworkPlatform,
    Platform,
    ShowCommands,
    TargetKind,
    UnknownPartError,
    UnknownPlatformError,
    resolve,
)

__all__ = [
    "NETWORK_PLATFORMS",
    "PLATFORMS",
    "TEMPLATES",
    "ConfigPart",
    "ConfigReader",
    "Mark",
    "NetworkPlatform",
    "Platform",
    "ShowCommands",
    "TargetKind",
    "UnknownPartError",
    "UnknownPlatformError",
    "config_reader",
    "network_platform",
    "platform",
    "platform_error",
    "resolve",
]

_LINUX = frozenset({"linux"})
_SWITCH = frozenset({"switch"})
_TENANT = frozenset({"tenant"})
"""Cloud identity tenants (``trust.tenants``, keyed by ``provider``), not inventory targets."""

PLATFORMS: dict[str, Platform] = {
    "debian": Platform("debian", "Debian GNU/Linux", _LINUX),
    "ubuntu": Platform("ubuntu", "Ubuntu", _LINUX),
    "cisco_ios": cisco_ios.PLATFORM,
    "aruba_aoscx": aruba_aoscx.PLATFORM,
    "hp_procurve": Platform("hp_procurve", "HPE Aruba AOS-S (ProCurve)", _SWITCH),
    "aruba_os": Platform(
        "aruba_os", "HPE Aruba OS (controllers and instant APs)", frozenset({"access_point"})
    ),
    "ruckus_fastiron": Platform("ruckus_fastiron", "Ruckus FastIron (ICX)", _SWITCH),
    "fortinet": Platform("fortinet", "Fortinet FortiOS", frozenset({"firewall"})),
    "microsoft365": Platform("microsoft365", "Microsoft 365 / Entra ID", _TENANT),
    "google_workspace": Platform("google_workspace", "Google Workspace", _TENANT),
}
"""Every platform matops accepts in an inventory."""

NETWORK_PLATFORMS: dict[str, NetworkPlatform] = {
    name: p.network for name, p in PLATFORMS.items() if p.network is not None
}
"""The platforms with a network baseline (render, diff, push)."""

CONFIG_READERS: dict[str, ConfigReader] = {
    name: p.reader for name, p in PLATFORMS.items() if p.reader is not None
}
"""The platforms whose configs matops reads and judges."""


def _unknown(what: str, name: str, table: Mapping[str, object]) -> str:
    return f"{what} platform {name!r}; valid platforms: {', '.join(sorted(table))}"


def platform(name: str) -> Platform:
    """The entry for ``name``; :class:`UnknownPlatformError` lists the valid ones."""
    found = PLATFORMS.get(name)
    if found is None:
        raise UnknownPlatformError(_unknown("unknown", name, PLATFORMS))
    return found


def platform_error(name: str, kind: str) -> str | None:
    """Why ``name`` is not a valid platform for a ``kind`` target, or None when it is.

    >>> platform_error("cisco_ios", "switch") is None
    True
    >>> platform_error("cisco_nxos", "switch").startswith("unknown platform")
    True
    """
    entry = PLATFORMS.get(name)
    if entry is None:
        targets = {n: p for n, p in PLATFORMS.items() if p.kinds != _TENANT}
        return _unknown("unknown", name, targets)
    if kind not in entry.kinds:
        valid = sorted(p.name for p in PLATFORMS.values() if kind in p.kinds)
        return (
            f"platform {name!r} is not valid for a {kind}; valid for a {kind}: {', '.join(valid)}"
        )
    return None


def network_platform(name: str) -> NetworkPlatform:
    """The baseline facts for ``name``; :class:`UnknownPlatformError` lists the valid ones.

    >>> network_platform("aruba_aoscx").netmiko_device_type
    'aruba_aoscx'
    >>> try:
    ...     network_platform("hp_procurve")
    ... except UnknownPlatformError as exc:
    ...     print(str(exc).split("; ")[1])
    valid platforms: aruba_aoscx, cisco_ios
    """
    found = NETWORK_PLATFORMS.get(name)
    if found is None:
        raise UnknownPlatformError(_unknown("no network baseline for", name, NETWORK_PLATFORMS))
    return found


def config_reader(name: str) -> ConfigReader:
    """How configs of ``name`` are read; ValueError names the platforms matops can read.

    >>> config_reader("aruba_aoscx").short_name
    'AOS-CX'
    """
    found = CONFIG_READERS.get(name)
    if found is None:
        raise ValueError(_unknown("cannot read configs of", name, CONFIG_READERS))
    return found
