"""HPE Aruba AOS-CX 10.x running config → :class:`NetworkConfig`.

AOS-CX has no telnet server, no plain-HTTP management server, speaks SSH v2 only and has no
enable mode; its CLI idle timeout is ``cli-session`` / ``timeout <minutes>`` (default 30 minutes).
A LAG member (``lag N`` under a port) carries the mode of ``interface lag N``; a port with
``routing`` (or an IP address) is routed, one with ``no routing`` is switched.
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
from matops.facts.network.tree import children, digest, first, load, words_after

_DEFAULT_TIMEOUT = 30 * 60


def _users(tree: Any) -> tuple[list[LocalUser], list[PasswordUse]]:
    """Accounts from ``user NAME group GROUP [password ciphertext|plaintext …]`` lines."""
    users, uses = [], []
    for child in children(tree, "user "):
        words = words_after(child.text, "user ")
        if len(words) < 3 or words[1] != "group":
            continue  # ``user X authorized-key …`` and the like add to an account
        ptype: PasswordType | None = None
        if "password" in words:
            stored = words[words.index("password") + 1 :]
            found = stored[0] if stored else ""
            ptype = cast(PasswordType, found) if found in {"ciphertext", "plaintext"} else "unknown"
            uses.append(PasswordUse(where=f"user {words[0]}", type=ptype))
        group = words[2]
        privilege = 15 if group == "administrators" else 1 if group == "operators" else None
        users.append(LocalUser(name=words[0], privilege=privilege, password_type=ptype))
    return users, uses


BUILTIN_COMMUNITY = "public"
"""The community AOS-CX answers to while no ``snmp-server community`` line exists: defining any
community deletes it, removing the last one brings it back (HPE's ``snmp-server community``
reference). ``snmp-server snmpv3-only`` makes the agent drop v1/v2c requests altogether."""


def _snmp(tree: Any) -> tuple[list[SnmpCommunity], list[SnmpV3User]]:
    communities = []
    agent_on = first(tree, "snmp-server vrf ") is not None
    v3_only = any(c.text == "snmp-server snmpv3-only" for c in tree.children)
    if agent_on and not v3_only and first(tree, "snmp-server community ") is None:
        communities.append(SnmpCommunity(name=BUILTIN_COMMUNITY, access="ro", acl=None))
    for child in children(tree, "snmp-server community "):
        words = words_after(child.text, "snmp-server community ")
        if not words:
            continue
        shown = words[0] if words[0].lower() in {"public", "private"} else "<redacted>"
        level = first(child, "access-level ")
        access = "rw" if level is not None and level.text.endswith("rw") else "ro"
        communities.append(SnmpCommunity(name=shown, access=access, acl=None))
    users = []
    for child in children(tree, "snmpv3 user "):
        words = words_after(child.text, "snmpv3 user ")
        if not words:
            continue
        auth = words[words.index("auth") + 1] if "auth" in words[:-1] else None
        priv = words[words.index("priv") + 1] if "priv" in words[:-1] else None
        users.append(SnmpV3User(name=words[0], auth=auth, priv=priv))
    return communities, users


def _session(tree: Any) -> list[Line]:
    session = first(tree, "cli-session")
    if session is None:
        return []
    timeout = first(session, "timeout ")
    value = timeout.text.split()[1] if timeout and timeout.text.count(" ") else ""
    return [
        Line(
            name="cli-session",
            transport_input=["ssh"],
            exec_timeout_seconds=int(value) * 60 if value.isdigit() else None,
            access_class=None,
            login=None,
        )
    ]


def _mode(name: str, texts: set[str]) -> tuple[PortMode, int | None, int | None]:
    """Mode, access VLAN and native VLAN of an interface from its child lines."""
    if not name[:1].isdigit():
        return ("routed" if name == "mgmt" else "virtual"), None, None
    if "routing" in texts or any(t.startswith("ip address") for t in texts):
        return "routed", None, None
    native = next(
        (t.split()[3] for t in texts if t.startswith("vlan trunk native ") and t.count(" ") > 2),
        None,
    )
    if native is not None or any(t.startswith("vlan trunk allowed") for t in texts):
        return "trunk", None, int(native) if native and native.isdigit() else 1
    access = next((t.split()[2] for t in texts if t.startswith("vlan access ")), "1")
    return "access", int(access) if access.isdigit() else 1, None


def _port(name: str, texts: set[str], lag_texts: set[str] | None, lag: str | None) -> Interface:
    mode, access, native = _mode(name, texts)
    if lag_texts is not None:
        mode, access, native = _mode(name, lag_texts)
    description = next((t.split(maxsplit=1)[1] for t in texts if t.startswith("description ")), "")
    physical = name[:1].isdigit()
    return Interface(
        name=name,
        mode=mode,
        access_vlan=access,
        native_vlan=native,
        shutdown="no shutdown" not in texts if physical else "shutdown" in texts,
        description=description,
        portfast="spanning-tree port-type admin-edge" in texts,
        bpduguard="spanning-tree bpdu-guard" in texts,
        storm_control=any(t.startswith("rate-limit broadcast") for t in texts),
        physical=physical,
        lag=lag,
    )


def _interfaces(tree: Any) -> list[Interface]:
    sections = {
        c.text.removeprefix("interface ").strip(): {x.text for x in c.children}
        for c in children(tree, "interface ")
    }
    lags = {  # ``interface lag 1`` or ``interface lag 1 multi-chassis`` → ``lag 1``
        " ".join(name.split()[:2]): texts
        for name, texts in sections.items()
        if name.startswith("lag ")
    }
    result = []
    for name, texts in sections.items():
        member = next((t for t in texts if t.startswith("lag ") and t.count(" ") == 1), None)
        lag = f"lag {member.split()[1]}" if member else None
        result.append(_port(name, texts, lags.get(lag) if lag else None, lag))
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


def _addresses(tree: Any, prefix: str, names: bool = False) -> list[str]:
    """The first word after ``prefix`` on each line: an address (or, with ``names``, a name)."""
    found = []
    for child in children(tree, prefix):
        words = words_after(child.text, prefix)
        if words and (words[0][:1].isdigit() or (names and "." in words[0])):
            found.append(words[0])
    return found


def _radius(tree: Any) -> tuple[list[str], dict[str, list[str]]]:
    servers = _addresses(tree, "radius-server host ", names=True)
    groups: dict[str, list[str]] = {"radius": servers}
    for group in children(tree, "aaa group server radius "):
        members = [c.text.split()[1] for c in children(group, "server ") if c.text.count(" ")]
        groups[group.text.split()[4] if group.text.count(" ") > 3 else ""] = members
    return servers, groups


def _management(tree: Any, banners: dict[str, str]) -> dict[str, Any]:
    """Management-plane fields: access, accounts, AAA, SNMP, services, banner."""
    hostname = first(tree, "hostname ")
    users, uses = _users(tree)
    communities, v3 = _snmp(tree)
    methods = _login_methods(tree)
    servers, groups = _radius(tree)
    return {
        "hostname": hostname.text.split()[1] if hostname and hostname.text.count(" ") else None,
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
        "radius_servers": servers,
        "radius_groups": groups,
        "ntp_servers": _addresses(tree, "ntp server ", names=True),
        "logging_hosts": _addresses(tree, "logging "),
        "banner": banners.get("motd", ""),
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
        "bpduguard_default": False,
        "portfast_default": False,
    }


def parse_aoscx(text: str) -> NetworkConfig:
    """Parse an AOS-CX running config.

    >>> cfg = parse_aoscx("hostname sw2\\nno lldp\\ncli-session\\n    timeout 10\\n")
    >>> cfg.hostname, cfg.lldp_enabled, cfg.lines[0].exec_timeout_seconds
    ('sw2', False, 600)
    """
    loaded = load("aruba_aoscx", text)
    tree = loaded.tree
    config_digest, count = digest(tree)
    return NetworkConfig(
        platform="aruba_aoscx",
        has_enable_mode=False,
        enable_secret_type=None,
        enable_password_set=False,
        lines=_session(tree),
        default_exec_timeout_seconds=_DEFAULT_TIMEOUT,
        interfaces=_interfaces(tree),
        digest=config_digest,
        line_count=count,
        **_management(tree, loaded.banners),
        **_layer2(tree),
    )
