"""The least-privilege permissions matops needs to read a tenant: one table, read by the
collectors (the scopes they ask for, the permission a 403 names) and by
``matops tenant permissions`` (what a trust grants its app registration or service account).

Every entry is read-only and the least privileged one the vendors' API reference pages give for
the read (checked December 2026, "least privileged permissions" tables on
learn.microsoft.com/graph/api/: user-list, userregistrationdetails-get (AuditLog.Read.All only;
Reports.Read.All is not accepted), identitysecuritydefaultsenforcementpolicy-get,
conditionalaccessroot-list-policies, authorizationpolicy-get (Policy.Read.All),
directoryrole-list and directoryrole-list-members (RoleManagement.Read.Directory),
group-list-transitivemembers (GroupMember.Read.All), subscribedsku-list
(LicenseAssignment.Read.All), intune-devices-manageddevice-list and
intune-devices-windowsprotectionstate-get (DeviceManagementManagedDevices.Read.All; Intune's
report export jobs, which would read Defender state in bulk, need a ReadWrite permission to be
created, so matops does not use them); signInActivity needs AuditLog.Read.All and Entra ID P1 (the
signInActivity resource page). Google: the Admin SDK Directory API scopes for users and org
units, ``admin.directory.device.chromeos.readonly`` for ChromeOS devices, and the Cloud
Identity scope ``cloud-identity.policies.readonly``, which the Policy API
answers only for a super administrator (Policy API overview).

>>> [p.name for p in permissions_for_fact("entra_conditional_access")]
['Policy.Read.All']
>>> report = "/v1.0/reports/authenticationMethods/userRegistrationDetails"
>>> permission_for_path("microsoft365", report).name
'AuditLog.Read.All'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Provider = Literal["microsoft365", "google_workspace"]


@dataclass(frozen=True)
class Permission:
    """One permission (a Graph application permission or a Google OAuth scope)."""

    provider: Provider
    name: str
    """``User.Read.All``, or the scope URL ``https://www.googleapis.com/auth/…``."""
    why: str
    """What matops reads with it, in a technician's words."""
    facts: tuple[str, ...]
    """The facts (``matops.facts.catalogue``) that need it."""
    paths: tuple[str, ...]
    """API paths read with it (Graph paths after the version; Google paths after the host)."""
    licence: str | None = None
    """A licence the tenant needs for these reads to answer, if any."""


@dataclass(frozen=True)
class NotRequested:
    """A permission people often grant that matops deliberately does not ask for, and why."""

    provider: Provider
    name: str
    why_not: str


GRAPH_SCOPE = "https://graph.microsoft.com/.default"
"""The scope a client-credentials token request names: the app's granted application permissions."""

GRAPH_PERMISSIONS: tuple[Permission, ...] = (
    Permission(
        "microsoft365",
        "User.Read.All",
        "list every account: enabled or not, guest or member, synced from on-premises AD or "
        "cloud-only, and its licences (a mailbox licence marks a daily account)",
        ("entra_users",),
        ("/users",),
    ),
    Permission(
        "microsoft365",
        "AuditLog.Read.All",
        "read each account's last sign-in (signInActivity, with User.Read.All) to find stale "
        "accounts, and the authentication methods registration report to see who has "
        "registered for MFA; Graph accepts no narrower permission for either",
        ("entra_sign_in_activity", "entra_mfa_registration"),
        ("/users?$select=signInActivity", "/reports/authenticationMethods/userRegistrationDetails"),
        licence="Microsoft Entra ID P1",
    ),
    Permission(
        "microsoft365",
        "Policy.Read.All",
        "read security defaults, the conditional access policies (who must use MFA, whether "
        "legacy authentication is blocked, who is excluded) and the authorization policy "
        "(who may invite guests, whether users may consent to apps)",
        ("entra_security_defaults", "entra_conditional_access", "entra_authorization_policy"),
        (
            "/policies/identitySecurityDefaultsEnforcementPolicy",
            "/identity/conditionalAccess/policies",
            "/policies/authorizationPolicy",
        ),
    ),
    Permission(
        "microsoft365",
        "RoleManagement.Read.Directory",
        "list the directory roles in use and their members (Global Administrators and the "
        "other administrator roles)",
        ("entra_directory_roles",),
        ("/directoryRoles",),
    ),
    Permission(
        "microsoft365",
        "GroupMember.Read.All",
        "find the staff, pupil and admin groups the inventory names and their members, so "
        "that pupils are recognised by group and only ever counted",
        ("entra_groups",),
        ("/groups",),
    ),
    Permission(
        "microsoft365",
        "LicenseAssignment.Read.All",
        "list the tenant's licences and their service plans, so a check can say which licence "
        "a missing feature needs (conditional access needs Entra ID P1)",
        ("entra_subscribed_skus",),
        ("/subscribedSkus",),
    ),
    Permission(
        "microsoft365",
        "DeviceManagementManagedDevices.Read.All",
        "list the devices Intune manages (operating system and version, compliance, "
        "encryption, last check-in, serial number, model, ownership, supervision and "
        "jailbreak, device category, retire and wipe actions) and each Windows device's "
        "Microsoft Defender state (real-time protection, signatures up to date); used only "
        "for a tenant with a devices: block",
        ("intune_managed_devices", "school_devices"),
        ("/deviceManagement/managedDevices", "/$batch"),
        licence="Microsoft Intune",
    ),
)

GOOGLE_PERMISSIONS: tuple[Permission, ...] = (
    Permission(
        "google_workspace",
        "https://www.googleapis.com/auth/admin.directory.user.readonly",
        "list users: suspended or not, super or delegated admin, 2-Step Verification "
        "enrolled and enforced, last login, organisational unit",
        ("google_users",),
        ("/admin/directory/v1/users",),
    ),
    Permission(
        "google_workspace",
        "https://www.googleapis.com/auth/admin.directory.orgunit.readonly",
        "list organisational units, to match the org unit ids policies name to the paths "
        "the inventory uses (/Staff, /Pupils)",
        ("google_org_units",),
        ("/admin/directory/v1/customer/{customer}/orgunits",),
    ),
    Permission(
        "google_workspace",
        "https://www.googleapis.com/auth/cloud-identity.policies.readonly",
        "read the settings per org unit: 2-Step Verification enforcement, less secure apps, "
        "Drive external sharing, Classroom membership (the Policy API answers only when the "
        "delegated admin is a super administrator)",
        ("google_policies",),
        ("/v1/policies",),
    ),
    Permission(
        "google_workspace",
        "https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly",
        "list ChromeOS devices: serial number, model, OS version, status, last sync, "
        "organisational unit, Auto Update Expiration and extended support (no users, "
        "locations or network addresses are requested); asked for only when the tenant has a "
        "devices: block",
        ("chromeos_devices", "school_devices"),
        ("/admin/directory/v1/customer/{customer}/devices/chromeos",),
    ),
)

NOT_REQUESTED: tuple[NotRequested, ...] = (
    NotRequested(
        "microsoft365",
        "DeviceManagementManagedDevices.ReadWrite.All",
        "would let matops change devices; Intune's report export jobs (a bulk Defender read) "
        "need it or another ReadWrite permission, so Defender state is read per device, 20 "
        "to a Graph batch",
    ),
    NotRequested(
        "microsoft365",
        "Directory.Read.All",
        "reads the whole directory; every read above has a narrower permission",
    ),
    NotRequested(
        "microsoft365",
        "Reports.Read.All",
        "the registration report (userRegistrationDetails) does not accept it; "
        "AuditLog.Read.All is the one it takes",
    ),
    NotRequested(
        "microsoft365",
        "UserAuthenticationMethod.Read.All",
        "would read every user's methods one by one; the registration report gives the same "
        "answer in one paged read",
    ),
    NotRequested(
        "google_workspace",
        "https://www.googleapis.com/auth/admin.directory.device.chromeos",
        "would let matops move, disable or deprovision Chromebooks; the readonly scope lists them",
    ),
    NotRequested(
        "google_workspace",
        "https://www.googleapis.com/auth/admin.directory.rolemanagement.readonly",
        "super and delegated admins are already flagged on each user (isAdmin, isDelegatedAdmin)",
    ),
)

PERMISSIONS: tuple[Permission, ...] = GRAPH_PERMISSIONS + GOOGLE_PERMISSIONS


def permissions_for(provider: Provider) -> list[Permission]:
    """The permissions a tenant of ``provider`` must grant, in table order."""
    return [p for p in PERMISSIONS if p.provider == provider]


DEVICE_FACTS = frozenset({"intune_managed_devices", "chromeos_devices", "school_devices"})
"""Facts read only from a tenant whose inventory entry has a ``devices:`` block."""


def device_only(permission: Permission) -> bool:
    """Whether the permission is needed only to read devices (a ``devices:`` block)."""
    return set(permission.facts) <= DEVICE_FACTS


def google_scopes(devices: bool = True) -> list[str]:
    """The OAuth scopes the Google collectors ask for (domain-wide delegation grants these);
    without ``devices`` the ChromeOS scope is left out, so a customer whose inventory entry has
    no ``devices:`` block need not grant it (Google refuses a token for an ungranted scope).

    >>> len(google_scopes()) - len(google_scopes(devices=False))
    1
    """
    return [p.name for p in GOOGLE_PERMISSIONS if devices or not device_only(p)]


def permissions_for_fact(fact: str) -> list[Permission]:
    """The permissions needed to collect ``fact`` (``[]`` for facts not read from a tenant)."""
    return [p for p in PERMISSIONS if fact in p.facts]


def permission_for_path(provider: Provider, path: str) -> Permission | None:
    """The permission that covers an API path (a version prefix such as ``/v1.0`` is ignored);
    used to name the missing permission when the API answers 403. The longest match wins.

    >>> permission_for_path("microsoft365", "/beta/users?$select=id,signInActivity").name
    'AuditLog.Read.All'
    >>> permission_for_path("microsoft365", "/v1.0/users?$top=999").name
    'User.Read.All'
    """
    bare = path
    for prefix in ("/v1.0", "/beta"):
        if bare.startswith(prefix + "/"):
            bare = bare[len(prefix) :]
    base, _, query = bare.partition("?")
    best: tuple[int, Permission] | None = None
    for permission in permissions_for(provider):
        for known in permission.paths:
            known_base, _, known_query = known.partition("?")
            if not _path_matches(base, known_base):
                continue
            if known_query and known_query.split("=", 1)[-1] not in query:
                continue
            score = len(known)
            if best is None or score > best[0]:
                best = (score, permission)
    return best[1] if best else None


def _path_matches(path: str, pattern: str) -> bool:
    parts, want = path.strip("/").split("/"), pattern.strip("/").split("/")
    if len(parts) < len(want):
        return False
    return all(w.startswith("{") or w == p for w, p in zip(want, parts, strict=False))
