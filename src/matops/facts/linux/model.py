"""Typed Linux facts. Each docstring names the command or file the fact comes from.

Simple facts are plain types (``dict[str, str]``); the rest are the models below. No fact ever
holds a password hash: ``/etc/shadow`` is reduced to the state of each password.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


SshdEffective = dict[str, str]
"""``sshd -T``: lower-case keyword → value; repeated keywords joined with newlines."""

OsRelease = dict[str, str]
"""``/etc/os-release``: KEY → unquoted value (``ID``, ``VERSION_ID``, ``VERSION_CODENAME``…)."""

Timedatectl = dict[str, str]
"""``timedatectl show``: property → value (``NTP``, ``NTPSynchronized``, ``Timezone``…)."""


LoginDefs = dict[str, str]
"""``/etc/login.defs``: KEY → value (``UMASK``, ``ENCRYPT_METHOD``, ``SHA_CRYPT_MIN_ROUNDS``…)."""


KernelSysctls = dict[str, str | None]
"""``sysctl KEY…``: key → value; None for a key this kernel does not have."""


SudoDefaults = dict[str, str]
"""sudo's global ``Defaults`` (``cvtsudoers -f json``): option → ``true``/``false`` or its value."""


class HomeDirectories(_Fact):
    """Home folders under /home (``find -printf '%m %p'``) and dotfiles in them that others
    can write (``-perm /022``)."""

    modes: dict[str, str] = Field(default_factory=dict)
    """Home folder → its permission bits (four octal digits)."""
    writable_dotfiles: list[str] = Field(default_factory=list)


class FileIntegrity(_Fact):
    """AIDE's database and daily check, and debsums' scheduled verification."""

    aide_timer: UnitState
    """``dailyaidecheck.timer`` (aide-common); ``load`` is ``not-found`` without AIDE."""
    aide_database: datetime | None = None
    """When ``/var/lib/aide/aide.db`` was last written; None: no database (never initialised)."""
    debsums_cron: str | None = None
    """``CRON_CHECK`` in ``/etc/default/debsums`` (``never``, ``daily``, ``weekly``, ``monthly``);
    None when the file is not there (debsums not installed) or sets none."""


class FileMode(_Fact):
    """``stat -c '%a %U %G'``: a path's permission bits (four octal digits) and owners."""

    mode: str
    user: str
    group: str


class ModprobeRules(_Fact):
    """``modprobe --showconfig``: what keeps each kernel module from loading."""

    install: dict[str, str] = Field(default_factory=dict)
    """Module → the command an ``install`` rule runs instead of loading it (``/bin/false``…)."""
    blacklisted: list[str] = Field(default_factory=list)
    """Modules never loaded by alias (a socket of their protocol, a device's id)."""


class NftRuleset(_Fact):
    """``nft -j list ruleset``: the ``nftables`` array of the JSON document, unchanged."""

    nftables: list[dict[str, Any]] = Field(default_factory=list)


class PendingUpdate(_Fact):
    """An installed package that a security suite apt fetched offers a newer version of.

    ``archive`` is the suite apt names (``bookworm-security`` or ``stable-security``).
    ``published``: a date on or before which the update cannot have been published (the date
    of its changelog entry: an upload precedes its release), so an update whose ``published``
    is within 14 days is certainly within the window; None when not seen. When it left the
    archive at the latest is the ``Date`` of the suite's Release file (:class:`AptState`).
    """

    package: str
    version: str
    archive: str
    published: date | None = None


class AptSource(_Fact):
    """One enabled ``deb`` entry of the host's APT sources, one-line (``.list``) or deb822
    (``.sources``) form."""

    file: str
    uri: str
    suites: list[str]
    components: list[str] = Field(default_factory=list)

    @property
    def security_suites(self) -> list[str]:
        """The suites that carry security updates (``bookworm-security``, ``stable/updates``)."""
        return [s for s in self.suites if s.endswith(("-security", "/updates"))]


class AptRelease(_Fact):
    """The Release file apt keeps for a suite it fetched (``/var/lib/apt/lists/*Release``)."""

    file: str
    suite: str | None = None
    codename: str | None = None
    date: datetime | None = None
    """The Release file's ``Date``: when the archive last changed (not when apt fetched it)."""
    valid_until: datetime | None = None
    """``Valid-Until``, when the archive sets one (Debian's security suite does): lists kept past
    it mean apt has not refreshed that suite since."""


class AptState(_Fact):
    """What apt is configured to use and what it last fetched.

    ``last_update_success``: the time of ``/var/lib/apt/periodic/update-success-stamp``, which
    apt touches after a package-list refresh that succeeded (the updates role's hook); None
    when there is none (never refreshed, or no hook).
    """

    sources: list[AptSource] = Field(default_factory=list)
    releases: list[AptRelease] = Field(default_factory=list)
    last_update_success: datetime | None = None

    def fetched(self, uri: str, suite: str) -> AptRelease | None:
        """The Release file apt keeps for ``suite`` from ``uri``, if it ever fetched it.

        apt names it after the URI without its scheme, ``/`` becoming ``_``:
        ``http://m.example/debian`` + ``bookworm-security`` →
        ``m.example_debian_dists_bookworm-security_InRelease`` (or ``_Release``).
        """
        host_path = uri.split("://", 1)[-1].split("@", 1)[-1].rstrip("/")
        prefix = f"{host_path}_dists_{suite.strip('/')}".replace("/", "_") + "_"
        names = {f"{prefix}InRelease", f"{prefix}Release"}
        return next((r for r in self.releases if r.file.rsplit("/", 1)[-1] in names), None)

    def security_suites(self) -> list[tuple[AptSource, str]]:
        """Every (source, suite) pair that carries security updates."""
        return [(s, suite) for s in self.sources for suite in s.security_suites]

    def archive_date(self, archive: str) -> datetime | None:
        """The ``Date`` of the Release file of the suite apt calls ``archive`` (Suite or
        Codename), the oldest when several sources carry it; None when unknown."""
        dates = [r.date for r in self.releases if archive in (r.suite, r.codename) and r.date]
        return min(dates) if dates else None


class UnattendedUpgrades(_Fact):
    """unattended-upgrades package state and ``apt-config dump APT::Periodic`` values."""

    installed: bool = False
    periodic: dict[str, str] = Field(default_factory=dict)
    """e.g. ``{"Update-Package-Lists": "1", "Unattended-Upgrade": "1"}``."""


class SyslogTarget(_Fact):
    """A remote log destination configured in rsyslog (``@host``, ``@@host``, ``omfwd``)."""

    address: str
    port: int = 514
    protocol: Literal["udp", "tcp", "relp"] = "udp"


class UnitState(_Fact):
    """``systemctl show -p LoadState,ActiveState,SubState,UnitFileState <unit>``."""

    load: str = "not-found"
    active: str = "inactive"
    sub: str = "dead"
    enabled: str = ""


class PamModule(_Fact):
    """A PAM module: is it in the auth/password stack, and its config-file settings."""

    in_pam_stack: bool = False
    settings: dict[str, str] = Field(default_factory=dict)
    """From ``/etc/security/faillock.conf`` or ``pwquality.conf`` plus PAM-line arguments."""
    dictionary: str | None = None
    """pam_pwquality with ``dictcheck`` on: the cracklib dictionary it checks passwords against
    (``dictpath``, or cracklib's built-in path); None when no dictionary was looked for."""
    dictionary_found: bool | None = None
    """Whether that dictionary's files (``.pwd`` or ``.pwd.gz``, and ``.pwi``) exist. Without
    them pam_pwquality refuses every new password, even root's."""


class SudoRule(_Fact):
    """One user specification from ``/etc/sudoers`` or ``/etc/sudoers.d/*``."""

    principal: str
    """A user name, ``%group`` or an alias."""
    hosts: str = "ALL"
    runas: str = "ALL"
    nopasswd: bool = False
    commands: list[str] = Field(default_factory=list)
    source: str = "/etc/sudoers"


class PasswdEntry(_Fact):
    """A line of ``getent passwd``."""

    name: str
    uid: int
    gid: int
    home: str = ""
    shell: str = ""


PasswordState = Literal["hashed", "locked", "empty", "none"]
"""``hashed``: a usable password; ``locked``: starts with ``!``/``*``; ``empty``: no password
at all (anyone can log in where PAM allows); ``none``: no shadow entry."""


class ShadowEntry(_Fact):
    """A line of ``/etc/shadow`` reduced to the state of the password (never the hash)."""

    name: str
    password: PasswordState


class UsbStorage(_Fact):
    """Whether the usb-storage driver can load: ``modprobe -n -v usb-storage`` and ``lsmod``."""

    install_command: str | None = None
    """The ``install`` override modprobe would run (``/bin/false`` blocks loading)."""
    blacklisted: bool = False
    loaded: bool = False


class ListeningSocket(_Fact):
    """A listening TCP or bound UDP socket (``ss -H -l -n -t -u -p``)."""

    protocol: Literal["tcp", "udp"]
    address: str
    port: int
    process: str | None = None


class Coredump(_Fact):
    """Core dump settings: hard ``core`` limit, ``fs.suid_dumpable``, systemd-coredump Storage."""

    hard_core_limit: str | None = None
    suid_dumpable: int | None = None
    systemd_storage: str | None = None
    """``Storage=`` in ``/etc/systemd/coredump.conf``; None when systemd-coredump is absent."""


class Virtualisation(_Fact):
    """``systemd-detect-virt --container`` and ``--vm``: what the host runs inside.

    ``none`` means bare metal (or not that kind of virtualisation). In a container (``lxc``,
    ``systemd-nspawn``, ``docker``…) the kernel is shared with the machine: audit, the clock and
    ``kernel.*``/``fs.*`` sysctls belong to the machine, not to the host being checked.
    """

    container: str = "none"
    vm: str = "none"

    @property
    def in_container(self) -> bool:
        """Whether the host is a container."""
        return self.container not in ("none", "")


class CaCertificate(_Fact):
    """A CA certificate in the system trust store (``/usr/local/share/ca-certificates``…)."""

    path: str
    subject: str = ""
    sha256: str = ""


class MalwareAgent(_Fact):
    """The malware protection agent (ClamAV or an EDR) on the host."""

    product: str | None = None
    service_active: bool = False
    definitions_updated: datetime | None = None


class ShellTimeout(_Fact):
    """``TMOUT`` as a login shell gets it from ``/etc/profile`` and ``/etc/profile.d/*.sh``.

    Read in the order a login shell reads them; once a file marks TMOUT read-only, later
    assignments fail in the shell and are ignored here too. Conditions around an assignment
    are not evaluated: an assignment inside ``if … fi`` counts as made.
    """

    seconds: int | None = None
    """The idle time (seconds) after which bash logs out at its prompt; None: no file sets it."""
    readonly: bool = False
    """Whether TMOUT is read-only (a session cannot unset or raise it)."""
    source: str | None = None
    """The file whose assignment wins."""
