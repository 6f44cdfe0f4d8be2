"""HPE Aruba AOS-CX (6100/6200) configuration language, as data for the CLI engine.

AOS-CX indents children by four spaces, shows ``no shutdown`` on ports, keeps
``vlan trunk allowed`` additive, and stores passwords typed as ``plaintext`` as
``ciphertext``.
"""

from __future__ import annotations

import re

from switchsim.config_tree import LineRules, Node, rule
from switchsim.passwords import aoscx_ciphertext
from switchsim.syntax import (
    GLOBAL,
    Syntax,
    compress_ids,
    expand_ids,
    opener,
    rank_in,
    rank_table,
    words,
)

_OPENERS = (
    opener(GLOBAL, r"^interface (\d+/\d+/\d+)$", "if", "config-if"),
    opener(GLOBAL, r"^interface (\d+/\d+/\d+[-,][\d/,\-]+)$", "if", "config-if-<{1}>"),
    opener(GLOBAL, r"^interface vlan ?(\d+)$", "if-vlan", "config-if-vlan"),
    opener(GLOBAL, r"^interface lag ?(\d+)", "lag", "config-lag-if"),
    opener(GLOBAL, r"^interface loopback ?(\d+)$", "loopback", "config-loopback-if"),
    opener(GLOBAL, r"^interface mgmt$", "mgmt", "config-if-mgmt"),
    opener(GLOBAL, r"^vlan (\d+)$", "vlan", "config-vlan-{1}"),
    opener(GLOBAL, r"^vlan ([\d,\-]+)$", "vlan", "config-vlan-<{1}>"),
    opener(GLOBAL, r"^aaa group server (?:radius|tacacs) \S+$", "sg", "config-sg"),
    opener(GLOBAL, r"^router ospf (\d+)", "ospf", "config-ospf-{1}"),
    opener(GLOBAL, r"^access-list (ip|ipv6|mac) \S+$", "acl", "config-acl-{1}"),
    opener(GLOBAL, r"^class (ip|ipv6|mac) \S+$", "class", "config-class-{1}"),
    opener(GLOBAL, r"^policy \S+$", "policy", "config-policy"),
    opener(GLOBAL, r"^vrf \S+$", "vrf", "config-vrf"),
    opener(GLOBAL, r"^cli-session$", "cli-session", "config-cli-session"),
    opener(GLOBAL, r"^mirror session (\d+)$", "mirror", "config-mirror-{1}"),
    opener(GLOBAL, r"^user-group (\S+)$", "user-group", "config-usr-grp-{1}"),
)

_PORT = (
    "shutdown", "description", r"vlan (access|trunk)", "routing",
    r"ip (address|dhcp|helper-address|ospf|mtu|proxy-arp|source-lockdown|igmp)", "ipv6",
    "lag", "loop-protect",
    r"spanning-tree (bpdu-guard|port-type|root-guard|loop-guard|tcn-guard|bpdu-filter"
    r"|rpvst-guard|cost|port-priority|link-type)",
    "mtu", "speed", "flow-control", "power-over-ethernet", r"lldp (transmit|receive|med|trap)",
    "apply", "port-access", "aaa authentication port-access", "dhcpv4-snooping trust",
    "arp inspection trust", "rate-limit", "qos", "vsx-sync", "client track",
    "energy-efficient-ethernet", "udld",
)  # fmt: skip
_CHILDREN = {
    "if": words(*_PORT),
    "lag": words(*_PORT, "lacp"),
    "if-vlan": words("description", "shutdown", "ip", "ipv6", "vrf attach", "active-gateway"),
    "loopback": words("ip", "ipv6", "vrf attach"),
    "mgmt": words("ip", "default-gateway", "nameserver", "shutdown"),
    "vlan": words("name", "description", "shutdown", "voice", "ip igmp snooping",
                  "dhcpv4-snooping", "arp inspection", "vsx-sync"),
    "sg": words("server"),
    "ospf": words("router-id", "area", "passive-interface", "redistribute", "max-metric"),
    "acl": words(r"\d+", "permit", "deny", "comment"),
    "class": words(r"\d+", "match", "ignore", "comment"),
    "policy": words(r"\d+", "class"),
    "vrf": words("rd", "route-target", "address-family"),
    "cli-session": words("timeout"),
    "mirror": words("source", "destination", "enable", "disable", "comment"),
    "user-group": words(r"\d+", "permit", "deny"),
}  # fmt: skip

_REPLACE = tuple(
    rule(p)
    for p in (
        r"^(hostname) ", r"^(description) ", r"^(name) ", r"^(vlan access) ",
        r"^(vlan trunk native) ", r"^(ip address) (?!.* secondary)", r"^(mtu) ", r"^(speed) ",
        r"^(timeout) ", r"^(user \S+) ", r"^(snmp-server community \S+)", r"^(snmpv3 user \S+) ",
        r"^(radius-server host \S+) ", r"^(tacacs-server host \S+) ", r"^(ntp server \S+)\b",
        r"^(logging \d+\.\d+\.\d+\.\d+)\b", r"^(clock timezone) ",
        r"^(snmp-server system-(?:location|contact|description)) ", r"^(router-id) ",
        r"^(lag) ", r"^(ip dns domain-name) ",
        r"^(aaa (?:authentication|authorization|accounting) \S+ \S+) ",
        r"^(ssh maximum-auth-attempts) ", r"^(ssh (?:ciphers|macs|key-exchange-algorithms)) ",
        r"^(spanning-tree (?:mode|priority)) ", r"^(loop-protect (?:action|trap)) ",
    )
)  # fmt: skip

_KEPT = (
    rule(r"^no (shutdown|routing)$", "if", "lag"),
    rule(r"^no shutdown$", "if-vlan", "mgmt"),
)

_EXCLUSIONS = (
    (rule(r"^vlan trunk ", "if", "lag"), rule(r"^vlan access ", "if", "lag")),
    (rule(r"^vlan access ", "if", "lag"), rule(r"^vlan trunk ", "if", "lag")),
)

_GLOBAL_RANK = rank_table(
    (r"^hostname ", 0), (r"^banner ", 1), (r"^user ", 5), (r"^user-group ", 6),
    (r"^clock ", 10), (r"^ntp ", 11), (r"^(no )?ssh ", 20), (r"^logging ", 25),
    (r"^(radius|tacacs)-server ", 30), (r"^aaa ", 31), (r"^snmp-server ", 40),
    (r"^snmpv3 ", 41), (r"^vlan ", 50), (r"^spanning-tree", 55),
    (r"^interface mgmt", 59), (r"^interface lag", 60), (r"^interface \d", 61),
    (r"^interface loopback", 64), (r"^interface vlan", 65), (r"^ip route", 70),
    (r"^(no )?https-server ", 80),
)  # fmt: skip


def _rank(family: str, text: str) -> int:
    """Where AOS-CX shows a line (lower first): a port's description comes first."""
    if family != GLOBAL:
        return 0 if text.startswith("description ") else 1
    return rank_in(_GLOBAL_RANK, text, 45)


_ALLOWED_RE = re.compile(r"^(no )?vlan trunk allowed (\S+)$")


def _merge(family: str, existing: str, new: str) -> str | None:
    """``vlan trunk allowed`` adds to (``no``: removes from) the port's allowed list."""
    found, current = _ALLOWED_RE.match(new), _ALLOWED_RE.match(existing)
    if family not in {"if", "lag"} or not found or not current or current.group(1):
        return None
    if "all" in (found.group(2), current.group(2)):
        if not found.group(1):
            return new
        return "" if found.group(2) == "all" else None
    have, change = set(expand_ids(current.group(2))), set(expand_ids(found.group(2)))
    result = have - change if found.group(1) else have | change
    return f"vlan trunk allowed {compress_ids(sorted(result))}" if result else ""


_PLAINTEXT_RE = re.compile(r"\bplaintext (\S+)")


def _secrets(family: str, text: str, root: Node) -> str:
    """Store every ``plaintext`` secret as ``ciphertext``, as AOS-CX does."""
    return _PLAINTEXT_RE.sub(lambda m: "ciphertext " + aoscx_ciphertext(m.group(1)), text)


AOSCX = Syntax(
    name="aruba_aoscx",
    indent="    ",
    openers=_OPENERS,
    children=_CHILDREN,
    rules=LineRules(
        replace=_REPLACE,
        kept_negations=_KEPT,
        exclusions=_EXCLUSIONS,
        rank=_rank,
        merge=_merge,
    ),
    banner_delim=None,
    separator=None,
    secrets=_secrets,
)
