"""HPE Aruba AOS-CX (netmiko ``aruba_aoscx``): the registry entry."""

from __future__ import annotations

import re

from hier_config import Platform as HierPlatform

from matops.platforms.model import (
    TEMPLATES,
    ConfigReader,
    Mark,
    NetworkPlatform,
    Platform,
    ShowCommands,
    ports_part,
    res,
    top,
    under,
)

_VERSION_LINE = re.compile(
    r"^(!\s*Version (ArubaOS-CX|AOS-CX) |Current configuration:\s*$)", re.MULTILINE
)
"""The line ``show running-config`` prints at its top (10.15 and later: ``!Version AOS-CX``)."""

_PHYSICAL = re.compile(r"^interface \d+/\d+/\d+$")

NETWORK = NetworkPlatform(
    name="aruba_aoscx",
    template_dir=TEMPLATES / "aruba_aoscx",
    hier_platform=HierPlatform.ARUBA_AOSCX,
    netmiko_device_type="aruba_aoscx",
    save_command="write memory",
    unmanaged=res(
        r"^(profile|led|module|bfd|vsf|vsx|qos|apply qos)\b",
        r"^interface mgmt$",
        r"^https-server rest ",
    ),
    physical_interface=_PHYSICAL,
    lockout_checks="matops.network.safety:AOSCX_CHECKS",
    indent="    ",
    masked=res(r"\b(?P<keyword>key|auth-pass|priv-pass) (?:plaintext|ciphertext) (?P<secret>\S+)"),
    idempotent=(
        *top(
            r"^(hostname) ",
            r"^user (\S+) ",
            r"^(spanning-tree mode) ",
            r"^(ip route 0\.0\.0\.0/0) ",
            r"^(radius-server host \S+) ",
            r"^(snmpv3 user \S+) ",
            r"^(aaa authentication login \S+) ",
            r"^(banner \S+) ",
            r"^(logging \S+) ",
        ),
        *under(r"^interface ", r"^(rate-limit broadcast) ", r"^(vlan trunk native) "),
        *under(r"^cli-session$", r"^(timeout) "),
    ),
    not_idempotent=("logging ",),
    negations=(
        ("user ", r"^(no user \S+) .*$", r"\1"),
        ("radius-server host ", r"^(no radius-server host \S+) .*$", r"\1"),
        ("snmpv3 user ", r"^(no snmpv3 user \S+) .*$", r"\1"),
        ("banner ", r"(?s)^(no banner \S+) .*$", r"\1"),
        ("logging ", r"^(no logging \S+) .*$", r"\1"),
    ),
    parts=(ports_part(_PHYSICAL, r"^name ", r"^description ", r"^vlan ", r"^(no )?shutdown$"),),
)


READER = ConfigReader(
    shows=ShowCommands("show running-config", "show startup-config", "show version"),
    neighbours_command="show lldp neighbor-info detail",
    hier_platform=HierPlatform.ARUBA_AOSCX,
    parser="matops.facts.network.parse_aoscx:parse_aoscx",
    version_parser="matops.facts.network.parse:aoscx_version",
    top_level=("interface ", "hostname ", "banner "),
    short_name="AOS-CX",
    complete=Mark(
        _VERSION_LINE,
        "no '!Version ArubaOS-CX …' line at the top: not the start of an AOS-CX "
        "'show running-config' (cut at its start, or another output)",
        in_head=True,
    ),
    signature=Mark(
        _VERSION_LINE, "an AOS-CX configuration ('!Version ArubaOS-CX' line)", in_head=True
    ),
    banner_ends_on_own_line=True,
)

PLATFORM = Platform(
    name="aruba_aoscx",
    title="HPE Aruba AOS-CX",
    kinds=frozenset({"switch"}),
    reader=READER,
    network=NETWORK,
)
