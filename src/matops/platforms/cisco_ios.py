"""Cisco IOS / IOS-XE (netmiko ``cisco_ios``): the registry entry."""

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

_PHYSICAL = re.compile(r"^interface (\w+Ethernet|Ethernet)\d+(/\d+)*$")

NETWORK = NetworkPlatform(
    name="cisco_ios",
    template_dir=TEMPLATES / "cisco_ios",
    hier_platform=HierPlatform.CISCO_IOS,
    netmiko_device_type="cisco_ios",
    save_command="write memory",
    unmanaged=res(
        r"^version ",
        r"^boot",
        r"^enable (secret|password) ",
        r"^switch \d+ provision ",
        r"^vrf definition Mgmt-vrf$",
        r"^interface (GigabitEthernet0/0|FastEthernet0)$",
        r"^vlan internal allocation policy ",
        r"^vlan 1$",
        r"^spanning-tree extend system-id$",
        r"^ip forward-protocol nd$",
        r"^(license|diagnostic|memory|platform|redundancy|control-plane|system mtu)\b",
        r"^crypto pki ",
        r"^line vty \d+ \d+$",
        r"^login on-success ",
    ),
    physical_interface=_PHYSICAL,
    lockout_checks="matops.network.safety:IOS_CHECKS",
    needs_enable=True,
    admin_hash=Mark(
        re.compile(r"^\$9\$[./0-9A-Za-z]{14}\$[./0-9A-Za-z]{43}$"),
        "an IOS type 9 (scrypt) hash such as '$9$<14-character salt>$<43-character hash>'",
    ),
    write_only=res(r"^snmp-server user "),
    defaults=res(r"^cdp run$", r"^no lldp run$"),
    idempotent=(
        *top(
            r"^(hostname) ",
            r"^(spanning-tree mode) ",
            r"^(ip default-gateway) ",
            r"^(ip ssh version) ",
            r"^username (\S+) ",
            r"^(aaa \w+ \S+ \S+) ",
            r"^(banner \S+) ",
            r"^(ip (?:dhcp snooping|arp inspection) vlan) ",
        ),
        *under(
            r"^interface ",
            r"^(switchport (?:access|voice) vlan) ",
            r"^(switchport trunk (?:native|allowed) vlan) ",
            r"^(storm-control broadcast level) ",
        ),
        *under(r"^line ", r"^(exec-timeout) ", r"^(transport input) "),
        *under(r"^radius server ", r"^(key) ", r"^(address) "),
    ),
    negations=(
        ("username ", r"^(no username \S+) .*$", r"\1"),
        ("snmp-server community ", r"^(no snmp-server community \S+) .*$", r"\1"),
        ("banner ", r"(?s)^(no banner \S+) .*$", r"\1"),
    ),
    parts=(ports_part(_PHYSICAL, r"^name ", r"^description ", r"^switchport ", r"^shutdown$"),),
)


READER = ConfigReader(
    shows=ShowCommands("show running-config", "show startup-config", "show version"),
    neighbours_command="show lldp neighbors detail",
    hier_platform=HierPlatform.CISCO_IOS,
    parser="matops.facts.network.parse_ios:parse_ios",
    version_parser="matops.facts.network.parse:ios_version",
    top_level=("interface ", "line ", "hostname ", "banner "),
    short_name="Cisco IOS",
    complete=Mark(
        re.compile(r"^end\s*$", re.MULTILINE),
        "no closing 'end' line: the configuration is cut off "
        "(IOS ends every configuration with 'end')",
    ),
    signature=Mark(
        re.compile(
            r"^(Building configuration\.\.\.|Current configuration : \d+ bytes"
            r"|Using \d+ out of \d+ bytes|version \d+\.\d+|end)\s*$",
            re.MULTILINE,
        ),
        "a Cisco IOS configuration (IOS header, 'version' or 'end' line)",
    ),
    indent_after_separator_is_top=True,
)

PLATFORM = Platform(
    name="cisco_ios",
    title="Cisco IOS / IOS-XE",
    kinds=frozenset({"switch", "access_point", "firewall"}),
    reader=READER,
    network=NETWORK,
)
