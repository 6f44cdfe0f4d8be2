"""Pure parsing of switch outputs into network facts, per netmiko device_type.

``parse_config(platform, text)`` turns a running (or startup) config into
:class:`~matops.facts.network.model.NetworkConfig`; ``parse_show_version`` reads ``show version``
with ntc-templates (Cisco) or a TextFSM template of ours (AOS-CX).
"""

from __future__ import annotations

import io
from collections.abc import Callable

import textfsm
from ntc_templates.parse import parse_output

from matops.facts.network.model import NetworkConfig, SoftwareVersion
from matops.facts.network.parse_aoscx import parse_aoscx
from matops.facts.network.parse_ios import parse_ios

CONFIG_PARSERS: dict[str, Callable[[str], NetworkConfig]] = {
    "cisco_ios": parse_ios,
    "aruba_aoscx": parse_aoscx,
}
"""netmiko device_type → running-config parser."""

_AOSCX_SHOW_VERSION = r"""Value VERSION (\S+)
Value ACTIVE_IMAGE (\S+)

Start
  ^Version\s+:\s+${VERSION}
  ^Active\s+Image\s+:\s+${ACTIVE_IMAGE}
"""


def parse_config(platform: str, text: str) -> NetworkConfig:
    """Parse a config for ``platform``; ValueError naming the valid platforms otherwise.

    >>> parse_config("cisco_ios", "hostname a\\n").hostname
    'a'
    """
    parser = CONFIG_PARSERS.get(platform)
    if parser is None:
        valid = ", ".join(sorted(CONFIG_PARSERS))
        raise ValueError(f"no config parser for platform {platform!r}; valid platforms: {valid}")
    return parser(text)


def _ios_version(text: str) -> SoftwareVersion:
    rows = parse_output(platform="cisco_ios", command="show version", data=text)
    if not rows or not rows[0].get("version"):
        raise ValueError("show version output has no software version")
    row = rows[0]
    hardware = row.get("hardware") or []
    return SoftwareVersion(
        platform="cisco_ios", version=str(row["version"]), model=hardware[0] if hardware else None
    )


def _aoscx_version(text: str) -> SoftwareVersion:
    fsm = textfsm.TextFSM(io.StringIO(_AOSCX_SHOW_VERSION))
    rows = fsm.ParseText(text)
    if not rows or not rows[0][0]:
        raise ValueError("show version output has no software version")
    return SoftwareVersion(platform="aruba_aoscx", version=rows[0][0])


VERSION_PARSERS: dict[str, Callable[[str], SoftwareVersion]] = {
    "cisco_ios": _ios_version,
    "aruba_aoscx": _aoscx_version,
}
"""netmiko device_type → ``show version`` parser."""


def parse_show_version(platform: str, text: str) -> SoftwareVersion:
    """Parse ``show version`` output; ValueError when the platform or output is not understood."""
    parser = VERSION_PARSERS.get(platform)
    if parser is None:
        valid = ", ".join(sorted(VERSION_PARSERS))
        raise ValueError(f"no show version parser for {platform!r}; valid platforms: {valid}")
    return parser(text)
