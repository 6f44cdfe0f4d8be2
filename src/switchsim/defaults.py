"""Factory-style default configurations, with the insecure defaults a posture scan should find.

Cisco: telnet allowed on the VTY lines, HTTP server on, SNMP v2c ``public``/``private``, every
port in VLAN 1, a leftover local user with a type 7 password, no banner, NTP or syslog.
AOS-CX: SNMP v2c ``public``, HTTPS server on the default VRF, every port in VLAN 1, no banner,
NTP or syslog.
"""

from __future__ import annotations

import hashlib
import ipaddress

from switchsim.hardware import Hardware
from switchsim.passwords import aoscx_ciphertext, type7_encode, type9_hash


def _salt(hostname: str, purpose: str) -> str:
    """A stable 14-character salt so the factory config is the same on every boot."""
    alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    digest = hashlib.sha256(f"{hostname}/{purpose}".encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:14])


def _mgmt_ip(address: str) -> ipaddress.IPv4Interface | None:
    """The management interface address for ``address`` (a /24), or None for loopback/any."""
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return None
    if ip.is_loopback or ip.is_unspecified:
        return None
    return ipaddress.IPv4Interface(f"{ip}/24")


def _ios_head(hw: Hardware, hostname: str, password: str) -> list[str]:
    """Top of an IOS factory config: services, hostname, local users."""
    secret = type9_hash(password, _salt(hostname, "enable"))
    user = type9_hash(password, _salt(hostname, "admin"))
    modern = hw.family == "c9200"
    return [
        "version 17.9" if modern else "version " + hw.version.split("(")[0],
        *([] if modern else ["no service pad"]),
        "service timestamps debug datetime msec",
        "service timestamps log datetime msec",
        "no service password-encryption",
        *(["platform punt-keepalive disable-kernel-core"] if modern else []),
        "!",
        f"hostname {hostname}",
        "!",
        "boot-start-marker",
        "boot-end-marker",
        "!",
        *(["vrf definition Mgmt-vrf", " address-family ipv4", " exit-address-family"]
          if modern else []),
        f"enable secret 9 {secret}",
        "!",
        f"username admin secret 9 {user}",
        f"username cisco privilege 15 password 7 {type7_encode('cisco')}",
        "no aaa new-model",
        f"switch 1 provision {hw.model.lower().removeprefix('ws-')}",
        "!",
        "spanning-tree mode " + ("rapid-pvst" if modern else "pvst"),
        "spanning-tree extend system-id",
        "!",
        "vlan internal allocation policy ascending",
        "!",
    ]  # fmt: skip


def _ios_interfaces(hw: Hardware, address: str) -> list[str]:
    """Management port, every front-panel port (empty: access, VLAN 1) and ``Vlan1``."""
    lines: list[str] = []
    if hw.mgmt_port:
        lines.append(f"interface {hw.mgmt_port}")
        if hw.family == "c9200":
            lines.append(" vrf forwarding Mgmt-vrf")
        lines += [" no ip address", " shutdown", "!"]
    for port in hw.ports:
        lines += [f"interface {port}", "!"]
    mgmt = _mgmt_ip(address)
    lines.append("interface Vlan1")
    lines.append(f" ip address {mgmt.ip} {mgmt.netmask}" if mgmt else " no ip address")
    return [*lines, "!"]


def _ios_tail(hw: Hardware) -> list[str]:
    """Services and lines: HTTP on, SNMP v2c, telnet allowed on the VTYs."""
    last_vty = 31 if hw.family == "c9200" else 15
    lines = ["ip forward-protocol nd", "ip http server", "ip http authentication local"]
    lines += ["ip http secure-server", "!", "snmp-server community public RO"]
    lines += ["snmp-server community private RW", "!", "line con 0", " stopbits 1"]
    for first, last in ((0, 4), (5, last_vty)):
        lines += [f"line vty {first} {last}", " login local", " transport input telnet ssh"]
    return [*lines, "!", "end"]


def ios_default(hw: Hardware, hostname: str, password: str, address: str) -> str:
    """The factory-style running config of a Cisco switch.

    Example:
        >>> from switchsim.hardware import lookup
        >>> text = ios_default(lookup("cisco_ios", "C2960X", "sw1"), "sw1", "pw", "127.0.0.1")
        >>> "transport input telnet ssh" in text and "snmp-server community public RO" in text
        True
    """
    lines = _ios_head(hw, hostname, password) + _ios_interfaces(hw, address) + _ios_tail(hw)
    return "\n".join(lines) + "\n"


def aoscx_default(hw: Hardware, hostname: str, password: str, address: str) -> str:
    """The factory-style running config of an AOS-CX 6100/6200.

    Example:
        >>> from switchsim.hardware import lookup
        >>> text = aoscx_default(lookup("aruba_aoscx", "JL679A", "sw1"), "sw1", "pw", "::")
        >>> "interface 1/1/16" in text and "    vlan access 1" in text
        True
    """
    lines = [
        f"hostname {hostname}",
        f"user admin group administrators password ciphertext {aoscx_ciphertext(password)}",
        f"user operator group operators password ciphertext {aoscx_ciphertext('operator')}",
        "ssh server vrf default",
        *(["ssh server vrf mgmt"] if hw.mgmt_port else []),
        "snmp-server vrf default",
        "snmp-server community public",
        "vlan 1",
        "spanning-tree",
    ]
    if hw.mgmt_port:
        lines += ["interface mgmt", "    no shutdown", "    ip dhcp"]
    for port in hw.ports:
        lines += [f"interface {port}", "    no shutdown", "    vlan access 1"]
    mgmt = _mgmt_ip(address)
    lines += [
        "interface vlan 1",
        f"    ip address {mgmt.with_prefixlen}" if mgmt else "    ip dhcp",
    ]
    lines += ["https-server vrf default", *(["https-server vrf mgmt"] if hw.mgmt_port else [])]
    return "\n".join(lines) + "\n"
