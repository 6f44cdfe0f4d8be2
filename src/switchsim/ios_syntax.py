"""Cisco IOS / IOS-XE configuration language, as data for the CLI engine.

Covers what a campus access switch's baseline uses: interfaces (and ranges), lines, VLANs,
AAA server groups, RADIUS/TACACS servers, ACLs, VRFs, routing processes, QoS maps, DHCP
pools, MST, archive, key chains. Unknown sections still work through indentation.
"""

from __future__ import annotations

import re

from switchsim.config_tree import LineRules, Node, rule
from switchsim.passwords import type7_encode, type9_hash
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
    opener(GLOBAL, r"^interface range\s", "if", "config-if-range"),
    opener(GLOBAL, r"^interface\s+\S", "if", "config-if"),
    opener(GLOBAL, r"^line\s+\S", "line", "config-line"),
    opener(GLOBAL, r"^vlan\s+\d[\d,\-\s]*$", "vlan", "config-vlan"),
    opener(GLOBAL, r"^router\s+\S", "router", "config-router"),
    opener(GLOBAL, r"^ip access-list standard\s", "std-nacl", "config-std-nacl"),
    opener(GLOBAL, r"^ip access-list extended\s", "ext-nacl", "config-ext-nacl"),
    opener(GLOBAL, r"^ipv6 access-list\s", "ipv6-acl", "config-ipv6-acl"),
    opener(GLOBAL, r"^mac access-list extended\s", "ext-macl", "config-ext-macl"),
    opener(GLOBAL, r"^aaa group server radius\s", "sg-radius", "config-sg-radius"),
    opener(GLOBAL, r"^aaa group server tacacs\+\s", "sg-tacacs", "config-sg-tacacs+"),
    opener(GLOBAL, r"^radius server\s", "radius-server", "config-radius-server"),
    opener(GLOBAL, r"^tacacs server\s", "tacacs-server", "config-server-tacacs"),
    opener(GLOBAL, r"^aaa server radius dynamic-author$", "da-radius", "config-locsvr-da-radius"),
    opener(GLOBAL, r"^vrf definition\s", "vrf", "config-vrf"),
    opener("vrf", r"^address-family\s", "vrf-af", "config-vrf-af"),
    opener("router", r"^address-family\s", "router-af", "config-router-af"),
    opener(GLOBAL, r"^archive$", "archive", "config-archive"),
    opener("archive", r"^log config$", "archive-log", "config-archive-log-cfg"),
    opener(GLOBAL, r"^class-map\s", "cmap", "config-cmap"),
    opener(GLOBAL, r"^policy-map\s", "pmap", "config-pmap"),
    opener("pmap", r"^class\s", "pmap-c", "config-pmap-c"),
    opener(GLOBAL, r"^ip dhcp pool\s", "dhcp", "dhcp-config"),
    opener(GLOBAL, r"^spanning-tree mst configuration$", "mst", "config-mst"),
    opener(GLOBAL, r"^crypto pki trustpoint\s", "trustpoint", "ca-trustpoint"),
    opener(GLOBAL, r"^key chain\s", "keychain", "config-keychain"),
    opener("keychain", r"^key\s+\d+$", "keychain-key", "config-keychain-key"),
    opener(GLOBAL, r"^control-plane$", "cp", "config-cp"),
    opener(GLOBAL, r"^redundancy$", "red", "config-red"),
    opener(GLOBAL, r"^event manager applet\s", "applet", "config-applet"),
)

_IF_IP = (
    r"ip (address|helper-address|access-group|dhcp snooping (trust|limit)|arp inspection"
    r" (trust|limit)|verify|ospf|pim|igmp|proxy-arp|redirects|unreachables|directed-broadcast"
    r"|mtu|nat (inside|outside)|policy|vrf|flow|device|source|route-cache|mroute-cache"
    r"|unnumbered|tcp)"
)
_ACL = words(r"\d+", "permit", "deny", "remark", "sequence", "evaluate")
_CHILDREN = {
    "if": words(
        "description", "switchport", "shutdown", "speed", "duplex", "mtu", _IF_IP,
        r"ipv6 (address|enable|nd|dhcp|traffic-filter|ospf)",
        r"spanning-tree (portfast(?! (default|bpdu))|bpduguard|bpdufilter|guard|link-type|cost"
        r"|port-priority|vlan \S+ (cost|port-priority))",
        "channel-group", "channel-protocol", "storm-control", "authentication", "dot1x", "mab",
        "load-interval", "logging event", "cdp", r"lldp (transmit|receive|med)", "power",
        "service-policy", "vrf forwarding", "standby", "vrrp", "negotiation", "udld",
        "keepalive", "encapsulation", "bandwidth", "delay", "media-type", "access-session",
        "device-tracking", "source template", "auto qos", "mls qos", "trust", "priority-queue",
        "srr-queue", "queue-set", "small-frame", "snmp trap", "carrier-delay", "hold-queue",
    ),
    "line": words(
        r"login( local| authentication \S+)?$", "transport", "exec-timeout", "password",
        "access-class", "ipv6 access-class", "logging synchronous", "privilege level",
        "session-timeout", "absolute-timeout", "length", "width", "stopbits", "autoselect",
        "authorization", "accounting", "motd-banner", "exec-banner", "exec$", "escape-character",
        "history", "speed", "flowcontrol", "databits", "parity", "rotary", "timeout login",
        "terminal-type", "location", "activation-character", "monitor",
    ),
    "vlan": words("name", "state", "shutdown", "remote-span", "mtu", "private-vlan", "media"),
    "router": words(
        "network", "router-id", "passive-interface", "redistribute", "neighbor",
        "default-information", "auto-summary", "area", "log-adjacency-changes", "bgp",
        "address-family", "distance", "maximum-paths", "version", "timers", "default-metric",
        "eigrp", "metric", "summary-address", "distribute-list", "synchronization",
    ),
    "std-nacl": _ACL, "ext-nacl": _ACL, "ipv6-acl": _ACL, "ext-macl": _ACL,
    "sg-radius": words("server", "ip radius source-interface", "deadtime", "load-balance",
                       "ip vrf forwarding", "accounting"),
    "sg-tacacs": words("server", "ip tacacs source-interface", "ip vrf forwarding"),
    "radius-server": words("address", "key", "timeout", "retransmit", "automate-tester", "pac"),
    "tacacs-server": words("address", "key", "timeout", "port", "single-connection"),
    "da-radius": words("client", "server-key", "port", "auth-type", "ignore", "domain"),
    "vrf": words("rd", "address-family", "description", "route-target", "vpn"),
    "vrf-af": words("route-target", "import", "export", "exit-address-family"),
    "router-af": words("network", "neighbor", "redistribute", "exit-address-family"),
    "archive": words("path", "write-memory", "maximum", "time-period", "log config"),
    "archive-log": words("logging", "notify", "hidekeys"),
    "cmap": words("match", "description"),
    "pmap": words("class", "description"),
    "pmap-c": words("police", "set", "bandwidth", "priority", "shape", "queue-limit", "trust",
                    "service-policy", "random-detect", "fair-queue"),
    "dhcp": words("network", "default-router", "dns-server", "lease", "domain-name", "option",
                  "netbios-name-server", "netbios-node-type", "host", "next-server", "bootfile"),
    "mst": words("name", "revision", "instance"),
    "trustpoint": words("enrollment", "subject-name", "revocation-check", "rsakeypair",
                        "serial-number", "ip-address", "fqdn", "usage", "source", "hash"),
    "keychain": words(r"key \d+$"),
    "keychain-key": words("key-string", "accept-lifetime", "send-lifetime",
                          "cryptographic-algorithm"),
    "cp": words("service-policy"),
    "red": words("mode", "main-cpu"),
    "applet": words("event", "action", "description"),
}  # fmt: skip

_REPLACE = (
    *(
        rule(p)
    for p in (
        r"^(hostname) ", r"^(enable secret) ", r"^(enable password) ", r"^(username \S+) ",
        r"^(ip domain[- ]name) ", r"^(ip default-gateway) ", r"^(ip ssh version) ",
        r"^(ip ssh time-out) ", r"^(ip ssh authentication-retries) ",
        r"^(ip ssh source-interface) ", r"^(ip http authentication) ", r"^(ip http port) ",
        r"^(ip radius source-interface) ", r"^(ip tacacs source-interface) ",
        r"^(spanning-tree mode) ", r"^(vtp (?:mode|domain|version)) ", r"^(clock timezone) ",
        r"^(logging buffered)\b", r"^(logging trap) ", r"^(logging source-interface) ",
        r"^(logging console)\b", r"^(ntp source) ", r"^(snmp-server (?:location|contact)) ",
        r"^(snmp-server community \S+)", r"^(snmp-server user \S+) ",
        r"^(snmp-server group \S+ v3 \S+)",
        r"^(aaa (?:authentication|authorization|accounting) \S+ \S+) ",
        r"^(login (?:block-for|delay)) ", r"^(service timestamps (?:debug|log)) ",
        r"^(errdisable recovery interval) ", r"^(system mtu)\b", r"^(description) ",
        r"^(name) ", r"^(state) ", r"^(mtu) ", r"^(exec-timeout) ", r"^(session-timeout) ",
        r"^(absolute-timeout) ", r"^(privilege level) ",
        r"^(transport (?:input|output|preferred)) ",
        r"^(switchport mode) ", r"^(switchport access vlan) ", r"^(switchport voice vlan) ",
        r"^(switchport trunk native vlan) ", r"^(switchport trunk allowed vlan) ",
        r"^(switchport port-security (?:maximum|violation|aging time)) ",
        r"^(ip address) (?!.* secondary$)", r"^(duplex) ", r"^(power inline)\b",
        r"^(channel-group) ", r"^(spanning-tree portfast)\b", r"^(spanning-tree bpduguard) ",
        r"^(spanning-tree guard) ", r"^(spanning-tree link-type) ",
        r"^(storm-control (?:broadcast|multicast|unicast) level) ",
        r"^(authentication (?:port-control|host-mode)) ", r"^(load-interval) ",
        r"^(ip access-group)(?= \S+ in$)", r"^(ip access-group)(?= \S+ out$)",
        r"^(access-class)(?= \S+ in)", r"^(access-class)(?= \S+ out)",
        r"^(service-policy (?:input|output)) ", r"^(vrf forwarding) ", r"^(rd) ",
        r"^(router-id) ", r"^(revision) ", r"^(default-router) ", r"^(lease) ",
        r"^(domain-name) ", r"^(path) ", r"^(maximum) ", r"^(time-period) ",
    )
    ),
    rule(r"^(login)\b", "line"), rule(r"^(password) ", "line"), rule(r"^(length) ", "line"),
    rule(r"^(speed) ", "if", "line"), rule(r"^(width) ", "line"),
    rule(r"^(logging synchronous)\b", "line"), rule(r"^(key) ", "radius-server", "tacacs-server"),
    rule(r"^(address) ", "radius-server", "tacacs-server"),
    rule(r"^(timeout) ", "radius-server", "tacacs-server"),
    rule(r"^(retransmit) ", "radius-server"), rule(r"^(key-string) ", "keychain-key"),
)  # fmt: skip

_KEPT = (
    rule(
        r"^no (ip http server|ip http secure-server|ip domain[- ]lookup|service pad|service config"
        r"|service password-encryption|service dhcp|cdp run|ip source-route|ip bootp server"
        r"|ip gratuitous-arps|aaa new-model|ip routing|logging console|logging monitor"
        r"|ip forward-protocol nd|vstack|ipv6 cef|ip dhcp snooping information option"
        r"|ip igmp snooping|spanning-tree vlan \S+|ip finger|service finger|lldp run"
        r"|service (tcp|udp)-small-servers|platform punt-keepalive disable-kernel-core)$",
        GLOBAL,
    ),
    rule(
        r"^no (ip address|switchport|ip redirects|ip unreachables|ip proxy-arp|ip route-cache"
        r"|cdp enable|keepalive|negotiation auto|mop enabled|mop sysid|lldp transmit"
        r"|lldp receive|snmp trap link-status|logging event link-status|ip http server)$",
        "if",
    ),
    rule(r"^no (exec|motd-banner|exec-banner|activation-character)$", "line"),
)

_EXCLUSIONS = ((rule(r"^ip address \S+ \S+$", "if"), rule(r"^no ip address$", "if")),)

_GLOBAL_RANK = rank_table(
    (r"^version ", 0), (r"^(no )?service ", 1), (r"^hostname ", 2), (r"^boot", 3),
    (r"^vrf ", 4), (r"^(no )?logging (buffered|console|monitor|rate-limit)", 5),
    (r"^enable ", 6), (r"^username ", 7), (r"^(no )?aaa ", 8), (r"^clock ", 9),
    (r"^(switch \d+ provision|system mtu)", 10),
    (r"^(no )?(ip (routing|domain|name-server|dhcp|arp|device|igmp|multicast|cef|source-route)"
     r"|login |ipv6 )", 11),
    (r"^crypto ", 12), (r"^(license|diagnostic|memory|file|archive)", 13),
    (r"^(no )?(spanning-tree|errdisable|port-channel|udld|dot1x)", 14), (r"^redundancy", 15),
    (r"^vlan ", 16), (r"^(no )?(lldp|cdp) ", 17), (r"^(class-map|policy-map) ", 18),
    (r"^interface Port-channel", 190), (r"^interface Vlan", 196), (r"^interface ", 191),
    (r"^(no )?ip (default-gateway|forward-protocol|http|ssh|tftp|route|access-list|radius"
     r"|tacacs|scp)", 200),
    (r"^logging ", 210), (r"^(access-list|ipv6 access-list|mac access-list)", 220),
    (r"^snmp-server ", 230), (r"^(tacacs|radius)", 240), (r"^control-plane", 250),
    (r"^banner ", 260), (r"^line ", 270), (r"^ntp ", 280),
)  # fmt: skip
_IF_RANK = rank_table(
    (r"^description ", 0), (r"^switchport access", 1), (r"^switchport trunk native", 2),
    (r"^switchport trunk allowed", 3), (r"^switchport mode", 4), (r"^switchport voice", 5),
    (r"^switchport", 6), (r"^(no )?ip ", 7), (r"^spanning-tree", 9),
)  # fmt: skip


def _rank(family: str, text: str) -> int:
    """Where IOS shows a line among its siblings (lower first); 100 = after known ones."""
    if family == GLOBAL:
        return rank_in(_GLOBAL_RANK, text, 100)
    if family == "if":
        return rank_in(_IF_RANK, text, 8)
    return 0


def _separate(node: Node, following: Node | None) -> bool:
    """Whether IOS prints ``!`` after a top-level line (sections, interfaces, groups)."""
    if following is None:
        return True
    if node.text.startswith("line ") and following.text.startswith("line "):
        return False
    if node.children or node.text.startswith("interface "):
        return True
    return _rank(GLOBAL, node.text) != _rank(GLOBAL, following.text)


_TRUNK_RE = re.compile(r"^(no )?switchport trunk allowed vlan (?:(add|remove) )?([\d,\-]+)$")


def _merge(family: str, existing: str, new: str) -> str | None:
    """Apply ``switchport trunk allowed vlan add|remove`` to an existing allowed list."""
    found = _TRUNK_RE.match(new)
    if family != "if" or not found or not found.group(2):
        return None
    current = _TRUNK_RE.match(existing)
    if not current or current.group(1) or current.group(2):
        return None
    have = set(expand_ids(current.group(3)))
    change = set(expand_ids(found.group(3)))
    result = have | change if found.group(2) == "add" else have - change
    return f"switchport trunk allowed vlan {compress_ids(sorted(result)) or 'none'}"


_SECRET_RE = re.compile(
    r"^(username \S+(?: privilege \d+)?)(?: algorithm-type \S+)? secret (?:0 )?(\S+)$"
)
_ENABLE_SECRET_RE = re.compile(r"^enable secret (?:0 )?(\S+)$")
_TYPE7_RES = {
    GLOBAL: re.compile(
        r"^(username \S+.*? password|enable password|(?:radius|tacacs)-server key) (?:0 )?(\S+)$"
    ),
    "line": re.compile(r"^(password) (?:0 )?(\S+)$"),
    "radius-server": re.compile(r"^(key) (?:0 )?(\S+)$"),
    "tacacs-server": re.compile(r"^(key) (?:0 )?(\S+)$"),
}  # fmt: skip


def _secrets(family: str, text: str, root: Node) -> str:
    """Store secrets as IOS does: type 9 for ``secret``, type 7 under password-encryption."""
    if family == GLOBAL:
        found = _SECRET_RE.match(text)
        if found:
            return f"{found.group(1)} secret 9 {type9_hash(found.group(2))}"
        found = _ENABLE_SECRET_RE.match(text)
        if found:
            return f"enable secret 9 {type9_hash(found.group(1))}"
    pattern = _TYPE7_RES.get(family)
    if pattern is None or root.child("service password-encryption") is None:
        return text
    found = pattern.match(text)
    if found:
        return f"{found.group(1)} 7 {type7_encode(found.group(2))}"
    return text


IOS = Syntax(
    name="cisco_ios",
    indent=" ",
    openers=_OPENERS,
    children=_CHILDREN,
    rules=LineRules(
        replace=_REPLACE,
        kept_negations=_KEPT,
        exclusions=_EXCLUSIONS,
        rank=_rank,
        merge=_merge,
    ),
    banner_delim="^C",
    separator="!",
    separate=_separate,
    hidden=re.compile(r"^snmp-server user "),
    secrets=_secrets,
    exit_markers=frozenset({"exit-address-family", "exit-peer-policy", "exit-peer-session"}),
)
