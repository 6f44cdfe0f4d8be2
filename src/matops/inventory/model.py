"""The typed model of a trust's inventory (pydantic).

A trust has trust-wide settings (``group_vars/all.yml``: key ``trust``), schools (one Ansible YAML
inventory per school: the school group's ``vars.school``) and targets (the hosts of the school's
``<school>_<kind>`` groups), plus an asset register per school (``assets/<school>.csv``).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from matops.inventory.staff import StaffMember
from matops.inventory.tenants import GoogleWorkspaceTenant as GoogleWorkspaceTenant
from matops.inventory.tenants import Microsoft365Tenant as Microsoft365Tenant
from matops.inventory.tenants import Tenant as Tenant
from matops.platforms import TargetKind

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
Hostname = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]


def _check_vlan_id(value: int) -> int:
    if not 1 <= value <= 4094:
        raise ValueError(f"VLAN id {value} is outside 1-4094")
    return value


VlanId = Annotated[int, AfterValidator(_check_vlan_id)]


class Strict(BaseModel):
    """Base for inventory models: unknown fields are errors; models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


FrameworkId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
"""A framework's file name in ``checks/frameworks/`` (the scan checks that the file exists)."""


class RadiusServer(Strict):
    """A RADIUS server; ``key`` should be a vault value or a ``{{ variable }}`` reference."""

    address: IPv4Address
    key: str | None = None


class Services(Strict):
    """Trust services that every school's kit points at (all lab or trust addresses)."""

    ntp: list[IPv4Address] = Field(min_length=1)
    syslog: list[IPv4Address] = Field(min_length=1)
    dns: list[IPv4Address] = Field(min_length=1)
    radius: list[RadiusServer] = Field(default_factory=list)


class AptMirror(Strict):
    """Where the trust's Debian hosts get packages and security updates (the updates role).

    A trust's own mirror or proxy, or Debian's (``http://deb.debian.org/debian`` with
    ``http://deb.debian.org/debian-security``). In the lab, the lab serves it at this address.
    """

    uri: Annotated[str, StringConstraints(pattern=r"^https?://[^\s/]+(/\S*)?$")]
    suites: list[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]] = Field(
        min_length=1
    )
    """Suites from ``uri``: the release and its updates (``bookworm``, ``bookworm-updates``)."""
    security_uri: Annotated[str, StringConstraints(pattern=r"^https?://[^\s/]+(/\S*)?$")]
    security_suite: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*-security$")]
    """The suite security updates come from (``bookworm-security``)."""
    components: list[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]] = Field(
        default_factory=lambda: ["main"], min_length=1
    )
    signed_by: Annotated[str, StringConstraints(pattern=r"^/\S+$")]
    """Path, on the hosts, of the keyring the mirror's Release files are signed with."""
    max_list_age_days: int = Field(default=2, ge=1, le=14)
    """How old (days) the hosts' package lists may be before a scan fails them."""


class Admin(Strict):
    """A named administrator with SSH keys; the break-glass account is marked."""

    username: Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_-]{0,31}$")]
    full_name: str
    ssh_keys: list[str] = Field(default_factory=list)
    break_glass: bool = False


class RefreshPolicy(Strict):
    """When kit should be replaced, and the minimum firmware per switch model."""

    device_refresh_years: dict[str, int] = Field(default_factory=dict)
    switch_support_years: int = 5
    min_firmware: dict[str, str] = Field(default_factory=dict)


class TrustSettings(Strict):
    """Trust-wide settings from ``group_vars/all.yml``."""

    id: Slug
    name: str
    services: Services
    apt_mirror: AptMirror | None = None
    admins: list[Admin] = Field(min_length=1)
    frameworks: list[FrameworkId] | None = None
    """Frameworks in scope, by file name in ``checks/frameworks/``; None: every framework there."""
    refresh_policy: RefreshPolicy = Field(default_factory=RefreshPolicy)
    login_banner: str = ""
    management_sources: list[IPv4Network] = Field(default_factory=list)
    tenants: list[Tenant] = Field(default_factory=list)
    """The trust's Microsoft 365 tenants and Google Workspace customers (see ``tenants.py``)."""
    automation_accounts: list[str] = Field(default_factory=list)
    """Local accounts that automation signs in with (the deploy and scan account, ``matops`` in
    the lab): allowed in the sudo group and passwordless sudo beside the named admins."""
    """Networks outside the schools' management VLANs that the IT team administers from (the
    trust's IT office, a jump host; in the lab, the lab's own address). Host firewalls admit
    SSH from these too, and the posture scan accepts them."""


class VlanPurpose(StrEnum):
    """What a VLAN is for; port roles map onto these."""

    MANAGEMENT = "management"
    STAFF = "staff"
    CURRICULUM = "curriculum"
    GUEST = "guest"
    VOICE = "voice"
    CCTV = "cctv"
    BUILDING = "building"
    SERVERS = "servers"
    PARKING = "parking"


class Vlan(Strict):
    """One VLAN of a school's plan. ``subnet`` is text for switch configs; never contacted."""

    id: VlanId
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
    purpose: VlanPurpose
    subnet: IPv4Network | None = None


class ManagementNetwork(Strict):
    """The school's management network: where every target's management address lives."""

    vlan: VlanId
    subnet: IPv4Network
    gateway: IPv4Address


class SchoolNetwork(Strict):
    """A school's network plan."""

    management: ManagementNetwork
    vlans: list[Vlan] = Field(min_length=1)


class Site(Strict):
    """A physical site of a school."""

    id: Slug
    name: str
    postcode: str | None = None


class Phase(StrEnum):
    """School phase (affects DfE thresholds such as broadband speed)."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    ALL_THROUGH = "all-through"
    SPECIAL = "special"


class WebFilter(Strict):
    """The school's web filter as its devices see it: its HTTPS-inspection CA and the proxy."""

    ca_certificate: str | None = None
    """PEM text of the filter's CA certificate (the public certificate only, never a key);
    installed into the trust store of the school's endpoints as ``<filtering_ca_cert>.crt``."""
    proxy: str | None = None
    """``host:port`` that browsers send web traffic to; None when filtering is transparent."""
    proxy_bypass: list[str] = Field(default_factory=lambda: ["localhost", "127.0.0.1"])
    """Hosts and networks browsers reach without the proxy."""

    @field_validator("ca_certificate")
    @classmethod
    def _public_certificate(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if "PRIVATE KEY" in value:
            raise ValueError("ca_certificate holds a private key: give the public certificate only")
        if not value.lstrip().startswith("-----BEGIN CERTIFICATE-----"):
            raise ValueError("ca_certificate must be a PEM certificate (BEGIN CERTIFICATE)")
        return value


class SchoolInfo(Strict):
    """A school's own facts, from the school group's ``vars.school``."""

    id: Slug
    name: str
    urn: Annotated[int, Field(ge=100000, le=999999)]
    phase: Phase
    wave: Annotated[int, Field(ge=1)] = 1
    sites: list[Site] = Field(min_length=1)
    network: SchoolNetwork
    filtering_ca_cert: str | None = None
    web_filter: WebFilter = Field(default_factory=WebFilter)


class PortRole(StrEnum):
    """What a switch port connects to; decides its VLANs and edge protections."""

    STAFF = "staff"
    CURRICULUM = "curriculum"
    AP_UPLINK = "ap_uplink"
    PHONE = "phone"
    CCTV = "cctv"
    UPLINK = "uplink"
    UNUSED = "unused"


ROLE_PURPOSE: dict[PortRole, VlanPurpose] = {
    PortRole.STAFF: VlanPurpose.STAFF,
    PortRole.CURRICULUM: VlanPurpose.CURRICULUM,
    PortRole.PHONE: VlanPurpose.VOICE,
    PortRole.CCTV: VlanPurpose.CCTV,
    PortRole.UNUSED: VlanPurpose.PARKING,
}
"""Port role → the VLAN purpose its access VLAN has: the one table of it. A phone port also
carries the staff VLAN (for the PC behind the phone); an AP uplink trunks :data:`AP_PURPOSES`;
an uplink trunks every VLAN but parking."""

USER_PURPOSES = (VlanPurpose.STAFF, VlanPurpose.CURRICULUM, VlanPurpose.GUEST)
"""VLANs where users plug in: DHCP snooping and ARP inspection are enabled on these."""

AP_PURPOSES = (VlanPurpose.MANAGEMENT, VlanPurpose.STAFF, VlanPurpose.CURRICULUM, VlanPurpose.GUEST)
"""VLANs an access point's trunk carries (management untagged)."""


_RANGE = re.compile(r"^(?P<prefix>.*?)(?P<first>\d+)-(?P<last>\d+)$")


def expand_port_names(spec: str) -> list[str]:
    """Expand ``GigabitEthernet1/0/1-3`` into the three names; a single name stays as it is.

    >>> expand_port_names("1/1/7-8")
    ['1/1/7', '1/1/8']
    """
    match = _RANGE.match(spec)
    if match is None:
        return [spec]
    first, last = int(match["first"]), int(match["last"])
    if last < first or last - first > 512:
        raise ValueError(f"invalid port range {spec!r}")
    return [f"{match['prefix']}{n}" for n in range(first, last + 1)]


_PEER_WORD = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9_.-]*)")


def peer_name(description: str | None) -> str | None:
    """The device a port description names first, lower case: the convention by which an
    uplink's description names the device at its other end (the handbook draws, the lab cables).

    >>> peer_name("riv-sw01 science block"), peer_name(None), peer_name("  ")
    ('riv-sw01', None, None)
    """
    match = _PEER_WORD.match(description or "")
    return match.group(1).lower() if match else None


class PortGroup(Strict):
    """One or a range of switch ports with a role and optional VLAN override."""

    name: Annotated[str, StringConstraints(min_length=1)]
    role: PortRole
    vlan: VlanId | None = None
    description: str | None = None

    @field_validator("name")
    @classmethod
    def _valid_range(cls, value: str) -> str:
        expand_port_names(value)
        return value

    def port_names(self) -> list[str]:
        """Every port this group names."""
        return expand_port_names(self.name)


class TargetVars(Strict):
    """A target's variables as written in the school file (Ansible host vars)."""

    ansible_host: IPv4Address
    platform: str
    model: str | None = None
    device_role: str | None = None
    stack_members: Annotated[int, Field(ge=2, le=16)] | None = None
    """A switch that is a stack (StackWise, VSF): how many member switches it has, managed as
    one switch at one address. Left out for a single switch."""
    labels: list[str] = Field(default_factory=list)
    ports: list[PortGroup] = Field(default_factory=list)
    allowed_services: list[str] = Field(default_factory=list)
    software: list[str] = Field(default_factory=list)
    ansible_user: str | None = None
    ansible_port: int | None = None


class Target(BaseModel):
    """Anything matops connects to, resolved with its school and kind."""

    model_config = ConfigDict(frozen=True)

    name: Hostname
    kind: TargetKind
    school: Slug
    vars: TargetVars

    @property
    def address(self) -> IPv4Address:
        """The management address."""
        return self.vars.ansible_host

    @property
    def platform(self) -> str:
        """netmiko device_type for network kit, OS id for Linux."""
        return self.vars.platform


class AssetType(StrEnum):
    """Kinds of asset in a register."""

    LAPTOP = "laptop"
    DESKTOP = "desktop"
    TABLET = "tablet"
    SERVER = "server"
    SWITCH = "switch"
    ACCESS_POINT = "access_point"
    FIREWALL = "firewall"
    PRINTER = "printer"
    DISPLAY = "display"
    PHONE = "phone"
    UPS = "ups"
    OTHER = "other"


class Asset(Strict):
    """One row of a school's asset register."""

    asset_tag: Annotated[str, StringConstraints(min_length=1)]
    type: AssetType
    model: str
    serial: str | None = None
    location: str | None = None
    assigned_to: str | None = None
    hostname: str | None = None
    purchase_date: date | None = None
    warranty_end: date | None = None
    os: str | None = None
    os_version: str | None = None
    end_of_support: date | None = None
    disposed_date: date | None = None
    cost: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)] | None = None
    """What the asset cost, in pounds (``1249.99``), for the budget plan; no symbol or commas."""
    disposal_ref: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] | None = (
        None
    )
    """The reference of the disposal evidence (the certificate of data destruction) for a
    disposed asset."""


class School(BaseModel):
    """A school with its targets and asset register."""

    model_config = ConfigDict(frozen=True)

    info: SchoolInfo
    group: str
    targets: list[Target]
    assets: list[Asset]

    @property
    def id(self) -> str:
        """The school's slug."""
        return self.info.id

    def vlan_by_purpose(self, purpose: VlanPurpose) -> Vlan | None:
        """The first VLAN of the plan with this purpose."""
        return next((v for v in self.info.network.vlans if v.purpose is purpose), None)


class Trust(BaseModel):
    """A whole trust: settings and schools."""

    model_config = ConfigDict(frozen=True)

    settings: TrustSettings
    schools: list[School]
    staff: list[StaffMember] = Field(default_factory=list)
    """The staff list (``people/staff.csv``): who works for the trust and who has left."""

    def school(self, school_id: str) -> School:
        """The school with this slug; KeyError naming the valid ones otherwise."""
        for school in self.schools:
            if school.id == school_id:
                return school
        valid = ", ".join(s.id for s in self.schools)
        raise KeyError(f"no school {school_id!r} in trust {self.settings.id}; schools: {valid}")

    def targets(self, kind: str | None = None) -> list[Target]:
        """Every target in the trust, optionally of one kind."""
        return [t for s in self.schools for t in s.targets if kind is None or t.kind == kind]


def management_interface(school: SchoolInfo, target: Target) -> IPv4Interface:
    """The target's management address with the school's management prefix."""
    return IPv4Interface(f"{target.address}/{school.network.management.subnet.prefixlen}")
