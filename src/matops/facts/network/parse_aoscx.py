"""HPE Aruba AOS-CX running config → :class:`NetworkConfig` (over a hier_config tree).

AOS-CX has no telnet server, speaks SSH v2 only and has no enable mode; its CLI idle timeout is
``cli-session`` / ``timeout <minutes>`` (default 30 minutes).
"""

from __future__ import annotations

from typing import Any, cast

from matops.facts.network.model import (
    Interface,
    Line,
    LocalUser,
    NetworkConfig,
    PasswordType,
    PasswordUse,
    PortMode,
    SnmpCommunity,
    SnmpV3User,
)
from matops.facts.network.tree import banner_text, children, digest, first, load_tree, words_after

_DEFAULT_TIMEOUT = 30 * 60


def _users(tree: Any) -> tuple[list[LocalUser], list[PasswordUse]]:
    users, uses = [], []
    for child in children(tree, "user "):
        words = words_after(child.text, "user ")
        if len(words) < 1 or words[0] in {"admin-group"}:
            continue
        group = words[words.index("group") + 1] if "group" in words else None
        ptype: PasswordType | None = None
        if "password" in words:
            stored = words[words.index("password") + 1 :]
            ptype = cast(PasswordType, stored[0]) if stored else "unknown"
            if ptype not in {"ciphertext", "plaintext"}:
                ptype = "unknown"
            uses.append(PasswordUse(where=f"user {words[0]}", type=ptype))
        privilege = 15 if group == "administrators" else 1 if group == "operators" else None
        users.append(LocalUser(name=words[0], privilege=privilege, password_type=ptype))
    return users, uses


def _snmp(tree: Any) -> tuple[list[SnmpCommunity], list[SnmpV3User]]:
    communities = []
    for child in children(tree, "snmp-server community "):
        name = words_after(child.text, "snmp-server community ")[0]
        shown = name if name.lower() in {"public", "private"} else "<redacted>"
        level = first(child, "access-level ")
        access = "rw" if level is not None and level.text.endswith("rw") else "ro"
        communities.append(SnmpCommunity(name=shown, access=access))
    users = []
    for child in children(tree, "snmpv3 user "):
        words = words_after(child.text, "snmpv3 user ")
        auth = words[words.index("auth") + 1] if "auth" in words else None
        priv = words[words.index("priv") + 1] if "priv" in words else None
        users.append(SnmpV3User(name=words[0], auth=auth, priv=priv))
    return communities, users


def _session(tree: Any) -> list[Line]:
    session = first(tree, "cli-session")
    if session is None:
        return []
    timeout = first(session, "timeout ")
    seconds = int(timeout.text.split()[1]) * 60 if timeout else None
    return [Line(name="cli-session", transport_input=["ssh"], exec_timeout_seconds=seconds)]


def _mode(texts: list[str], name: str) -> tuple[PortMode, int | None, int | None]:
    """Mode, access VLAN and native VLAN of an interface from its child lines."""
    if not name[:1].isdigit():
        return ("routed" if name == "mgmt" else "virtual"), None, None
    if "routing" in texts or any(t.startswith("ip address") for t in texts):
        return "routed", None, None
    native = next((int(t.split()[3]) for t in texts if t.startswith("vlan trunk native ")), None)
    if native is not None or any(t.startswith("vlan trunk allowed") for t in texts):
        return "trunk", None, native or 1
    access = next((int(t.split()[2]) for t in texts if t.startswith("vlan access ")), 1)
    return "access", access, None


def _interfaces(tree: Any) -> list[Interface]:
    result = []
    for node in children(tree, "interface "):
        name = node.text.removeprefix("interface ")
        texts = [c.text for c in node.children]
        mode, access, native = _mode(texts, name)
        description = next(
            (t.split(maxsplit=1)[1] for t in texts if t.startswith("description ")), ""
        )
        result.append(
            Interface(
                name=name,
                mode=mode,
                access_vlan=access,
                native_vlan=native,
                shutdown="no shutdown" not in texts if name[:1].isdigit() else "shutdown" in texts,
                description=description,
                portfast="spanning-tree port-type admin-edge" in texts,
                bpduguard="spanning-tree bpdu-guard" in texts,
                storm_control=any(t.startswith("rate-limit broadcast") for t in texts),
                physical=name[:1].isdigit(),
            )
        )
    return result


def _snooping_vlans(tree: Any) -> list[int]:
    found = []
    for vlan in children(tree, "vlan "):
        number = vlan.text.split()[1]
        if number.isdigit() and first(vlan, "dhcpv4-snooping") is not None:
            found.append(int(number))
    return sorted(found)


def _login_methods(tree: Any) -> list[str]:
    login = first(tree, "aaa authentication login default ")
    if login is None:
        return []
    words = words_after(login.text, "aaa authentication login default ")
    methods, index = [], 0
    while index < len(words):
        if words[index] == "group" and index + 1 < len(words):
            methods += [f"group {name}" for name in words[index + 1 :] if name != "local"]
            methods += ["local"] if "local" in words[index + 1 :] else []
            break
        methods.append(words[index])
        index += 1
    return methods


def _addresses(tree: Any, prefix: str) -> list[str]:
    found = []
    for child in children(tree, prefix):
        words = words_after(child.text, prefix)
        if words and words[0][:1].isdigit():
            found.append(words[0])
    return found


def _management(tree: Any) -> dict[str, Any]:
    """Management-plane fields: access, accounts, AAA, SNMP, services, banner."""
    hostname = first(tree, "hostname ")
    users, uses = _users(tree)
    communities, v3 = _snmp(tree)
    banner = first(tree, "banner motd") or first(tree, "banner exec")
    methods = _login_methods(tree)
    return {
        "hostname": hostname.text.split()[1] if hostname else None,
        "telnet_enabled": False,
        "ssh_enabled": first(tree, "ssh server vrf ") is not None,
        "ssh_version": 2,
        "http_server": False,
        "https_server": first(tree, "https-server vrf ") is not None,
        "snmp_communities": communities,
        "snmp_v3_users": v3,
        "passwords": uses,
        "local_users": users,
        "aaa_enabled": bool(methods),
        "login_authentication": methods,
        "radius_servers": _addresses(tree, "radius-server host "),
        "ntp_servers": _addresses(tree, "ntp server "),
        "logging_hosts": _addresses(tree, "logging "),
        "banner": banner_text(banner) if banner else "",
    }


def _layer2(tree: Any) -> dict[str, Any]:
    """Switching fields: DHCP snooping, discovery protocols, spanning tree."""
    stp = first(tree, "spanning-tree mode ")
    enabled = any(c.text.startswith("spanning-tree") for c in tree.children)
    return {
        "dhcp_snooping": any(c.text == "dhcpv4-snooping" for c in tree.children),
        "dhcp_snooping_vlans": _snooping_vlans(tree),
        # AOS-CX does not transmit CDP unless a global ``cdp`` line turns it on (the baseline
        # template relies on that too); ``no cdp`` is accepted and means the same as no line.
        "cdp_enabled": any(c.text == "cdp" for c in tree.children),
        "lldp_enabled": first(tree, "no lldp") is None,
        "spanning_tree_mode": (stp.text.split()[2] if stp else "mstp") if enabled else None,
    }


def parse_aoscx(text: str) -> NetworkConfig:
    """Parse an AOS-CX running config.

    >>> cfg = parse_aoscx("hostname sw2\\nno lldp\\ncli-session\\n    timeout 10\\n")
    >>> cfg.hostname, cfg.lldp_enabled, cfg.lines[0].exec_timeout_seconds
    ('sw2', False, 600)
    """
    tree = load_tree("aruba_aoscx", text)
    config_digest, count = digest(tree)
    return NetworkConfig(
        platform="aruba_aoscx",
        has_enable_mode=False,
        lines=_session(tree),
        default_exec_timeout_seconds=_DEFAULT_TIMEOUT,
        interfaces=_interfaces(tree),
        digest=config_digest,
        line_count=count,
        **_management(tree),
        **_layer2(tree),
    )
