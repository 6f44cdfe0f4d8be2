"""Cisco IOS ``show`` command output, close enough to the real thing for ntc-templates."""

from __future__ import annotations

import datetime as dt

from switchsim.device import Device
from switchsim.hardware import Hardware
from switchsim.views import ports, short_name, uptime_text, vlans

_STAMP = "%H:%M:%S UTC %a %b %d %Y"


def _software_banner(hw: Hardware) -> list[str]:
    """First lines of ``show version``: software train, copyright, boot loader."""
    if hw.family == "c9200":
        return [
            f"Cisco IOS XE Software, Version {hw.version}",
            f"Cisco IOS Software [Cupertino], Catalyst L3 Switch Software ({hw.image}), "
            f"Version {hw.version.replace('.0', '.')}, RELEASE SOFTWARE (fc3)",
            "Technical Support: http://www.cisco.com/techsupport",
            "Copyright (c) 1986-2023 by Cisco Systems, Inc.",
            "Compiled Fri 20-Oct-23 10:44 by mcpre",
            "",
            "ROM: IOS-XE ROMMON",
            "BOOTLDR: System Bootstrap, Version 17.9.1r, RELEASE SOFTWARE (P)",
        ]
    return [
        f"Cisco IOS Software, {hw.family.upper()} Software ({hw.image}), Version {hw.version}, "
        "RELEASE SOFTWARE (fc3)",
        "Technical Support: http://www.cisco.com/techsupport",
        "Copyright (c) 1986-2020 by Cisco Systems, Inc.",
        "Compiled Wed 02-Sep-20 20:40 by prod_rel_team",
        "",
        f"ROM: Bootstrap program is {hw.family.upper()} boot loader",
        f"BOOTLDR: {hw.family.upper()} Boot Loader ({hw.family.upper()}-HBOOT-M) Version "
        "15.2(7r)E, RELEASE SOFTWARE (fc1)",
    ]


def _image_file(hw: Hardware) -> str:
    """The ``System image file is`` path."""
    if hw.family == "c9200":
        return "flash:packages.conf"
    stem = hw.image.lower().replace("-m", "-mz")
    code = hw.version.replace("(", "-").replace(")", ".").replace(".", "", 1)
    return f"flash:/{stem}.{code}/{stem}.{code}.bin"


def _counts(hw: Hardware) -> list[str]:
    """Interface count lines (``48 Gigabit Ethernet interfaces``)."""
    kinds = (("FastEthernet", "FastEthernet"), ("GigabitEthernet", "Gigabit Ethernet"),
             ("TenGigabitEthernet", "Ten Gigabit Ethernet"))  # fmt: skip
    names = [*hw.ports, *([hw.mgmt_port] if hw.mgmt_port else [])]
    out = ["1 Virtual Ethernet interface"]
    for prefix, label in kinds:
        count = sum(1 for name in names if name.startswith(prefix))
        if count:
            out.append(f"{count} {label} interface{'s' if count > 1 else ''}")
    return out


def show_version(device: Device) -> list[str]:
    """``show version``."""
    hw = device.hw
    lines = [
        *_software_banner(hw),
        "",
        f"{device.hostname} uptime is {uptime_text(device.uptime())}",
        "System returned to ROM by power-on",
        f'System image file is "{_image_file(hw)}"',
        "Last reload reason: power-on",
        "",
        f"cisco {hw.model} ({'ARM64' if hw.family == 'c9200' else 'APM86XXX'}) processor "
        "(revision D0) with 524288K bytes of memory.",
        f"Processor board ID {hw.serial}",
        *_counts(hw),
        "The password-recovery mechanism is enabled.",
        "",
        "512K bytes of flash-simulated non-volatile configuration memory.",
        f"Base ethernet MAC Address       : {hw.mac.upper()}",
        f"Model number                    : {hw.model}",
        f"System serial number            : {hw.serial}",
        "",
        "Switch Ports Model                     SW Version            SW Image",
        "------ ----- -----                     ----------            ----------",
        f"*    1 {len(hw.ports):<5} {hw.model:<25} {hw.version:<21} {hw.image}",
        "",
        "",
        "Configuration register is 0xF"
        if hw.family != "c9200"
        else "Configuration register is 0x102",
        "",
    ]
    return lines


def show_inventory(device: Device) -> list[str]:
    """``show inventory``: the chassis PID and serial number (asset registers use it)."""
    hw = device.hw
    return [
        f'NAME: "1", DESCR: "{hw.model}"',
        f"PID: {hw.model:<18}, VID: V05  , SN: {hw.serial}",
        "",
    ]


def show_clock(device: Device) -> list[str]:
    """``show clock``: ``*`` marks a clock not synchronised by NTP (always, in the lab)."""
    now = dt.datetime.now(dt.UTC)
    return [
        "*"
        + now.strftime("%H:%M:%S.")
        + f"{now.microsecond // 1000:03d} UTC "
        + now.strftime("%a %b %d %Y")
    ]


def _port_type(name: str) -> str:
    """The Type column of ``show interfaces status``."""
    if name.startswith("Ten"):
        return "SFP-10GBase-SR"
    if name.startswith("Fast"):
        return "10/100BaseTX"
    return "10/100/1000BaseTX"


def show_interfaces_status(device: Device) -> list[str]:
    """``show interfaces status``."""
    out = ["", "Port      Name               Status       Vlan       Duplex  Speed Type "]
    for port in ports(device):
        status = "disabled" if port.shutdown else "connected" if port.connected else "notconnect"
        vlan = (
            "trunk"
            if port.mode == "trunk"
            else "routed"
            if port.mode == "routed"
            else str(port.vlan)
        )
        duplex, speed = ("a-full", "a-1000") if port.connected else ("auto", "auto")
        if port.name.startswith("Ten") and port.connected:
            speed = "a-10G"
        out.append(
            f"{short_name(port.name):<9} {port.description[:18]:<18} {status:<12} {vlan:<10} "
            f"{duplex:>6} {speed:>6} {_port_type(port.name)}"
        )
    return out


def show_ip_interface_brief(device: Device) -> list[str]:
    """``show ip interface brief``."""
    out = ["Interface              IP-Address      OK? Method Status                Protocol"]
    names = [*([device.hw.mgmt_port] if device.hw.mgmt_port else []), *device.hw.ports]
    configured = [n.text.removeprefix("interface ") for n in device.running.children]
    names += [n for n in configured if n.startswith(("Vlan", "Loopback", "Port-channel"))]
    linked = {p.name for p in ports(device) if p.connected}
    for name in names:
        section = device.running.child(f"interface {name}")
        texts = [c.text for c in section.children] if section is not None else []
        address = next(
            (t.split()[2] for t in texts if t.startswith("ip address ") and len(t.split()) > 2),
            "unassigned",
        )
        method = "NVRAM" if address != "unassigned" else "unset"
        if "shutdown" in texts:
            status, proto = "administratively down", "down"
        elif name in linked or name.startswith(("Vlan", "Loopback")):
            status, proto = "up", "up"
        else:
            status, proto = "down", "down"
        out.append(f"{name:<22} {address:<15} YES {method:<6} {status:<21} {proto:<8}")
    return out


def show_vlan_brief(device: Device) -> list[str]:
    """``show vlan brief``: access ports per VLAN, plus the legacy 1002-1005."""
    members: dict[int, list[str]] = {}
    for port in ports(device):
        if port.mode == "access":
            members.setdefault(port.vlan, []).append(short_name(port.name))
    rule = "---- -------------------------------- --------- -------------------------------"
    out = ["", "VLAN Name                             Status    Ports", rule]
    for vlan in vlans(device):
        names = members.get(vlan.vid, [])
        chunks = [", ".join(names[i : i + 4]) for i in range(0, len(names), 4)] or [""]
        status = "act/lshut" if vlan.shutdown else "active"
        out.append(f"{vlan.vid:<4} {vlan.name[:32]:<32} {status:<9} {chunks[0]}".rstrip())
        out += [" " * 48 + chunk for chunk in chunks[1:]]
    for vid, name in ((1002, "fddi-default"), (1003, "token-ring-default"),
                      (1004, "fddinet-default"), (1005, "trnet-default")):  # fmt: skip
        out.append(f"{vid:<4} {name:<32} act/unsup ")
    return out


def config_header(device: Device, body: list[str]) -> list[str]:
    """``Building configuration...`` and the change stamp IOS prints before a config."""
    size = sum(len(line) + 1 for line in body)
    stamp = device.changed_at.strftime(_STAMP)
    who = f" by {device.changed_by}" if device.changed_by else ""
    return [
        "Building configuration...",
        "",
        f"Current configuration : {size} bytes",
        "!",
        f"! Last configuration change at {stamp}{who}",
        "!",
    ]
