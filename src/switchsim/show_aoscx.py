"""AOS-CX ``show`` command output, close enough to the real thing for ntc-templates."""

from __future__ import annotations

from switchsim.device import Device
from switchsim.syntax import expand_ids
from switchsim.views import PortView, ports, uptime_text, vlans

_RULE = "-" * 77


def show_version(device: Device) -> list[str]:
    """``show version``."""
    hw = device.hw
    prefix = hw.version.split(".")[0]
    return [
        _RULE,
        "ArubaOS-CX",
        "(c) Copyright 2017-2024 Hewlett Packard Enterprise Development LP",
        _RULE,
        f"Version      : {hw.version}",
        "Build Date   : 2024-03-05 17:23:39 UTC",
        f"Build ID     : ArubaOS-CX:{hw.version}:2e3b2a3c3e2e:202403051711",
        "Build SHA    : 2e3b2a3c3e2e5c0d1a0b1c1d1e1f202122232425",
        "Hot Patches  :",
        "Active Image : primary",
        "",
        f"Service OS Version : {prefix}.01.13.0002",
        f"BIOS Version       : {prefix}.01.0002",
        "",
    ]


def _system_value(device: Device, key: str) -> str:
    """``snmp-server system-<key>`` from the running config (empty when unset)."""
    for node in device.running.children:
        if node.text.startswith(f"snmp-server system-{key} "):
            return node.text.split(None, 2)[2]
    return ""


def show_system(device: Device) -> list[str]:
    """``show system``: hostname, product, serial, version, uptime."""
    hw = device.hw
    mac = hw.mac.replace(":", "")
    return [
        f"Hostname                        : {device.hostname}",
        f"System Description              : {hw.version}",
        f"System Contact                  : {_system_value(device, 'contact')}".rstrip(),
        f"System Location                 : {_system_value(device, 'location')}".rstrip(),
        "",
        "Vendor                          : Aruba",
        f"Product Name                    : {hw.model} {hw.description}",
        f"Chassis Serial Nbr              : {hw.serial}",
        f"Base MAC Address                : {mac[:6]}-{mac[6:]}",
        f"ArubaOS-CX Version              : {hw.version}",
        "",
        "Time Zone                       : UTC",
        "",
        f"Up Time                         : {uptime_text(device.uptime())}",
        "CPU Util (%)                    : 3",
        "Memory Usage (%)                : 21",
    ]


def port_ranges(names: list[str]) -> str:
    """Compress ``1/1/1,1/1/2,1/1/3,1/1/7`` into ``1/1/1-1/1/3,1/1/7``.

    Example:
        >>> port_ranges(["1/1/1", "1/1/2", "1/1/3", "1/1/7"])
        '1/1/1-1/1/3,1/1/7'
    """
    parts: list[str] = []
    run: list[str] = []
    for name in names:
        if run and int(name.rsplit("/", 1)[1]) == int(run[-1].rsplit("/", 1)[1]) + 1:
            run.append(name)
            continue
        if run:
            parts.append(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}")
        run = [name]
    if run:
        parts.append(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}")
    return ",".join(parts)


def _members(device: Device, port_list: list[PortView]) -> dict[int, list[str]]:
    """VLAN id → member ports (access VLAN, or native and allowed VLANs of trunks)."""
    members: dict[int, list[str]] = {}
    for port in port_list:
        vids = {port.vlan}
        if port.mode == "trunk":
            section = device.running.child(f"interface {port.name}")
            texts = [c.text for c in section.children] if section is not None else []
            for text in texts:
                if text.startswith("vlan trunk allowed ") and text.split()[-1] != "all":
                    vids.update(int(v) for v in expand_ids(text.split()[-1]))
        for vid in vids:
            members.setdefault(vid, []).append(port.name)
    return members


def show_vlan(device: Device) -> list[str]:
    """``show vlan``."""
    rule = "-" * 86
    head = "VLAN  Name                              Status  Reason          Type      Interfaces"
    out = [rule, head, rule]
    members = _members(device, ports(device))
    for vlan in vlans(device):
        kind = "default" if vlan.vid == 1 else "static"
        names = members.get(vlan.vid, [])
        status, reason = ("down", "admin_down") if vlan.shutdown else ("up", "ok")
        if not names and not vlan.shutdown:
            status, reason = "down", "no_member_port"
        line = f"{vlan.vid:<5} {vlan.name[:32]:<33} {status:<7} {reason:<15} {kind:<9} "
        out.append((line + port_ranges(names)).rstrip())
    return out


def show_interface_brief(device: Device) -> list[str]:
    """``show interface brief``."""
    rule = "-" * 104
    out = [
        rule,
        "Port       Native  Mode   Type           Enabled Status  Reason                  Speed   "
        "Description",
        "           VLAN                                                                  (Mb/s)",
        rule,
    ]
    uplinks = set(device.hw.ports[-4:])
    for port in ports(device):
        kind = "SFP+DA3" if port.name in uplinks else "1GbT"
        enabled = "no" if port.shutdown else "yes"
        status = "up" if port.connected else "down"
        reason = (
            ""
            if port.connected
            else "Administratively down"
            if port.shutdown
            else "Waiting for link"
        )
        speed = ("10000" if port.name in uplinks else "1000") if port.connected else "--"
        native = str(port.vlan) if port.mode != "routed" else "--"
        out.append(
            f"{port.name:<10} {native:<7} {port.mode:<6} {kind:<14} {enabled:<7} {status:<7} "
            f"{reason:<23} {speed:<7} {port.description or '--'}"
        )
    return out


def config_lines(device: Device, body: list[str]) -> list[str]:
    """``show running-config`` framing around the rendered config."""
    return [
        "Current configuration:",
        "!",
        f"!Version ArubaOS-CX {device.hw.version}",
        "!export-password: default",
        *body,
    ]
