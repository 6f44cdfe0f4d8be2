"""Structured facts parsed from a switch's running config and ``show version``.

Every field has a default so that typed scenarios can state only what matters; the parsers never
rely on it and set every field from what they read (a test checks ``model_fields_set``). Where a
config cannot tell, the value is ``None`` ("not seen") and the judges make that an error or a
failure, never a pass. Secrets never enter these models: passwords appear as their storage type,
SNMP communities as ``public``/``private`` (well-known defaults, themselves a finding) or
``<redacted>``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PasswordType = Literal["0", "5", "7", "8", "9", "ciphertext", "plaintext", "none", "unknown"]
"""How a password is stored: IOS type number, AOS-CX ``ciphertext``/``plaintext``, or ``none``
(an account with no password at all: ``username x nopassword``)."""

LoginKind = Literal["local", "aaa", "password", "none"]
"""How a line authenticates: local accounts, an AAA method list, a shared line password, or not
at all (``no login``)."""

PortMode = Literal["access", "trunk", "dynamic", "routed", "virtual"]
"""``virtual``: VLAN interfaces, loopbacks, port-channels/LAGs themselves (their members carry the
LAG's mode)."""
"""``dynamic``: an IOS switchport with no mode set (negotiates; behaves as access for users)."""


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PasswordUse(_Fact):
    """One place a password or secret is configured and how it is stored."""

    where: str
    type: PasswordType


class LocalUser(_Fact):
    """A local account on the device."""

    name: str
    privilege: int | None = None
    password_type: PasswordType | None = None


class SnmpCommunity(_Fact):
    """An SNMP v1/v2c community; ``name`` is ``public``/``private`` or ``<redacted>``."""

    name: str
    access: Literal["ro", "rw"] = "ro"
    acl: str | None = None


class SnmpV3User(_Fact):
    """An SNMPv3 user with its authentication and privacy protocols (None when absent)."""

    name: str
    auth: str | None = None
    priv: str | None = None


class Line(_Fact):
    """A console or VTY line (IOS) or the CLI session settings (AOS-CX ``cli-session``)."""

    name: str
    transport_input: list[str] = Field(default_factory=list)
    exec_timeout_seconds: int | None = None
    """Idle timeout; 0 means never. None: not set, so the platform default applies."""
    access_class: str | None = None
    login: LoginKind | None = None
    """None: the config does not say (AOS-CX has no lines)."""


class Interface(_Fact):
    """One interface with its switching settings."""

    name: str
    mode: PortMode = "access"
    access_vlan: int | None = None
    native_vlan: int | None = None
    shutdown: bool = False
    description: str = ""
    portfast: bool = False
    bpduguard: bool = False
    storm_control: bool = False
    physical: bool = True
    lag: str | None = None
    """The port-channel / LAG this port is a member of (its mode is the LAG's)."""


class NetworkConfig(_Fact):
    """A switch configuration, parsed (running or startup)."""

    platform: str
    hostname: str | None = None
    telnet_enabled: bool | None = False
    """None: no VTY line was seen, so it cannot be told."""
    ssh_enabled: bool | None = True
    ssh_version: int | None = 2
    """2: SSH v2 only. None: v1 and v2 both accepted (IOS default 1.99)."""
    http_server: bool = False
    https_server: bool = False
    snmp_communities: list[SnmpCommunity] = Field(default_factory=list)
    snmp_v3_users: list[SnmpV3User] = Field(default_factory=list)
    has_enable_mode: bool = True
    """False on platforms without an enable password (AOS-CX)."""
    enable_secret_type: PasswordType | None = None
    enable_password_set: bool = False
    passwords: list[PasswordUse] = Field(default_factory=list)
    local_users: list[LocalUser] = Field(default_factory=list)
    aaa_enabled: bool = False
    login_authentication: list[str] = Field(default_factory=list)
    """Methods of the default login authentication list, e.g. ``["group radius", "local"]``."""
    radius_servers: list[str] = Field(default_factory=list)
    """Every RADIUS server address configured (legacy and named forms)."""
    radius_groups: dict[str, list[str]] = Field(default_factory=dict)
    """RADIUS server groups by name → their servers' addresses; ``radius`` is every server."""
    ntp_servers: list[str] = Field(default_factory=list)
    logging_hosts: list[str] = Field(default_factory=list)
    banner: str = ""
    """Login or MOTD banner text shown before authentication ("" when none)."""
    lines: list[Line] = Field(default_factory=list)
    default_exec_timeout_seconds: int = 600
    interfaces: list[Interface] = Field(default_factory=list)
    dhcp_snooping: bool = False
    dhcp_snooping_vlans: list[int] = Field(default_factory=list)
    cdp_enabled: bool = True
    lldp_enabled: bool = False
    spanning_tree_mode: str | None = None
    bpduguard_default: bool = False
    """IOS ``spanning-tree portfast [edge] bpduguard default``: guard on every portfast port.
    The parsers already fold it into each port's ``bpduguard``."""
    portfast_default: bool = False
    """IOS ``spanning-tree portfast [edge] default``: every access port is an edge port."""
    digest: str = ""
    """SHA-256 of the normalised configuration lines (comments and volatile lines left out)."""
    line_count: int = 0


class SoftwareVersion(_Fact):
    """What ``show version`` reports."""

    platform: str
    version: str
    model: str | None = None
