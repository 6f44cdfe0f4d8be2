"""The data a switch baseline template is rendered from, built from the inventory.

The typed model (:mod:`matops.inventory.model`) gives the school's VLAN plan and the switch's
ports; Ansible's variables (:class:`~matops.inventory.ansible_vars.AnsibleVariables`, rendered,
vault decrypted) give the secrets. A secret that is missing or cannot be resolved is a
:class:`RenderError` naming the variable: a baseline is never rendered with a blank key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matops.inventory.model import (
    AP_PURPOSES,
    ROLE_PURPOSE,
    USER_PURPOSES,
    PortGroup,
    PortRole,
    School,
    Target,
    Trust,
    Vlan,
    VlanPurpose,
    management_interface,
)
from matops.platforms import NETWORK_PLATFORMS

EXEC_TIMEOUT_MINUTES = 10
"""Idle sessions are closed after this many minutes (console and SSH)."""

STORM_CONTROL_PERCENT = 1
"""Broadcast storm control on edge ports, as a percentage of the port's bandwidth."""

STORM_CONTROL_KBPS = STORM_CONTROL_PERCENT * 10_000
"""The same limit in kbit/s for platforms that take a rate (1% of a 1 Gbit/s port)."""

DEFAULT_DESCRIPTIONS: dict[PortRole, str] = {
    PortRole.STAFF: "staff",
    PortRole.CURRICULUM: "curriculum",
    PortRole.AP_UPLINK: "wireless access point",
    PortRole.PHONE: "phone",
    PortRole.CCTV: "cctv",
    PortRole.UPLINK: "uplink",
    PortRole.UNUSED: "unused",
}

_TYPE7_XLAT = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"


class RenderError(Exception):
    """A baseline cannot be rendered: a missing variable, an unresolvable secret, a bad plan."""


@dataclass(frozen=True)
class PortConfig:
    """One switch port as the templates need it."""

    name: str
    role: str
    description: str
    access_vlan: int | None = None
    voice_vlan: int | None = None
    native_vlan: int | None = None
    allowed: tuple[int, ...] = ()
    edge: bool = False
    trusted: bool = False
    shutdown: bool = False

    @property
    def trunk(self) -> bool:
        """Whether the port carries several VLANs."""
        return bool(self.allowed)


@dataclass(frozen=True)
class Admin:
    """A named local administrator with a pre-computed password hash."""

    username: str
    secret_hash: str


@dataclass(frozen=True)
class RadiusServer:
    """A RADIUS server with its resolved key."""

    name: str
    address: str
    key: str


def compress_vlans(ids: list[int] | tuple[int, ...]) -> str:
    """A VLAN list as switches print it.

    >>> compress_vlans([10, 20, 21, 22, 40])
    '10,20-22,40'
    """
    ordered = sorted(set(ids))
    parts: list[str] = []
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        low, high = ordered[start], ordered[end]
        parts.append(str(low) if low == high else f"{low}-{high}")
        start = end + 1
    return ",".join(parts)


def cisco_type7(plain: str) -> str:
    """Encode a key as an IOS type 7 string with a fixed seed, so renders are stable.

    Type 7 is an obfuscation (it stops shoulder-surfing, nothing more); IOS stores a key typed as
    ``key 7 <string>`` verbatim, so the intended and running configs compare equal.

    >>> cisco_type7("cisco")
    '02050D480809'
    """
    seed = 2
    encoded = (
        ord(c) ^ ord(_TYPE7_XLAT[(seed + i) % len(_TYPE7_XLAT)]) for i, c in enumerate(plain)
    )
    return f"{seed:02d}" + "".join(f"{b:02X}" for b in encoded)


def _vlan(school: School, purpose: VlanPurpose, who: str) -> Vlan:
    vlan = school.vlan_by_purpose(purpose)
    if vlan is None:
        raise RenderError(f"{who} needs a {purpose.value} VLAN; the school's plan has none")
    return vlan


def _vlans_of(school: School, purposes: tuple[VlanPurpose, ...]) -> tuple[int, ...]:
    return tuple(v.id for v in school.info.network.vlans if v.purpose in purposes)


def port_configs(school: School, target: Target) -> list[PortConfig]:
    """Every port of the switch, one entry per port, in inventory order.

    Access roles use their purpose's VLAN (or the group's ``vlan``); a phone port carries the staff
    VLAN for the PC behind the phone plus the voice VLAN; AP uplinks trunk management (native)
    and the user VLANs; uplinks trunk every VLAN but parking, with parking as the native VLAN so
    untagged frames go nowhere.
    """
    configs: list[PortConfig] = []
    for group in target.vars.ports:
        build = _port_builder(school, target, group)
        configs.extend(build(name) for name in group.port_names())
    return configs


def _port_builder(school: School, target: Target, group: PortGroup) -> Any:
    who = f"{target.name} port {group.name} ({group.role.value})"
    description = group.description or DEFAULT_DESCRIPTIONS[group.role]
    role = group.role
    base: dict[str, Any] = {"role": role.value, "description": description}
    if role is PortRole.UPLINK:
        parking = school.vlan_by_purpose(VlanPurpose.PARKING)
        allowed = tuple(v.id for v in school.info.network.vlans if v is not parking)
        native = parking.id if parking else school.info.network.management.vlan
        base |= {"native_vlan": native, "allowed": allowed, "trusted": True}
    elif role is PortRole.AP_UPLINK:
        native = school.info.network.management.vlan
        base |= {"native_vlan": native, "allowed": _vlans_of(school, AP_PURPOSES), "edge": True}
    elif role is PortRole.PHONE:
        voice = group.vlan or _vlan(school, VlanPurpose.VOICE, who).id
        data = _vlan(school, VlanPurpose.STAFF, who).id
        base |= {"access_vlan": data, "voice_vlan": voice, "edge": True}
    else:
        vlan = group.vlan or _vlan(school, ROLE_PURPOSE[role], who).id
        unused = role is PortRole.UNUSED
        base |= {"access_vlan": vlan, "edge": not unused, "shutdown": unused}
    return lambda name: PortConfig(name=name, **base)


def _unresolved(hostvars: Mapping[str, Any]) -> Mapping[str, str]:
    found = hostvars.get("matops_unresolved", {})
    return found if isinstance(found, Mapping) else {}


def required_var(hostvars: Mapping[str, Any], name: str, purpose: str, host: str) -> Any:
    """A variable the baseline cannot do without; :class:`RenderError` names it when absent.

    >>> required_var({"network_snmp_user": "mon"}, "network_snmp_user", "SNMP user", "sw1")
    'mon'
    """
    reason = _unresolved(hostvars).get(name)
    if reason is not None:
        raise RenderError(f"{host}: {purpose}: variable {name} cannot be resolved: {reason}")
    value = hostvars.get(name)
    if value is None or value == "":
        raise RenderError(
            f"{host}: {purpose}: variable {name} is not defined; set it in the trust's "
            "ansible-vault file (see inventories/README.md, 'Network baseline variables')"
        )
    return value


def admin_hash(hostvars: Mapping[str, Any], platform: str, host: str) -> str:
    """The admins' password hash for ``platform`` from ``network_admin_secret_hash``.

    The variable is either one string or a mapping from platform to string (IOS type 9 hashes
    and AOS-CX ciphertexts differ).

    >>> admin_hash({"network_admin_secret_hash": {"aruba_aoscx": "AQBapX"}}, "aruba_aoscx", "s")
    'AQBapX'
    """
    name = "network_admin_secret_hash"
    value = required_var(hostvars, name, "local admin password hash", host)
    if isinstance(value, Mapping):
        if platform not in value or not value[platform]:
            raise RenderError(f"{host}: variable {name} has no entry for platform {platform}")
        value = value[platform]
    text = str(value).strip()
    entry = NETWORK_PLATFORMS.get(platform)
    form = entry.admin_hash if entry else None
    if form is not None and not form.found(text):
        plain = "never a plaintext password"
        raise RenderError(f"{host}: variable {name} must be {form.says}, {plain}")
    if not text or any(c.isspace() for c in text):
        raise RenderError(f"{host}: variable {name} must be one hash string without spaces")
    return text


def radius_servers(hostvars: Mapping[str, Any], host: str) -> list[RadiusServer]:
    """The trust's RADIUS servers with keys resolved (from vault) by Ansible."""
    unresolved = _unresolved(hostvars)
    servers = hostvars.get("trust", {}).get("services", {}).get("radius", []) or []
    result = []
    for index, server in enumerate(servers):
        path = f"trust.services.radius[{index}].key"
        if path in unresolved:
            raise RenderError(
                f"{host}: RADIUS key of {server.get('address')}: {path} cannot be resolved: "
                f"{unresolved[path]}"
            )
        key = server.get("key")
        if not key:
            raise RenderError(f"{host}: RADIUS server {server.get('address')} has no key ({path})")
        if any(c.isspace() for c in str(key)):
            raise RenderError(f"{host}: the RADIUS key ({path}) must not contain spaces")
        result.append(RadiusServer(f"MATOPS-RADIUS-{index + 1}", str(server["address"]), str(key)))
    return result


def vty_last(model: str | None) -> int:
    """The last VTY line of a Cisco switch (IOS-XE Catalyst 9000: 31; classic IOS: 15).

    >>> vty_last("C9200L-24P-4G"), vty_last("WS-C2960X-24PS-L")
    (31, 15)
    """
    upper = (model or "").upper()
    return 31 if "9200" in upper or "9300" in upper else 15


def banner_lines(text: str, host: str) -> list[str]:
    """The login banner's lines; the ``^`` delimiter may not appear in it."""
    if "^" in text:
        raise RenderError(f"{host}: the login banner may not contain '^' (the banner delimiter)")
    return [line.rstrip() for line in text.strip("\n").splitlines()]


def device_context(trust: Trust, target: Target, hostvars: Mapping[str, Any]) -> dict[str, Any]:
    """Everything a baseline template uses, for one switch."""
    school = trust.school(target.school)
    host = target.name
    mgmt = school.info.network.management
    address = management_interface(school.info, target)
    settings = trust.settings
    secret = admin_hash(hostvars, target.platform, host)
    snmp_user = str(hostvars.get("network_snmp_user") or "matops")
    return {
        "hostname": host,
        "model": target.vars.model,
        "vlans": school.info.network.vlans,
        "voice_vlans": _vlans_of(school, (VlanPurpose.VOICE,)),
        "user_vlans": _vlans_of(school, USER_PURPOSES),
        "ports": port_configs(school, target),
        "mgmt": {"vlan": mgmt.vlan, "address": address, "gateway": mgmt.gateway},
        "admins": [Admin(a.username, secret) for a in settings.admins],
        "radius": radius_servers(hostvars, host),
        "ntp": [str(a) for a in settings.services.ntp],
        "syslog": [str(a) for a in settings.services.syslog],
        "snmp": {
            "user": snmp_user,
            "group": "MATOPS-RO",
            "auth": required_var(hostvars, "network_snmp_auth_key", "SNMPv3 auth key", host),
            "priv": required_var(hostvars, "network_snmp_priv_key", "SNMPv3 privacy key", host),
        },
        "banner": banner_lines(settings.login_banner, host),
        "exec_timeout": EXEC_TIMEOUT_MINUTES,
        "storm_percent": STORM_CONTROL_PERCENT,
        "storm_kbps": STORM_CONTROL_KBPS,
        "vty_last": vty_last(target.vars.model),
    }
