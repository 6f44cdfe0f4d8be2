"""Operational state derived from the running config: ports, VLANs, uptime text.

The simulator has no data plane; a port counts as linked up when it carries a description
(documented ports are patched) or is the first uplink, unless it is shut down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from switchsim.config_tree import Node
from switchsim.device import Device


@dataclass(frozen=True)
class PortView:
    """What ``show interfaces status`` needs to know about one port."""

    name: str
    description: str
    shutdown: bool
    mode: str  # access | trunk | routed
    vlan: int
    connected: bool


@dataclass(frozen=True)
class VlanView:
    """A VLAN and its name."""

    vid: int
    name: str
    shutdown: bool


def _children(device: Device, header: str) -> list[str]:
    """Texts of the children of section ``header`` (empty when absent)."""
    node = device.running.child(header)
    return [child.text for child in node.children] if node is not None else []


def _value(lines: list[str], prefix: str) -> str | None:
    """The rest of the first line starting with ``prefix``."""
    for line in lines:
        if line.startswith(prefix):
            return line[len(prefix) :].strip()
    return None


def _ios_port(device: Device, name: str, uplink: bool) -> PortView:
    """One IOS port from its ``interface`` section."""
    lines = _children(device, f"interface {name}")
    mode_text = _value(lines, "switchport mode ") or "access"
    mode = "routed" if "no switchport" in lines else "trunk" if mode_text == "trunk" else "access"
    description = _value(lines, "description ") or ""
    shutdown = "shutdown" in lines
    vlan = int(_value(lines, "switchport access vlan ") or 1)
    return PortView(
        name, description, shutdown, mode, vlan, not shutdown and (uplink or bool(description))
    )


def _cx_port(device: Device, name: str, uplink: bool) -> PortView:
    """One AOS-CX port from its ``interface`` section."""
    lines = _children(device, f"interface {name}")
    trunk = any(line.startswith("vlan trunk") for line in lines)
    mode = "trunk" if trunk else "routed" if "routing" in lines else "access"
    vlan_text = _value(lines, "vlan trunk native ") if trunk else _value(lines, "vlan access ")
    description = _value(lines, "description ") or ""
    shutdown = "shutdown" in lines
    return PortView(
        name,
        description,
        shutdown,
        mode,
        int(vlan_text or 1),
        not shutdown and (uplink or bool(description)),
    )


def ports(device: Device) -> list[PortView]:
    """Every front-panel port in order."""
    build = _ios_port if device.spec.platform == "cisco_ios" else _cx_port
    names = device.hw.ports
    uplink = _first_uplink(names)
    return [build(device, name, name == uplink) for name in names]


def _first_uplink(names: tuple[str, ...]) -> str:
    """The first port of the last block (the uplinks)."""
    if any(n.startswith("Ten") for n in names):
        return next(n for n in names if n.startswith("Ten"))
    return names[-4] if len(names) > 4 else names[-1]


def vlans(device: Device) -> list[VlanView]:
    """VLANs defined in the config, VLAN 1 always first."""
    found: dict[int, VlanView] = {1: VlanView(1, _default_vlan_name(device), False)}
    for node in device.running.children:
        match = re.match(r"^vlan (\d+)$", node.text)
        if not match:
            continue
        vid = int(match.group(1))
        texts = [child.text for child in node.children]
        fallback = _default_vlan_name(device) if vid == 1 else _auto_vlan_name(device, vid)
        name = _value(texts, "name ") or fallback
        found[vid] = VlanView(vid, name, "shutdown" in texts)
    return [found[vid] for vid in sorted(found)]


def _default_vlan_name(device: Device) -> str:
    """VLAN 1's name on this platform."""
    return "default" if device.spec.platform == "cisco_ios" else "DEFAULT_VLAN_1"


def _auto_vlan_name(device: Device, vid: int) -> str:
    """The name a VLAN gets when none is configured."""
    return f"VLAN{vid:04d}" if device.spec.platform == "cisco_ios" else f"VLAN{vid}"


def short_name(name: str) -> str:
    """IOS short interface name: ``GigabitEthernet1/0/1`` → ``Gi1/0/1``."""
    for long, short in (("TenGigabitEthernet", "Te"), ("GigabitEthernet", "Gi"),
                        ("FastEthernet", "Fa"), ("Port-channel", "Po")):  # fmt: skip
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def uptime_text(seconds: int) -> str:
    """IOS-style uptime: ``1 week, 2 days, 3 hours, 4 minutes``."""
    minutes, hours, days = seconds // 60 % 60, seconds // 3600 % 24, seconds // 86400
    weeks, days = divmod(days, 7)
    parts = [(weeks, "week"), (days, "day"), (hours, "hour"), (minutes, "minute")]
    shown = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    return ", ".join(shown) or "0 minutes"


def section_lines(device: Device, node: Node) -> list[str]:
    """Render one section (and children) the way ``show running-config`` would."""
    root = Node("", children=[node])
    return device.syntax.render(root, show=True)
