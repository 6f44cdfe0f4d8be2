"""Refuse a change that would lock the operators out of a switch.

Pure: the running config plus the commands about to be sent give the resulting config
(hier_config's ``future``), which must still

- (a) accept SSH from the management network: IOS keeps its ``ip ssh`` settings, every VTY line
  allows ``transport input ssh`` and any ``access-class`` on them permits the management subnet;
  AOS-CX keeps ``ssh server vrf <the management VRF>``;
- (b) have a local administrator (IOS ``username … privilege 15``, AOS-CX ``user … group
  administrators``), and keep the account the push itself signs in with;
- (c) have the management SVI up, in the management VLAN, with the switch's address.

ACL evaluation is by source address only (destination and ports are not considered), and an
ACL it cannot read is treated as blocking: when in doubt, refuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from hier_config import HConfig, HConfigChild

from matops.network.diff import parse
from matops.platforms import NetworkPlatform, network_platform, resolve


@dataclass(frozen=True)
class ManagementAccess:
    """How operators reach the switch: management VLAN, address, subnet and push account."""

    vlan: int
    address: IPv4Address
    subnet: IPv4Network
    username: str | None = None


@dataclass(frozen=True)
class SafetyVerdict:
    """The verdict on a change: refused when ``reasons`` is not empty."""

    reasons: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the change keeps management access."""
        return not self.reasons


def resulting_config(
    platform: NetworkPlatform | str, running: str, commands: Iterable[str]
) -> HConfig:
    """The configuration the device will run once ``commands`` are applied to ``running``.

    >>> running = "hostname a\\nip http server\\n"
    >>> [c.text for c in resulting_config("cisco_ios", running, ["no ip http server"]).children]
    ['hostname a']
    """
    spec = network_platform(platform) if isinstance(platform, str) else platform
    change = parse(spec, "\n".join(commands) + "\n")
    before = parse(spec, running)
    after = before.future(change)
    _restore_positives(before, change, after)
    return after


def _restore_positives(
    before: HConfig | HConfigChild, change: HConfig | HConfigChild, after: HConfig | HConfigChild
) -> None:
    """Add ``X`` where the change replaced a shown ``no X`` (hier_config's future drops both)."""
    for child in change.children:
        previous = before.get_child(equals=child.text)
        result = after.get_child(equals=child.text)
        if child.text.startswith("no "):
            continue
        if result is None and before.get_child(equals=f"no {child.text}") is not None:
            after.add_deep_copy_of(child)
        elif previous is not None and result is not None and child.children:
            _restore_positives(previous, child, result)


def check_change(
    platform: NetworkPlatform | str,
    running: str,
    commands: Iterable[str],
    access: ManagementAccess,
    *,
    only_new: bool = False,
) -> SafetyVerdict:
    """Judge a change: apply ``commands`` to ``running`` and check the result keeps access.

    With ``only_new`` (a push of one part of the baseline, which cannot reach the lines that
    give access), a reason that already holds for the running config unchanged does not refuse
    the change: it is refused only for what it breaks. A whole-baseline push must always leave
    the switch reachable.

    >>> access = ManagementAccess(10, IPv4Address("198.18.10.3"), IPv4Network("198.18.10.0/24"))
    >>> check_change("cisco_ios", "hostname a\\n", [], access).reasons[0]
    'leaves no local administrator (username ... privilege 15)'
    >>> check_change("cisco_ios", "hostname a\\n", ["vlan 20"], access, only_new=True).ok
    True
    """
    spec = network_platform(platform) if isinstance(platform, str) else platform
    before = parse(spec, running)
    after = resulting_config(spec, running, commands)
    checks = resolve(spec.lockout_checks)
    reasons = [reason for check in checks for reason in check(before, after, access)]
    if only_new:
        already = {reason for check in checks for reason in check(before, before, access)}
        reasons = [reason for reason in reasons if reason not in already]
    return SafetyVerdict(tuple(reasons))


def _children(config: HConfig | HConfigChild, pattern: str) -> list[HConfigChild]:
    return list(config.get_children(re_search=pattern))


# --- Cisco IOS -------------------------------------------------------------------------------


def _ios_ssh(before: HConfig, after: HConfig, access: ManagementAccess) -> list[str]:
    reasons = []
    if _children(before, r"^ip ssh ") and not _children(after, r"^ip ssh "):
        reasons.append("removes the 'ip ssh' settings")
    vty_lines = _children(after, r"^line vty ")
    if _children(before, r"^line vty ") and not vty_lines:
        reasons.append("removes every VTY line")
    for line in vty_lines:
        transports = [c.text.split()[2:] for c in _children(line, r"^transport input ")]
        if transports and not any({"ssh", "all"} & set(words) for words in transports):
            reasons.append(f"{line.text}: transport input no longer allows ssh")
        elif not transports and _children(
            before.get_child(equals=line.text) or before, "^transport input "
        ):
            reasons.append(f"{line.text}: removes 'transport input ssh'")
        for access_class in _children(line, r"^access-class \S+ in"):
            name = access_class.text.split()[1]
            verdict = _acl_blocks(after, name, access.subnet)
            if verdict:
                reasons.append(f"{line.text}: access-class {name} {verdict}")
    return reasons


def _ios_admins(before: HConfig, after: HConfig, access: ManagementAccess) -> list[str]:
    reasons = []
    if not _children(after, r"^username \S+ .*privilege 15( |$)"):
        reasons.append("leaves no local administrator (username ... privilege 15)")
    reasons += _keeps_user(before, after, access, "username")
    return reasons


def _ios_svi(before: HConfig, after: HConfig, access: ManagementAccess) -> list[str]:
    svi = after.get_child(equals=f"interface Vlan{access.vlan}")
    wanted = f"ip address {access.address} "
    if svi is None or not _children(svi, f"^{re.escape(wanted)}"):
        return [f"leaves no management SVI interface Vlan{access.vlan} with {access.address}"]
    if svi.get_child(equals="shutdown") is not None:
        return [f"shuts down the management SVI interface Vlan{access.vlan}"]
    return []


# --- Aruba AOS-CX ----------------------------------------------------------------------------


def _aoscx_svi(after: HConfig, access: ManagementAccess) -> HConfigChild | None:
    svi = after.get_child(equals=f"interface vlan {access.vlan}")
    wanted = f"ip address {access.address}/{access.subnet.prefixlen}"
    if svi is None or svi.get_child(equals=wanted) is None:
        return None
    return svi


def _aoscx_ssh(before: HConfig, after: HConfig, access: ManagementAccess) -> list[str]:
    svi = _aoscx_svi(after, access)
    attach = svi.get_child(startswith="vrf attach ") if svi is not None else None
    vrf = attach.text.split()[2] if attach is not None else "default"
    if after.get_child(equals=f"ssh server vrf {vrf}") is None:
        return [f"removes 'ssh server vrf {vrf}' (the management VRF)"]
    return []


def _aoscx_admins(before: HConfig, after: HConfig, access: ManagementAccess) -> list[str]:
    reasons = []
    if not _children(after, r"^user \S+ group administrators( |$)"):
        reasons.append("leaves no local administrator (user ... group administrators)")
    return reasons + _keeps_user(before, after, access, "user")


def _aoscx_svi_check(before: HConfig, after: HConfig, access: ManagementAccess) -> list[str]:
    svi = _aoscx_svi(after, access)
    if svi is None:
        return [f"leaves no management SVI interface vlan {access.vlan} with {access.address}"]
    if svi.get_child(equals="shutdown") is not None:
        return [f"shuts down the management SVI interface vlan {access.vlan}"]
    return []


def _keeps_user(
    before: HConfig, after: HConfig, access: ManagementAccess, keyword: str
) -> list[str]:
    if access.username is None:
        return []
    pattern = rf"^{keyword} {re.escape(access.username)}( |$)"
    if _children(before, pattern) and not _children(after, pattern):
        return [f"removes the account the push signs in with ({access.username})"]
    return []


IOS_CHECKS = (_ios_ssh, _ios_admins, _ios_svi)
"""Lockout checks for ``cisco_ios`` (its registry entry names them)."""
AOSCX_CHECKS = (_aoscx_ssh, _aoscx_admins, _aoscx_svi_check)
"""Lockout checks for ``aruba_aoscx`` (its registry entry names them)."""


# --- IOS access lists ------------------------------------------------------------------------

_ACTION = re.compile(r"^(?:\d+ )?(permit|deny) (.*)$")
_PROTOCOLS = {"ip", "tcp"}
_ANY = IPv4Network("0.0.0.0/0")


def _numbered_is_extended(name: str) -> bool:
    number = int(name)
    return 100 <= number <= 199 or 2000 <= number <= 2699


def _acl_entries(config: HConfig, name: str) -> list[tuple[bool, str]] | None:
    """The entries of ACL ``name`` as (extended, text), or None when there is no such ACL."""
    numbered = _children(config, rf"^access-list {re.escape(name)} ")
    if numbered:
        extended = _numbered_is_extended(name)
        return [(extended, c.text.split(" ", 2)[2]) for c in numbered]
    for kind in ("standard", "extended"):
        section = config.get_child(equals=f"ip access-list {kind} {name}")
        if section is not None:
            return [(kind == "extended", c.text) for c in section.children]
    return None


def _wildcard_network(address: str, wildcard: str) -> IPv4Network | None:
    """``10.0.0.0 0.0.0.255`` → 10.0.0.0/24; None for a non-contiguous wildcard."""
    inverted = 0xFFFFFFFF ^ int(IPv4Address(wildcard))
    prefix = bin(inverted).count("1")
    if inverted != (0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF:
        return None
    return IPv4Network(f"{address}/{prefix}", strict=False)


def _source(words: list[str], extended: bool) -> IPv4Network | None:
    """The source network of an ACE's words (after the action); None when unreadable.

    >>> _source(["tcp", "198.18.10.0", "0.0.0.255", "any", "eq", "22"], True)
    IPv4Network('198.18.10.0/24')
    """
    if extended:
        if not words or words[0] not in _PROTOCOLS:
            return IPv4Network("0.0.0.0/32")  # other protocols never carry SSH: matches nothing
        words = words[1:]
    try:
        if words[0] == "any":
            return _ANY
        if words[0] == "host":
            return IPv4Network(f"{words[1]}/32")
        if len(words) > 1 and re.match(r"^\d+\.\d+\.\d+\.\d+$", words[1]):
            return _wildcard_network(words[0], words[1])
        return IPv4Network(f"{words[0]}/32")
    except (ValueError, IndexError):
        return None


def _acl_blocks(config: HConfig, name: str, subnet: IPv4Network) -> str | None:
    """Why ACL ``name`` blocks ``subnet`` (first match wins, implicit deny), or None."""
    entries = _acl_entries(config, name)
    if entries is None:
        return "refers to a missing ACL (which denies everything)"
    for extended, text in entries:
        found = _ACTION.match(text)
        if found is None:
            continue  # remarks
        source = _source(found[2].split(), extended)
        if source is None:
            return f"has an entry matops cannot read ({text!r})"
        if subnet.subnet_of(source):
            return None if found[1] == "permit" else f"denies the management network {subnet}"
        if source.overlaps(subnet) and found[1] == "deny":
            return f"denies part of the management network {subnet}"
    return f"does not permit the management network {subnet} (implicit deny)"
