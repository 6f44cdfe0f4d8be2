"""Cisco IOS / IOS-XE running config → :class:`NetworkConfig` (IOS 12.x to IOS-XE 17.x).

Read through the tolerant loader of :mod:`matops.facts.network.tree`; every field of the result
is set from what the config says or, where IOS has a default it does not print, from that
default (e.g. spanning tree ``pvst``, CDP on, a 10-minute line timeout).
"""

from __future__ import annotations

from typing import Any, cast

from matops.facts.network.model import (
    LocalUser,
    NetworkConfig,
    PasswordType,
    PasswordUse,
    SnmpCommunity,
    SnmpV3User,
)
from matops.facts.network.parse_ios_ports import interfaces, lines_of, telnet_ssh
from matops.facts.network.tree import children, digest, expand_ids, first, load, words_after

_TYPES = {"0", "5", "7", "8", "9"}
_DEFAULT_COMMUNITIES = {"public", "private"}
_ALGORITHMS: dict[str, PasswordType] = {"scrypt": "9", "sha256": "8", "md5": "5"}


def secret_type(words: list[str], unqualified: PasswordType) -> PasswordType:
    """Storage type from the words after ``secret``/``password`` (``[type] value``).

    A value without a type number is ``unqualified``: plain text for passwords, MD5 (5) for
    secrets, which IOS hashes that way (or the ``algorithm-type`` named before ``secret``).

    >>> secret_type(["9", "$9$abc"], "5"), secret_type(["letmein"], "0")
    ('9', '0')
    """
    if len(words) >= 2 and words[0] in _TYPES:
        return cast(PasswordType, words[0])
    return unqualified


def _stored(words: list[str]) -> PasswordType | None:
    """How the secret or password among ``words`` (after ``enable``/``username x``) is stored."""
    if "nopassword" in words:
        return "none"
    algorithm = words[words.index("algorithm-type") + 1] if "algorithm-type" in words[:-1] else ""
    for keyword, unqualified in (("secret", _ALGORITHMS.get(algorithm, "5")), ("password", "0")):
        if keyword in words:
            after = words[words.index(keyword) + 1 :]
            if after[:1] == ["level"]:
                after = after[2:]  # ``enable secret level 15 9 …``
            return secret_type(after, unqualified)
    return None


def _enable(tree: Any) -> tuple[PasswordType | None, bool, list[PasswordUse]]:
    secret_type_seen: PasswordType | None = None
    password = False
    uses: list[PasswordUse] = []
    for child in children(tree, "enable "):
        words = words_after(child.text, "enable ")
        if "secret" in words and secret_type_seen is None:
            secret_type_seen = _stored(words)
            uses.append(PasswordUse(where="enable secret", type=secret_type_seen or "unknown"))
        elif "password" in words:
            password = True
            uses.append(PasswordUse(where="enable password", type=_stored(words) or "unknown"))
    return secret_type_seen, password, uses


def _users(tree: Any) -> tuple[list[LocalUser], list[PasswordUse]]:
    users, uses = [], []
    for child in children(tree, "username "):
        words = words_after(child.text, "username ")
        if not words:
            continue
        level = words[words.index("privilege") + 1] if "privilege" in words[:-1] else ""
        ptype = _stored(words[1:])
        users.append(
            LocalUser(
                name=words[0],
                privilege=int(level) if level.isdigit() else None,
                password_type=ptype,
            )
        )
        if ptype is not None:
            uses.append(PasswordUse(where=f"username {words[0]}", type=ptype))
    return users, uses


def _communities(tree: Any) -> list[SnmpCommunity]:
    communities = []
    for child in children(tree, "snmp-server community "):
        words = words_after(child.text, "snmp-server community ")
        if not words:
            continue
        name = words[0] if words[0].lower() in _DEFAULT_COMMUNITIES else "<redacted>"
        access = "rw" if any(w.upper() == "RW" for w in words[1:]) else "ro"
        rest = [w for w in words[1:] if w.upper() not in {"RO", "RW"}]
        if rest and rest[0] == "view":
            rest = rest[2:]
        if rest and rest[0] in {"ipv6", "ipv4"}:
            rest = rest[1:]
        communities.append(SnmpCommunity(name=name, access=access, acl=rest[-1] if rest else None))
    return communities


def _snmp_v3(tree: Any) -> list[SnmpV3User]:
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
            auth = words[words.index("auth") + 1] if "auth" in words[:-1] else None
            priv = words[words.index("priv") + 1] if "priv" in words[:-1] else None
            v3.append(SnmpV3User(name=words[0], auth=auth, priv=priv))
    return v3


def _methods(words: list[str]) -> list[str]:
    """``group radius local`` → ``["group radius", "local"]``."""
    methods: list[str] = []
    index = 0
    while index < len(words):
        if words[index] == "group" and index + 1 < len(words):
            methods.append(f"group {words[index + 1]}")
            index += 2
        else:
            methods.append(words[index])
            index += 1
    return methods


def _radius(tree: Any) -> tuple[list[str], dict[str, list[str]]]:
    """Every RADIUS server's address, and the RADIUS groups with their servers' addresses."""
    named: dict[str, str] = {}
    for server in children(tree, "radius server "):
        address = first(server, "address ipv4 ")
        if address is not None and len(address.text.split()) > 2:
            named[server.text.split()[2]] = address.text.split()[2]
    legacy = [c.text.split()[2] for c in children(tree, "radius-server host ") if c.text.count(" ")]
    servers = list(dict.fromkeys([*legacy, *named.values()]))
    groups: dict[str, list[str]] = {"radius": servers}
    for group in children(tree, "aaa group server radius "):
        members: list[str] = []
        for line in group.children:
            words = line.text.split()
            if words[:2] == ["server", "name"] and len(words) > 2 and words[2] in named:
                members.append(named[words[2]])
            elif words[0] in {"server", "server-private"} and len(words) > 1 and words[1] != "name":
                members.append(words[1])
        groups[group.text.split()[4] if len(group.text.split()) > 4 else ""] = members
    return servers, groups


def _aaa(tree: Any) -> dict[str, Any]:
    login = first(tree, "aaa authentication login default ")
    words = words_after(login.text, "aaa authentication login default ") if login else []
    servers, groups = _radius(tree)
    return {
        "aaa_enabled": first(tree, "aaa new-model") is not None,
        "login_authentication": _methods(words),
        "radius_servers": servers,
        "radius_groups": groups,
    }


def _servers(tree: Any, prefix: str) -> list[str]:
    """Server names/addresses of ``ntp server …`` / ``logging host …`` lines (VRF forms too)."""
    found = []
    for child in children(tree, prefix):
        rest = words_after(child.text, prefix)
        while rest and rest[0] in {"vrf", "ip", "ipv6", "host"}:
            rest = rest[2:] if rest[0] == "vrf" else rest[1:]
        if rest:
            found.append(rest[0])
    return found


def _globals(tree: Any) -> dict[str, Any]:
    snooping_vlans: list[int] = []
    for child in children(tree, "ip dhcp snooping vlan "):
        for spec in child.text.split()[4:]:
            snooping_vlans += expand_ids(spec)
    stp = first(tree, "spanning-tree mode ")
    texts = {c.text for c in tree.children}
    return {
        "http_server": "ip http server" in texts,
        "https_server": "ip http secure-server" in texts,
        "ssh_version": 2 if "ip ssh version 2" in texts else None,
        "dhcp_snooping": "ip dhcp snooping" in texts,
        "dhcp_snooping_vlans": sorted(set(snooping_vlans)),
        "cdp_enabled": "no cdp run" not in texts,
        "lldp_enabled": "lldp run" in texts,
        "spanning_tree_mode": stp.text.split()[2] if stp and stp.text.count(" ") > 1 else "pvst",
        "bpduguard_default": bool(
            texts
            & {
                "spanning-tree portfast bpduguard default",
                "spanning-tree portfast edge bpduguard default",
            }
        ),
        "portfast_default": bool(
            texts & {"spanning-tree portfast default", "spanning-tree portfast edge default"}
        ),
    }


def _services(tree: Any, banners: dict[str, str]) -> dict[str, Any]:
    """Hostname, NTP and log servers, and the pre-login banner (MOTD then login)."""
    hostname = first(tree, "hostname ")
    plain_logging = [
        c.text.split()[1] for c in children(tree, "logging ") if c.text.split()[1][:1].isdigit()
    ]
    shown = [banners[kind] for kind in ("motd", "login") if banners.get(kind)]
    return {
        "hostname": hostname.text.split()[1] if hostname and hostname.text.count(" ") else None,
        "ntp_servers": _servers(tree, "ntp server "),
        "logging_hosts": _servers(tree, "logging host ") + plain_logging,
        "banner": "\n".join(shown),
    }


def parse_ios(text: str) -> NetworkConfig:
    """Parse an IOS running config.

    >>> cfg = parse_ios("hostname sw1\\nip ssh version 2\\nline vty 0 4\\n transport input ssh\\n")
    >>> cfg.hostname, cfg.telnet_enabled, cfg.ssh_version
    ('sw1', False, 2)
    """
    loaded = load("cisco_ios", text)
    tree = loaded.tree
    enable_type, enable_password, enable_uses = _enable(tree)
    users, user_uses = _users(tree)
    aaa = _aaa(tree)
    lines, line_uses = lines_of(tree, aaa["aaa_enabled"])
    telnet, ssh = telnet_ssh(lines)
    settings = _globals(tree)
    config_digest, count = digest(tree)
    return NetworkConfig(
        platform="cisco_ios",
        telnet_enabled=telnet,
        ssh_enabled=ssh,
        snmp_communities=_communities(tree),
        snmp_v3_users=_snmp_v3(tree),
        has_enable_mode=True,
        enable_secret_type=enable_type,
        enable_password_set=enable_password,
        passwords=enable_uses + user_uses + line_uses,
        local_users=users,
        lines=lines,
        default_exec_timeout_seconds=600,
        interfaces=interfaces(tree, settings["portfast_default"], settings["bpduguard_default"]),
        digest=config_digest,
        line_count=count,
        **aaa,
        **_services(tree, loaded.banners),
        **settings,
    )
