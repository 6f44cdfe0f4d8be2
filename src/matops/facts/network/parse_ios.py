"""Cisco IOS / IOS-XE running config → :class:`NetworkConfig` (over a hier_config tree)."""

from __future__ import annotations

from typing import Any, cast

from hier_config import get_hconfig_view

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
from matops.facts.network.tree import (
    banner_text,
    children,
    digest,
    expand_ids,
    first,
    load_tree,
    words_after,
)

_TYPES = {"0", "5", "7", "8", "9"}
_DEFAULT_COMMUNITIES = {"public", "private"}


def _password_type(words: list[str], unqualified: PasswordType = "0") -> PasswordType:
    """Storage type from the words after ``secret``/``password`` (``[type] value``).

    A value without a type number is ``unqualified``: plain text for passwords, MD5 (5) for
    secrets, which IOS hashes that way.
    """
    if len(words) >= 2 and words[0] in _TYPES:
        return cast(PasswordType, words[0])
    return unqualified


def _enable(tree: Any) -> tuple[PasswordType | None, bool, list[PasswordUse]]:
    secret = first(tree, "enable secret ")
    secret_type = (
        _password_type(words_after(secret.text, "enable secret "), "5") if secret else None
    )
    uses = [PasswordUse(where="enable secret", type=secret_type)] if secret_type else []
    password = first(tree, "enable password ")
    if password is not None:
        ptype = _password_type(words_after(password.text, "enable password "))
        uses.append(PasswordUse(where="enable password", type=ptype))
    return secret_type, password is not None, uses


def _users(tree: Any) -> tuple[list[LocalUser], list[PasswordUse]]:
    users, uses = [], []
    for child in children(tree, "username "):
        words = words_after(child.text, "username ")
        privilege = int(words[words.index("privilege") + 1]) if "privilege" in words else None
        ptype: PasswordType | None = None
        pairs: tuple[tuple[str, PasswordType], ...] = (("secret", "5"), ("password", "0"))
        for keyword, unqualified in pairs:
            if keyword in words:
                ptype = _password_type(words[words.index(keyword) + 1 :], unqualified)
        users.append(LocalUser(name=words[0], privilege=privilege, password_type=ptype))
        if ptype is not None:
            uses.append(PasswordUse(where=f"username {words[0]}", type=ptype))
    return users, uses


def _snmp(tree: Any) -> tuple[list[SnmpCommunity], list[SnmpV3User]]:
    communities = []
    for child in children(tree, "snmp-server community "):
        words = words_after(child.text, "snmp-server community ")
        name = words[0] if words[0].lower() in _DEFAULT_COMMUNITIES else "<redacted>"
        access = "rw" if any(w.upper() == "RW" for w in words[1:]) else "ro"
        rest = [w for w in words[1:] if w.upper() not in {"RO", "RW"}]
        acl = rest[-1] if rest and (len(rest) == 1 or rest[-2] != "view") else None
        communities.append(SnmpCommunity(name=name, access=access, acl=acl))
    v3 = []
    for child in children(tree, "snmp-server group "):
        words = words_after(child.text, "snmp-server group ")
        if len(words) >= 3 and words[1] == "v3":
            level = words[2]
            v3.append(
                SnmpV3User(
                    name=f"group {words[0]}",
                    auth="yes" if level in {"auth", "priv"} else None,
                    priv="yes" if level == "priv" else None,
                )
            )
    for child in children(tree, "snmp-server user "):
        words = words_after(child.text, "snmp-server user ")
        if "v3" in words:
            auth = words[words.index("auth") + 1] if "auth" in words else None
            priv = words[words.index("priv") + 1] if "priv" in words else None
            v3.append(SnmpV3User(name=words[0], auth=auth, priv=priv))
    return communities, v3


def _lines(tree: Any) -> tuple[list[Line], list[PasswordUse]]:
    lines, uses = [], []
    for child in children(tree, "line "):
        name = child.text.removeprefix("line ")
        timeout = None
        if (found := first(child, "exec-timeout ")) is not None:
            parts = [int(w) for w in words_after(found.text, "exec-timeout ") if w.isdigit()]
            timeout = parts[0] * 60 + (parts[1] if len(parts) > 1 else 0)
        transport = first(child, "transport input ")
        access = first(child, "access-class ")
        lines.append(
            Line(
                name=name,
                transport_input=words_after(transport.text, "transport input ")
                if transport
                else [],
                exec_timeout_seconds=timeout,
                access_class=access.text.split()[1] if access else None,
            )
        )
        if (password := first(child, "password ")) is not None:
            ptype = _password_type(words_after(password.text, "password "))
            uses.append(PasswordUse(where=f"line {name}", type=ptype))
    return lines, uses


def _telnet(lines: list[Line]) -> bool:
    """Telnet is accepted on a VTY line that allows it, ``all``, or leaves the (old) default."""
    for line in lines:
        if line.name.startswith("vty"):
            allowed = set(line.transport_input)
            if not allowed or allowed & {"telnet", "all"}:
                return True
    return False


def _aaa(tree: Any) -> tuple[bool, list[str], list[str]]:
    login = first(tree, "aaa authentication login default ")
    methods: list[str] = []
    if login is not None:
        words = words_after(login.text, "aaa authentication login default ")
        index = 0
        while index < len(words):
            if words[index] == "group" and index + 1 < len(words):
                methods.append(f"group {words[index + 1]}")
                index += 2
            else:
                methods.append(words[index])
                index += 1
    servers = [c.text.split()[2] for c in children(tree, "radius-server host ")]
    for server in children(tree, "radius server "):
        address = first(server, "address ipv4 ")
        if address is not None:
            servers.append(address.text.split()[2])
    return first(tree, "aaa new-model") is not None, methods, servers


def _servers(tree: Any, prefix: str) -> list[str]:
    found = []
    for child in children(tree, prefix):
        rest = words_after(child.text, prefix)
        if rest and rest[0] == "vrf":
            rest = rest[2:]
        if rest and rest[0] == "host":
            rest = rest[1:]
        if rest and rest[0][:1].isdigit():
            found.append(rest[0])
    return found


def _mode(node: Any, name: str) -> PortMode:
    if name.lower().startswith(("vlan", "loopback", "port-channel", "tunnel")):
        return "virtual"
    texts = {c.text for c in node.children}
    if "no switchport" in texts or any(
        t.startswith(("ip address", "vrf forwarding")) for t in texts
    ):
        return "routed"
    if "no ip address" in texts:
        return "routed"
    if "switchport mode trunk" in texts:
        return "trunk"
    if "switchport mode access" in texts:
        return "access"
    return "dynamic"


def _interfaces(tree: Any) -> list[Interface]:
    view = get_hconfig_view(tree)
    result = []
    for port in view.interface_views:
        node = port.config
        mode = _mode(node, port.name)
        texts = [c.text for c in node.children]
        switched = mode in {"access", "dynamic", "trunk"}
        result.append(
            Interface(
                name=port.name,
                mode=mode,
                access_vlan=port.native_vlan if mode in {"access", "dynamic"} else None,
                native_vlan=(port.native_vlan or 1) if mode == "trunk" else None,
                shutdown=not port.enabled,
                description=port.description,
                portfast=switched and any(t.startswith("spanning-tree portfast") for t in texts),
                bpduguard="spanning-tree bpduguard enable" in texts,
                storm_control=any(t.startswith("storm-control") for t in texts),
                physical=mode != "virtual",
            )
        )
    return result


def _globals(tree: Any) -> dict[str, Any]:
    snooping_vlans: list[int] = []
    for child in children(tree, "ip dhcp snooping vlan "):
        snooping_vlans += expand_ids(child.text.split()[4])
    stp = first(tree, "spanning-tree mode ")
    http = first(tree, "ip http server")
    https = first(tree, "ip http secure-server")
    ssh_version = first(tree, "ip ssh version 2")
    return {
        "http_server": http is not None,
        "https_server": https is not None,
        "ssh_version": 2 if ssh_version is not None else None,
        "dhcp_snooping": any(c.text == "ip dhcp snooping" for c in tree.children),
        "dhcp_snooping_vlans": sorted(set(snooping_vlans)),
        "cdp_enabled": first(tree, "no cdp run") is None,
        "lldp_enabled": first(tree, "lldp run") is not None,
        "spanning_tree_mode": stp.text.split()[2] if stp else "pvst",
        "bpduguard_default": any(
            c.text.startswith("spanning-tree portfast") and c.text.endswith("bpduguard default")
            for c in tree.children
        ),
    }


def _ssh(lines: list[Line]) -> bool:
    """SSH is accepted on a VTY line that allows it, ``all``, or leaves the default."""
    return any(
        not line.transport_input or set(line.transport_input) & {"ssh", "all"}
        for line in lines
        if line.name.startswith("vty")
    )


def _services(tree: Any) -> dict[str, Any]:
    """Hostname, NTP and log servers, and the pre-login banner."""
    hostname = first(tree, "hostname ")
    banner = first(tree, "banner login") or first(tree, "banner motd")
    plain_logging = [
        c.text.split()[1] for c in children(tree, "logging ") if c.text.split()[1][0].isdigit()
    ]
    return {
        "hostname": hostname.text.split()[1] if hostname else None,
        "ntp_servers": _servers(tree, "ntp server "),
        "logging_hosts": _servers(tree, "logging host ") + plain_logging,
        "banner": banner_text(banner) if banner else "",
    }


def parse_ios(text: str) -> NetworkConfig:
    """Parse an IOS running config.

    >>> cfg = parse_ios("hostname sw1\\nip ssh version 2\\nline vty 0 4\\n transport input ssh\\n")
    >>> cfg.hostname, cfg.telnet_enabled, cfg.ssh_version
    ('sw1', False, 2)
    """
    tree = load_tree("cisco_ios", text)
    enable_type, enable_password, enable_uses = _enable(tree)
    users, user_uses = _users(tree)
    communities, v3 = _snmp(tree)
    lines, line_uses = _lines(tree)
    aaa, methods, radius = _aaa(tree)
    config_digest, count = digest(tree)
    return NetworkConfig(
        platform="cisco_ios",
        telnet_enabled=_telnet(lines),
        ssh_enabled=_ssh(lines),
        snmp_communities=communities,
        snmp_v3_users=v3,
        enable_secret_type=enable_type,
        enable_password_set=enable_password,
        passwords=enable_uses + user_uses + line_uses,
        local_users=users,
        aaa_enabled=aaa,
        login_authentication=methods,
        radius_servers=radius,
        lines=lines,
        interfaces=_interfaces(tree),
        digest=config_digest,
        line_count=count,
        **_services(tree),
        **_globals(tree),
    )
