"""IOS lines (console, VTY) and interfaces: the parts of :mod:`parse_ios` that read sections."""

from __future__ import annotations

from typing import Any, cast

from matops.facts.network.model import (
    Interface,
    Line,
    LoginKind,
    PasswordType,
    PasswordUse,
    PortMode,
)
from matops.facts.network.tree import children, first, words_after

_VIRTUAL = (
    "vlan", "loopback", "port-channel", "tunnel", "null", "bdi", "nve", "bvi", "dialer",
    "virtual-", "appgigabitethernet", "group-async", "async", "mgmt",
)  # fmt: skip
_ETHERNET = ("fa", "gi", "te", "tw", "fi", "fo", "hu", "eth", "25g", "40g", "100g")
"""Names of Ethernet ports (full or abbreviated), the only ports that can be switchports."""
_TYPES = {"0", "5", "7", "8", "9"}


def _login(line: Any, name: str, aaa: bool) -> LoginKind | None:
    """How ``line`` authenticates (see :data:`LoginKind`); None when it cannot be told."""
    texts = {c.text for c in line.children}
    if "no login" in texts:
        return "none"
    if "login local" in texts:
        return "local"
    if aaa or any(t.startswith("login authentication") for t in texts):
        return "aaa"
    has_password = first(line, "password ") is not None
    if "login" in texts or name.startswith("vty"):  # VTY lines default to ``login``
        return "password" if has_password else None
    return "none"


def _timeout(line: Any) -> int | None:
    found = first(line, "exec-timeout ")
    if found is None:
        return None
    parts = [int(w) for w in words_after(found.text, "exec-timeout ") if w.isdigit()]
    return parts[0] * 60 + (parts[1] if len(parts) > 1 else 0) if parts else None


def lines_of(tree: Any, aaa: bool) -> tuple[list[Line], list[PasswordUse]]:
    """Every ``line`` section, and where each stores a password."""
    lines, uses = [], []
    for child in children(tree, "line "):
        name = child.text.removeprefix("line ")
        transport = first(child, "transport input ")
        access = first(child, "access-class ")
        lines.append(
            Line(
                name=name,
                transport_input=words_after(transport.text, "transport input ")
                if transport
                else [],
                exec_timeout_seconds=_timeout(child),
                access_class=access.text.split()[1] if access and access.text.count(" ") else None,
                login=_login(child, name, aaa),
            )
        )
        if (password := first(child, "password ")) is not None:
            words = words_after(password.text, "password ")
            kind = words[0] if len(words) >= 2 and words[0] in _TYPES else "0"
            uses.append(PasswordUse(where=f"line {name}", type=cast(PasswordType, kind)))
    return lines, uses


def telnet_ssh(lines: list[Line]) -> tuple[bool | None, bool | None]:
    """Whether a VTY line accepts telnet, and SSH (``all`` or no ``transport input`` line: both,
    the old default). None for both when the config has no VTY line at all."""
    vty = [line for line in lines if line.name.startswith("vty")]
    if not vty:
        return None, None
    telnet = any(not v.transport_input or {"telnet", "all"} & set(v.transport_input) for v in vty)
    ssh = any(not v.transport_input or {"ssh", "all"} & set(v.transport_input) for v in vty)
    return telnet, ssh


def _mode(name: str, texts: set[str]) -> PortMode:
    lower = name.lower()
    if lower.startswith(_VIRTUAL):
        return "virtual"
    if "." in lower or not lower.startswith(_ETHERNET):
        return "routed"  # a subinterface, or a WAN port (ATM, Serial, Cellular…): never switched
    if "no switchport" in texts or any(
        t.startswith(("ip address ", "vrf forwarding", "ip vrf forwarding")) for t in texts
    ):
        return "routed"
    if "no ip address" in texts and not any(t.startswith("switchport") for t in texts):
        return "routed"
    if "switchport mode trunk" in texts:
        return "trunk"
    if "switchport mode access" in texts or any(
        t.startswith("switchport mode private-vlan") for t in texts
    ):
        return "access"
    return "dynamic"


def _vlan(texts: set[str], prefix: str) -> int | None:
    found = next((t for t in texts if t.startswith(prefix)), None)
    value = found.removeprefix(prefix).split()[0] if found and found != prefix.strip() else ""
    return int(value) if value.isdigit() else None


def _port(name: str, texts: set[str], mode: PortMode, defaults: tuple[bool, bool]) -> Interface:
    portfast_default, guard_default = defaults
    switched = mode in {"access", "dynamic"}
    explicit = {
        t.removeprefix("spanning-tree portfast").strip()
        for t in texts
        if t.startswith("spanning-tree portfast")
    }
    portfast = switched and (
        bool(explicit & {"", "edge"})
        or (portfast_default and not explicit & {"disable", "edge disable"})
    )
    if mode == "trunk":
        portfast = bool(explicit & {"trunk", "edge trunk"})
    guard = "spanning-tree bpduguard enable" in texts or (
        guard_default and portfast and "spanning-tree bpduguard disable" not in texts
    )
    description = next((t.split(maxsplit=1)[1] for t in texts if t.startswith("description ")), "")
    return Interface(
        name=name,
        mode=mode,
        access_vlan=(_vlan(texts, "switchport access vlan ") or 1) if switched else None,
        native_vlan=(_vlan(texts, "switchport trunk native vlan ") or 1)
        if mode == "trunk"
        else None,
        shutdown="shutdown" in texts,
        description=description,
        portfast=portfast,
        bpduguard=guard,
        storm_control=any(t.startswith("storm-control") for t in texts),
        physical=mode != "virtual",
        lag=None,
    )


def interfaces(tree: Any, portfast_default: bool, guard_default: bool) -> list[Interface]:
    """Every interface; a port-channel member without a mode of its own takes its channel's."""
    sections = {
        c.text.removeprefix("interface ").strip(): {x.text for x in c.children}
        for c in children(tree, "interface ")
    }
    channels = {
        name.lower().removeprefix("port-channel"): name
        for name in sections
        if name.lower().startswith("port-channel")
    }
    result = []
    for name, texts in sections.items():
        group = next(
            (t.split()[1] for t in texts if t.startswith("channel-group ") and t.count(" ")), None
        )
        lag = channels.get(group or "", f"Port-channel{group}" if group else None)
        own = _mode(name, texts)
        inherited = (
            lag in sections
            and own == "dynamic"
            and not any(t.startswith("switchport") for t in texts)
        )
        if inherited and lag is not None:
            merged = sections[lag] | texts
            port = _port(
                name, merged, _mode(name, sections[lag]), (portfast_default, guard_default)
            )
        else:
            port = _port(name, texts, own, (portfast_default, guard_default))
        result.append(port.model_copy(update={"lag": lag}))
    return result
