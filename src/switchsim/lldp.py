"""LLDP neighbours, as the lab cabled the switch: ``<state-dir>/neighbours.json``.

The file is a JSON list, one object per neighbour heard on a port of this switch::

    [{"port": "GigabitEthernet1/1/1", "name": "oak-sw02", "port_id": "Gi1/0/25",
      "port_description": "GigabitEthernet1/0/25", "description": "Cisco IOS Software",
      "address": "198.18.10.3"}]

``port`` is this switch's own port as its running config names it; the rest is what the far
end advertises. The lab writes the file from the inventory's uplinks and its own cabling
(``matops.lab.cabling``); it is read on every command, so a test may change it while the switch
runs. No file: no neighbours. IOS answers only with ``lldp run`` in the running config (LLDP is
off by default there, as on the real switches); AOS-CX runs LLDP unless ``no lldp`` is
configured, and then prints no neighbour table.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from switchsim.device import Device
from switchsim.views import short_name

_IOS_RULE = "-" * 48
_CX_RULE = "-" * 80


def heard(device: Device) -> list[dict[str, str]]:
    """The neighbours the lab cabled to ``device`` (none without the file, or a broken one)."""
    path = device.spec.state_dir / "neighbours.json"
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    return [
        {str(k): str(v) for k, v in entry.items()}
        for entry in data
        if isinstance(entry, dict) and entry.get("port")
    ]


def _mac(name: str, dots: bool) -> str:
    digits = hashlib.sha256(name.encode()).hexdigest()[:12]
    if dots:
        return ".".join(digits[i : i + 4] for i in range(0, 12, 4))
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def _texts(device: Device) -> list[str]:
    return [node.text for node in device.running.children]


def show_ios(device: Device) -> list[str]:
    """``show lldp neighbors detail``."""
    if "lldp run" not in _texts(device):
        return ["% LLDP is not enabled", ""]
    entries = heard(device)
    lines: list[str] = []
    for n in entries:
        name = n.get("name", "")
        lines += [
            _IOS_RULE,
            f"Local Intf: {short_name(n['port'])}",
            f"Chassis id: {_mac(name, dots=True)}",
            f"Port id: {n.get('port_id', '')}",
            f"Port Description: {n.get('port_description', '')}",
            f"System Name: {name}" if name else "System Name - not advertised",
            "",
            "System Description:",
            n.get("description", ""),
            "",
            "Time remaining: 105 seconds",
            "System Capabilities: B,R",
            "Enabled Capabilities: B",
            *(
                ["Management Addresses:", f"    IP: {n['address']}"]
                if n.get("address")
                else ["Management Addresses - not advertised"]
            ),
            "Auto Negotiation - supported, enabled",
            "Physical media capabilities - not advertised",
            "Media Attachment Unit type - not advertised",
            "Vlan ID: - not advertised",
            "",
        ]
    return [*lines, "", f"Total entries displayed: {len(entries)}", ""]


def show_aoscx(device: Device) -> list[str]:
    """``show lldp neighbor-info detail``."""
    if "no lldp" in _texts(device):
        return ["LLDP is disabled", ""]
    entries = heard(device)
    lines = [
        "",
        "LLDP Neighbor Information",
        "=========================",
        f"Total Neighbor Entries          : {len(entries)}",
        "Total Neighbor Entries Deleted  : 0",
        "Total Neighbor Entries Dropped  : 0",
        "Total Neighbor Entries Aged-Out : 0",
    ]
    for n in entries:
        lines += [
            _CX_RULE,
            f"Port                           : {n['port']}",
            "Neighbor Entries               : 1",
            "Neighbor Entries Deleted       : 0",
            "Neighbor Entries Dropped       : 0",
            "Neighbor Entries Aged-Out      : 0",
            f"Neighbor Chassis-Name          : {n.get('name', '')}",
            f"Neighbor Chassis-Description   : {n.get('description', '')}",
            f"Neighbor Chassis-ID            : {_mac(n.get('name', ''), dots=False)}",
            f"Neighbor Management-Address    : {n.get('address', '')}",
            "Chassis Capabilities Available : Bridge, Router",
            "Chassis Capabilities Enabled   : Bridge",
            f"Neighbor Port-ID               : {n.get('port_id', '')}",
            f"Neighbor Port-Desc             : {n.get('port_description', '')}",
            "TTL                            : 120",
        ]
    if entries:
        lines.append(_CX_RULE)
    return [*lines, ""]
