"""Interface and VLAN names as the device canonicalises them (``gi1/0/1`` → ``Gigabit…1/0/1``).

Example:
    >>> from switchsim.hardware import lookup
    >>> hw = lookup("cisco_ios", "WS-C2960X-24PS-L", "sw1")
    >>> expand_header(hw, "interface range gi1/0/1 - 2, Gi1/0/24")[1:]
    ['interface GigabitEthernet1/0/2', 'interface GigabitEthernet1/0/24']
"""

from __future__ import annotations

import re

from switchsim.hardware import Hardware
from switchsim.syntax import expand_ids


class InvalidInputError(ValueError):
    """A line the device refuses; ``column`` is where IOS puts its ``^`` marker."""

    def __init__(self, message: str = "", column: int = 0) -> None:
        super().__init__(message)
        self.column = column


class RejectedLineError(InvalidInputError):
    """A line refused by the fault-injection file ``reject-lines``."""


_IOS_TYPES = (
    "GigabitEthernet", "TenGigabitEthernet", "FastEthernet", "TwentyFiveGigE",
    "FortyGigabitEthernet", "Port-channel", "Vlan", "Loopback", "Tunnel", "AppGigabitEthernet",
)  # fmt: skip
_IOS_VIRTUAL = {"Port-channel", "Vlan", "Loopback", "Tunnel"}
_IOS_NAME_RE = re.compile(r"^([A-Za-z][A-Za-z\-]*)\s*(\d+(?:/\d+)*(?:\.\d+)?)$")


def ios_interface(hw: Hardware, name: str) -> str:
    """Canonical IOS interface name; raises :class:`InvalidInputError` when it does not exist."""
    found = _IOS_NAME_RE.match(name.strip())
    if not found:
        raise InvalidInputError(name)
    typed, number = found.group(1).lower(), found.group(2)
    for kind in _IOS_TYPES:
        if kind.lower().startswith(typed):
            full = f"{kind}{number}"
            if kind in _IOS_VIRTUAL or full in hw.ports or full == hw.mgmt_port:
                return full
            break
    raise InvalidInputError(name)


def _ios_range_part(hw: Hardware, part: str) -> list[str]:
    """Expand one ``Gi1/0/1 - 8`` (or ``Gi1/0/1-Gi1/0/8``) element of an IOS range."""
    first, _, last = part.partition("-")
    start = ios_interface(hw, first)
    if not last.strip():
        return [start]
    head = re.match(r"^(.*?)(\d+)$", start)
    tail = re.search(r"(\d+)$", last.strip())
    if head is None or tail is None:
        raise InvalidInputError(part)
    prefix, low, high = head.group(1), int(head.group(2)), int(tail.group(1))
    return [ios_interface(hw, f"{prefix}{n}") for n in range(low, high + 1)]


def _cx_interface(hw: Hardware, name: str) -> str:
    """Canonical AOS-CX interface name (``vlan10`` → ``vlan 10``)."""
    name = name.strip().lower()
    virtual = re.match(r"^(vlan|lag|loopback)\s*(\d+)$", name)
    if virtual:
        return f"{virtual.group(1)} {virtual.group(2)}"
    if name == "mgmt" or name in hw.ports:
        return name
    raise InvalidInputError(name)


def _cx_ports(hw: Hardware, spec: str) -> list[str]:
    """Expand an AOS-CX port list such as ``1/1/1-1/1/4,1/1/8``."""
    ports: list[str] = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        start = _cx_interface(hw, first)
        if not last:
            ports.append(start)
            continue
        prefix, _, low = start.rpartition("/")
        high = last.rsplit("/", 1)[-1]
        ports += [_cx_interface(hw, f"{prefix}/{n}") for n in range(int(low), int(high) + 1)]
    return ports


def _vlans(spec: str) -> list[str]:
    """``vlan 10,20-21`` → one header per VLAN."""
    try:
        ids = expand_ids(spec)
    except ValueError as exc:
        raise InvalidInputError(spec) from exc
    if not ids or ids[0] < 1:
        raise InvalidInputError(spec)
    return [f"vlan {n}" for n in ids]


def expand_header(hw: Hardware, text: str) -> list[str]:
    """Canonical section header(s) for a typed line that opens a sub-mode.

    Interface names are completed and checked against the chassis; ranges and VLAN lists
    become one header each. Other lines come back unchanged.
    """
    vlan = re.match(r"^vlan\s+(\d[\d,\-\s]*)$", text)
    if vlan:
        return _vlans(vlan.group(1).replace(" ", ""))
    if not text.startswith("interface "):
        return [text]
    rest = text[len("interface ") :].strip()
    if hw.platform == "aruba_aoscx":
        return [f"interface {p}" for p in _cx_ports(hw, rest)]
    if rest.startswith("range "):
        parts = rest[len("range ") :].split(",")
        return [f"interface {p}" for part in parts for p in _ios_range_part(hw, part)]
    return [f"interface {ios_interface(hw, rest)}"]


def is_physical(hw: Hardware, header: str) -> bool:
    """Whether ``header`` (``interface X``) names a front-panel or management port."""
    name = header.removeprefix("interface ")
    return name in hw.ports or name == hw.mgmt_port
