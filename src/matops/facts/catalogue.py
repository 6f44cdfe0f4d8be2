"""Every fact a check may ask for: its name, Python type, where it comes from and what it means.

A check's ``judge`` names its facts as parameters; the check catalogue verifies each parameter is
declared here with the same type annotation, and scenarios are validated against these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from ipaddress import IPv4Network
from typing import Any, Literal

from pydantic import TypeAdapter

from matops.facts.device_tables import IpadosReleases, WindowsReleases
from matops.facts.linux import model as lx
from matops.facts.network.model import NetworkConfig, SoftwareVersion
from matops.facts.register.model import OsLifecycle
from matops.facts.tenant import devices as dv
from matops.facts.tenant import model as tn
from matops.inventory.model import (
    Admin,
    Asset,
    RefreshPolicy,
    SchoolNetwork,
    Services,
    TargetVars,
)
from matops.inventory.staff import StaffMember
from matops.inventory.tenants import TenantInfo

Source = Literal["inventory", "register", "network", "linux", "tenant"]


@dataclass(frozen=True)
class FactSpec:
    """A declared fact."""

    name: str
    type: Any
    source: Source
    description: str

    def adapter(self) -> TypeAdapter[Any]:
        """A pydantic adapter that validates values of this fact (used for scenarios)."""
        return TypeAdapter(self.type)


def _specs(*rows: tuple[str, Any, Source, str]) -> dict[str, FactSpec]:
    return {name: FactSpec(name, kind, source, text) for name, kind, source, text in rows}


FACTS: dict[str, FactSpec] = _specs(
    # from the inventory (any subject)
    ("scan_date", date, "inventory", "The date the scan judges against (today unless fixed)."),
    ("trust_services", Services, "inventory", "Trust NTP, syslog, DNS and RADIUS addresses."),
    ("trust_admins", list[Admin], "inventory", "The trust's named administrators."),
    ("login_banner", str, "inventory", "The trust's login banner text ('' when none)."),
    ("refresh_policy", RefreshPolicy, "inventory", "Refresh ages, switch support, min firmware."),
    ("target_info", TargetVars, "inventory", "The target's inventory variables."),
    ("school_network", SchoolNetwork, "inventory", "The school's management network and VLANs."),
    (
        "automation_accounts",
        list[str],
        "inventory",
        "Accounts automation signs in with (trust setting).",
    ),
    (
        "management_sources",
        list[IPv4Network],
        "inventory",
        "Other networks the IT team administers from (trust setting).",
    ),
    ("os_lifecycle", list[OsLifecycle], "inventory", "End of security support per release."),
    (
        "windows_releases",
        WindowsReleases,
        "inventory",
        "Windows feature releases, end of servicing and monthly updates (data table).",
    ),
    (
        "ipados_releases",
        IpadosReleases,
        "inventory",
        "iPadOS versions, release dates and the last major of dropped iPads (data table).",
    ),
    (
        "apt_list_max_age_days",
        int,
        "inventory",
        "How old package lists may be (trust.apt_mirror.max_list_age_days, else 2).",
    ),
    ("filtering_ca", str | None, "inventory", "The school's web-filtering CA (name or SHA-256)."),
    # from the asset register
    ("asset", Asset, "register", "One asset register row."),
    ("school_target_names", list[str], "register", "Names of the school's inventory targets."),
    ("register_entry", Asset | None, "register", "The register row for this target, if any."),
    # from switches
    ("running_config", NetworkConfig, "network", "Parsed running configuration."),
    (
        "startup_config",
        NetworkConfig | None,
        "network",
        "Parsed startup configuration; None when the switch says none was ever saved.",
    ),
    ("software_version", SoftwareVersion, "network", "Parsed 'show version'."),
    ("config_remediation", list[str], "network", "Lines needed to reach the trust template."),
    # from Linux hosts
    ("sshd_effective", lx.SshdEffective, "linux", "sshd -T"),
    ("shell_timeout", lx.ShellTimeout, "linux", "TMOUT login shells get from the profile."),
    ("nft_ruleset", lx.NftRuleset, "linux", "nft -j list ruleset"),
    ("apt_security_updates", list[lx.PendingUpdate], "linux", "Pending security upgrades."),
    ("unattended_upgrades", lx.UnattendedUpgrades, "linux", "Automatic update settings."),
    ("apt_state", lx.AptState, "linux", "APT sources, fetched suites, last successful refresh."),
    ("os_release", lx.OsRelease, "linux", "/etc/os-release"),
    ("timedatectl", lx.Timedatectl, "linux", "timedatectl show"),
    ("rsyslog_forwarding", list[lx.SyslogTarget], "linux", "rsyslog remote destinations."),
    ("systemd_units", dict[str, lx.UnitState], "linux", "State of the services checks need."),
    ("faillock", lx.PamModule, "linux", "pam_faillock in PAM and faillock.conf."),
    ("pwquality", lx.PamModule, "linux", "pam_pwquality in PAM and pwquality.conf."),
    ("sudoers", list[lx.SudoRule], "linux", "sudoers user specifications."),
    ("passwd", list[lx.PasswdEntry], "linux", "getent passwd"),
    ("shadow", list[lx.ShadowEntry], "linux", "/etc/shadow password states (no hashes)."),
    ("privileged_groups", dict[str, list[str]], "linux", "Members of sudo/wheel/admin groups."),
    ("usb_storage", lx.UsbStorage, "linux", "Can the usb-storage driver load."),
    ("world_writable_files", list[str], "linux", "World-writable files under system paths."),
    ("listening_sockets", list[lx.ListeningSocket], "linux", "ss -H -l -n -t -u -p"),
    ("issue_net", str, "linux", "/etc/issue.net (the SSH pre-login banner)."),
    ("coredump", lx.Coredump, "linux", "Core dump limits and settings."),
    ("ca_certificates", list[lx.CaCertificate], "linux", "Locally added CA certificates."),
    ("malware_agent", lx.MalwareAgent, "linux", "Malware protection agent state."),
    ("virtualisation", lx.Virtualisation, "linux", "Container or VM the host runs in, if any."),
    ("login_defs", lx.LoginDefs, "linux", "/etc/login.defs settings (umask, password hashing)."),
    ("modprobe_rules", lx.ModprobeRules, "linux", "modprobe install rules and blacklist."),
    ("kernel_sysctls", lx.KernelSysctls, "linux", "The kernel's hardening sysctls."),
    (
        "restricted_paths",
        dict[str, lx.FileMode | None],
        "linux",
        "Modes of cron's files and sshd_config (None: absent).",
    ),
    ("sudo_defaults", lx.SudoDefaults, "linux", "sudo's global Defaults (cvtsudoers)."),
    ("home_directories", lx.HomeDirectories, "linux", "Home folder modes, writable dotfiles."),
    ("file_integrity", lx.FileIntegrity, "linux", "AIDE's database and timer, debsums' schedule."),
    # about a tenant, from the inventory
    ("tenant_info", TenantInfo, "inventory", "The tenant's inventory entry (trust.tenants)."),
    ("staff_list", list[StaffMember], "inventory", "people/staff.csv: staff and leave dates."),
    # from Microsoft Graph (see matops.facts.tenant.model for each read)
    ("entra_users", list[tn.EntraUser], "tenant", "GET /users: accounts, sync, licences."),
    (
        "entra_sign_in_activity",
        list[tn.EntraUserSignIn] | tn.Unavailable,
        "tenant",
        "Users' signInActivity (needs Entra ID P1).",
    ),
    (
        "entra_mfa_registration",
        list[tn.UserRegistrationDetails] | tn.Unavailable,
        "tenant",
        "userRegistrationDetails: MFA registration per user (needs Entra ID P1).",
    ),
    ("entra_security_defaults", tn.EntraSecurityDefaults, "tenant", "Security defaults on/off."),
    (
        "entra_conditional_access",
        list[tn.ConditionalAccessPolicy] | tn.Unavailable,
        "tenant",
        "Conditional access policies (need Entra ID P1).",
    ),
    ("entra_directory_roles", list[tn.DirectoryRole], "tenant", "Activated roles and members."),
    (
        "entra_authorization_policy",
        tn.EntraAuthorizationPolicy,
        "tenant",
        "Guest invitations and user consent settings.",
    ),
    ("entra_subscribed_skus", list[tn.SubscribedSku], "tenant", "Licences and service plans."),
    ("entra_groups", list[tn.EntraGroup], "tenant", "The inventory's groups and their members."),
    # from Google's Directory and Cloud Identity Policy APIs
    ("google_users", list[tn.GoogleUser], "tenant", "Directory API users (2SV, admin, login)."),
    ("google_org_units", list[tn.GoogleOrgUnit], "tenant", "Directory API org units (id, path)."),
    ("google_policies", list[tn.GooglePolicy], "tenant", "Cloud Identity policies by org unit."),
    # managed devices (see matops.facts.tenant.devices for each read)
    (
        "intune_managed_devices",
        list[dv.IntuneManagedDevice],
        "tenant",
        "Intune managed devices with Windows protection state (Graph).",
    ),
    (
        "chromeos_devices",
        list[dv.ChromeOsDevice],
        "tenant",
        "ChromeOS devices (Directory API chromeosdevices.list).",
    ),
    (
        "school_devices",
        dv.SchoolDevices,
        "tenant",
        "The school's managed devices in this tenant, and the tenant's unplaced ones.",
    ),
    (
        "trust_register",
        list[dv.RegisterRow],
        "register",
        "Every school's asset register rows, each with its school.",
    ),
)
"""Fact name → declaration. Explicit: adding a fact means adding a row here."""


def fact_spec(name: str) -> FactSpec:
    """The declaration of ``name``; KeyError listing the valid names otherwise."""
    try:
        return FACTS[name]
    except KeyError:
        raise KeyError(f"unknown fact {name!r}; known facts: {', '.join(sorted(FACTS))}") from None
