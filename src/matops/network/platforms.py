"""The network platforms matops can render, diff and push: an explicit registry.

Each entry ties a netmiko ``device_type`` (the inventory's ``platform``) to its template folder,
its hier_config driver, the command that saves the running config, and the facts the diff needs
about how the device shows its configuration:

- ``unmanaged``: top-level running-config lines the baseline does not own (boot markers, the
  out-of-band management port, the licence). They are never negated.
- ``physical_interface``: ports exist whether or not the inventory names them, so a port the
  inventory does not list is left alone rather than negated (``no interface Gi1/0/5`` is invalid).
- ``write_only``: lines the device accepts but never shows (IOS ``snmp-server user``). They cannot
  be compared; they are sent with every change.
- ``masked``: secrets the device stores transformed (AOS-CX turns ``plaintext`` into a random
  ``ciphertext``). Lines are compared with the secret masked, so a stored key counts as present.
- ``idempotent``: commands where the last value wins (``spanning-tree mode``, a port's access
  VLAN), as regexes per level of the section path; capture groups form the key (one
  ``username`` per name). A change is then one command instead of ``no`` old + new.
- ``not_idempotent``: prefixes of hier_config's own idempotent rules that are wrong for the
  device and are dropped (hier_config treats every AOS-CX ``logging`` line as one setting, but a
  switch keeps one line per syslog server, so a new server would never replace an old one).
- ``defaults``: lines that state a default, which a device may or may not print (IOS ``cdp run``,
  ``no lldp run``); they are left out of the comparison, so either way counts as equal.
- ``negations``: ``(prefix, search, replace)``: how to negate a line starting with ``prefix``
  (``no username bob`` rather than the whole line with its hash).
- ``parts``: slices of the baseline that can be rendered, compared and pushed on their own
  (``ports``: the VLANs and what each port carries), each with its own template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hier_config import Platform as HierPlatform

TEMPLATES = Path(__file__).parent / "templates"


class UnknownPlatformError(KeyError):
    """A platform matops cannot render or push; the message lists the valid ones."""

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownPartError(KeyError):
    """A part (``--part``) the platform does not have; the message lists the valid ones."""

    def __str__(self) -> str:
        return str(self.args[0])


PORTS_SUMMARY = "VLANs and what each port carries (description, mode, VLANs, shut or not)"


@dataclass(frozen=True)
class ConfigPart:
    """A slice of the baseline: its template and the lines it owns.

    Only top-level sections matching ``sections`` take part in the comparison, and under them
    only lines matching ``lines``; everything else on the device is left as it is.
    """

    name: str
    template: str
    sections: tuple[re.Pattern[str], ...]
    lines: tuple[re.Pattern[str], ...]
    summary: str


@dataclass(frozen=True)
class NetworkPlatform:
    """What matops needs to know about one network platform."""

    name: str
    template_dir: Path
    hier_platform: HierPlatform
    netmiko_device_type: str
    save_command: str
    unmanaged: tuple[re.Pattern[str], ...]
    physical_interface: re.Pattern[str]
    indent: str = " "
    write_only: tuple[re.Pattern[str], ...] = ()
    defaults: tuple[re.Pattern[str], ...] = ()
    masked: tuple[re.Pattern[str], ...] = ()
    idempotent: tuple[tuple[str, ...], ...] = ()
    not_idempotent: tuple[str, ...] = ()
    negations: tuple[tuple[str, str, str], ...] = ()
    parts: tuple[ConfigPart, ...] = ()

    @property
    def template(self) -> Path:
        """The baseline template of this platform."""
        return self.template_dir / "baseline.j2"

    def part(self, name: str) -> ConfigPart:
        """The part called ``name``; :class:`UnknownPartError` lists this platform's parts.

        >>> network_platform("cisco_ios").part("ports").template
        'ports.j2'
        """
        for part in self.parts:
            if part.name == name:
                return part
        valid = ", ".join(p.name for p in self.parts) or "none"
        raise UnknownPartError(f"platform {self.name} has no part {name!r}; parts: {valid}")


def _res(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def _top(*patterns: str) -> tuple[tuple[str, ...], ...]:
    return tuple((p,) for p in patterns)


def _under(section: str, *patterns: str) -> tuple[tuple[str, ...], ...]:
    return tuple((section, p) for p in patterns)


_IOS_PHYSICAL = re.compile(r"^interface (\w+Ethernet|Ethernet)\d+(/\d+)*$")
_AOSCX_PHYSICAL = re.compile(r"^interface \d+/\d+/\d+$")

CISCO_IOS = NetworkPlatform(
    name="cisco_ios",
    template_dir=TEMPLATES / "cisco_ios",
    hier_platform=HierPlatform.CISCO_IOS,
    netmiko_device_type="cisco_ios",
    save_command="write memory",
    unmanaged=_res(
        r"^version ",
        r"^boot",
        r"^enable (secret|password) ",
        r"^switch \d+ provision ",
        r"^vrf definition Mgmt-vrf$",
        r"^interface (GigabitEthernet0/0|FastEthernet0)$",
        r"^vlan internal allocation policy ",
        r"^vlan 1$",
        r"^spanning-tree extend system-id$",
        r"^ip forward-protocol nd$",
        r"^(license|diagnostic|memory|platform|redundancy|control-plane|system mtu)\b",
        r"^crypto pki ",
        r"^line vty \d+ \d+$",
        r"^login on-success ",
    ),
    physical_interface=_IOS_PHYSICAL,
    write_only=_res(r"^snmp-server user "),
    defaults=_res(r"^cdp run$", r"^no lldp run$"),
    idempotent=(
        *_top(
            r"^(hostname) ",
            r"^(spanning-tree mode) ",
            r"^(ip default-gateway) ",
            r"^(ip ssh version) ",
            r"^username (\S+) ",
            r"^(aaa \w+ \S+ \S+) ",
            r"^(banner \S+) ",
            r"^(ip (?:dhcp snooping|arp inspection) vlan) ",
        ),
        *_under(
            r"^interface ",
            r"^(switchport (?:access|voice) vlan) ",
            r"^(switchport trunk (?:native|allowed) vlan) ",
            r"^(storm-control broadcast level) ",
        ),
        *_under(r"^line ", r"^(exec-timeout) ", r"^(transport input) "),
        *_under(r"^radius server ", r"^(key) ", r"^(address) "),
    ),
    negations=(
        ("username ", r"^(no username \S+) .*$", r"\1"),
        ("snmp-server community ", r"^(no snmp-server community \S+) .*$", r"\1"),
        ("banner ", r"(?s)^(no banner \S+) .*$", r"\1"),
    ),
    parts=(
        ConfigPart(
            name="ports",
            template="ports.j2",
            sections=(re.compile(r"^vlan \d+$"), _IOS_PHYSICAL),
            lines=_res(r"^name ", r"^description ", r"^switchport ", r"^shutdown$"),
            summary=PORTS_SUMMARY,
        ),
    ),
)

ARUBA_AOSCX = NetworkPlatform(
    name="aruba_aoscx",
    template_dir=TEMPLATES / "aruba_aoscx",
    hier_platform=HierPlatform.ARUBA_AOSCX,
    netmiko_device_type="aruba_aoscx",
    save_command="write memory",
    unmanaged=_res(
        r"^(profile|led|module|bfd|vsf|vsx|qos|apply qos)\b",
        r"^interface mgmt$",
        r"^https-server rest ",
    ),
    physical_interface=_AOSCX_PHYSICAL,
    indent="    ",
    masked=_res(r"\b(?P<keyword>key|auth-pass|priv-pass) (?:plaintext|ciphertext) (?P<secret>\S+)"),
    idempotent=(
        *_top(
            r"^(hostname) ",
            r"^user (\S+) ",
            r"^(spanning-tree mode) ",
            r"^(ip route 0\.0\.0\.0/0) ",
            r"^(radius-server host \S+) ",
            r"^(snmpv3 user \S+) ",
            r"^(aaa authentication login \S+) ",
            r"^(banner \S+) ",
            r"^(logging \S+) ",
        ),
        *_under(r"^interface ", r"^(rate-limit broadcast) ", r"^(vlan trunk native) "),
        *_under(r"^cli-session$", r"^(timeout) "),
    ),
    not_idempotent=("logging ",),
    negations=(
        ("user ", r"^(no user \S+) .*$", r"\1"),
        ("radius-server host ", r"^(no radius-server host \S+) .*$", r"\1"),
        ("snmpv3 user ", r"^(no snmpv3 user \S+) .*$", r"\1"),
        ("banner ", r"(?s)^(no banner \S+) .*$", r"\1"),
        ("logging ", r"^(no logging \S+) .*$", r"\1"),
    ),
    parts=(
        ConfigPart(
            name="ports",
            template="ports.j2",
            sections=(re.compile(r"^vlan \d+$"), _AOSCX_PHYSICAL),
            lines=_res(r"^name ", r"^description ", r"^vlan ", r"^(no )?shutdown$"),
            summary=PORTS_SUMMARY,
        ),
    ),
)

NETWORK_PLATFORMS: dict[str, NetworkPlatform] = {
    "cisco_ios": CISCO_IOS,
    "aruba_aoscx": ARUBA_AOSCX,
}
"""Every platform matops can render and push, by netmiko device_type."""


def network_platform(name: str) -> NetworkPlatform:
    """The registry entry for ``name``; :class:`UnknownPlatformError` lists the valid ones.

    >>> network_platform("aruba_aoscx").netmiko_device_type
    'aruba_aoscx'
    >>> try:
    ...     network_platform("hp_procurve")
    ... except UnknownPlatformError as exc:
    ...     print(str(exc).split("; ")[1])
    valid platforms: aruba_aoscx, cisco_ios
    """
    try:
        return NETWORK_PLATFORMS[name]
    except KeyError:
        valid = ", ".join(sorted(NETWORK_PLATFORMS))
        message = f"no network baseline for platform {name!r}; valid platforms: {valid}"
        raise UnknownPlatformError(message) from None
