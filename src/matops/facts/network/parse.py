"""Pure parsing of switch outputs into network facts, per netmiko device_type.

``parse_config(platform, text)`` turns a running (or startup) config into
:class:`~matops.facts.network.model.NetworkConfig`; ``parse_show_version`` reads ``show version``
with ntc-templates (Cisco) or a TextFSM template of ours (AOS-CX).
"""

from __future__ import annotations

import io

import textfsm
from ntc_templates.parse import parse_output

from matops.facts.network.model import NetworkConfig, SoftwareVersion
from matops.platforms import config_reader

_AOSCX_SHOW_VERSION = r"""Value VERSION (\S+)
Value ACTIVE_IMAGE (\S+)

Start
  ^Version\s+:\s+${VERSION}
  ^Active\s+Image\s+:\s+${ACTIVE_IMAGE}
"""


def parse_config(platform: str, text: str) -> NetworkConfig:
    """Parse a config for ``platform`` with the parser its registry entry names
    (:mod:`matops.platforms`); ValueError naming the readable platforms otherwise.

    >>> parse_config("cisco_ios", "hostname a\\n").hostname
    'a'
    """
    config: NetworkConfig = config_reader(platform).parse(text)
    return config


def ios_version(text: str) -> SoftwareVersion:
    rows = parse_output(platform="cisco_ios", command="show version", data=text)
    if not rows or not rows[0].get("version"):
        raise ValueError("show version output has no software version")
    row = rows[0]
    hardware = row.get("hardware") or []
    return SoftwareVersion(
        platform="cisco_ios", version=str(row["version"]), model=hardware[0] if hardware else None
    )


def aoscx_version(text: str) -> SoftwareVersion:
    fsm = textfsm.TextFSM(io.StringIO(_AOSCX_SHOW_VERSION))
    rows = fsm.ParseText(text)
    if not rows or not rows[0][0]:
        raise ValueError("show version output has no software version")
    return SoftwareVersion(platform="aruba_aoscx", version=rows[0][0])


def parse_show_version(platform: str, text: str) -> SoftwareVersion:
    """Parse ``show version`` output; ValueError when the platform or output is not understood."""
    version: SoftwareVersion = config_reader(platform).parse_version(text)
    return version
