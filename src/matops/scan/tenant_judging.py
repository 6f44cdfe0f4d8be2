"""Pure helpers the tenant checks share: who is staff, pupil or admin, which conditional access
policies require MFA or block, and what a Google setting is on an organisational unit.

No I/O. Pupils are recognised by group or org unit and only ever counted: helpers that describe
accounts give staff addresses and a number of pupils, never a pupil's address.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from matops.facts.tenant.model import (
    GLOBAL_ADMINISTRATOR_TEMPLATE_ID,
    ConditionalAccessPolicy,
    DirectoryRole,
    EntraGroup,
    EntraUser,
    GoogleOrgUnit,
    GooglePolicy,
    GoogleUser,
)
from matops.inventory.staff import StaffMember
from matops.inventory.tenants import GoogleWorkspaceTenant, Microsoft365Tenant, TenantInfo
from matops.scan.verdict import listing

STALE_DAYS = 90
"""An enabled account with no sign-in for this many days is stale."""


class TenantMismatchError(ValueError):
    """The facts belong to another kind of tenant than the check judges."""


def m365(tenant: TenantInfo) -> Microsoft365Tenant:
    """The tenant as a Microsoft 365 tenant (a check of the wrong platform raises)."""
    if not isinstance(tenant, Microsoft365Tenant):
        raise TenantMismatchError(f"{tenant.name} is not a Microsoft 365 tenant")
    return tenant


def google(tenant: TenantInfo) -> GoogleWorkspaceTenant:
    """The tenant as a Google Workspace tenant (a check of the wrong platform raises)."""
    if not isinstance(tenant, GoogleWorkspaceTenant):
        raise TenantMismatchError(f"{tenant.name} is not a Google Workspace tenant")
    return tenant


def described(staff: Iterable[str], pupils: int, limit: int = 8) -> str:
    """Staff addresses by name and pupils as a count (never named).

    >>> described(["a@x.org"], 2)
    'a@x.org and 2 pupil accounts'
    >>> described([], 1)
    '1 pupil account'
    """
    names = sorted(staff)
    parts = [listing(names, limit)] if names else []
    if pupils:
        parts.append(f"{pupils} pupil account{'s' if pupils != 1 else ''}")
    return " and ".join(parts) if parts else "no accounts"


def days_before(day: date, days: int) -> datetime:
    """Midnight UTC ``days`` before ``day`` (timezone-aware, for comparing API times).

    >>> days_before(date(2026, 12, 1), 90).isoformat()
    '2026-09-02T00:00:00+00:00'
    """
    return datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(days=days)


def leavers(staff: Iterable[StaffMember], today: date, tenant: TenantInfo) -> list[StaffMember]:
    """Staff past their leave date whose address is in the tenant's domains."""
    return [m for m in staff if m.has_left(today) and tenant.in_domains(m.email)]


# --- Entra ---------------------------------------------------------------------------------


def group_members(
    groups: Iterable[EntraGroup], wanted: Iterable[str]
) -> tuple[set[str], list[str]]:
    """User ids in the groups named (display name or id), and the names not found.

    >>> g = EntraGroup(id="g1", display_name="All Pupils", member_ids=["u1", "u2"])
    >>> members, missing = group_members([g], ["all pupils", "Missing"])
    >>> sorted(members), missing
    (['u1', 'u2'], ['Missing'])
    """
    by_key: dict[str, EntraGroup] = {}
    for group in groups:
        by_key[group.id.lower()] = group
        by_key[group.display_name.lower()] = group
    members: set[str] = set()
    missing: list[str] = []
    for name in wanted:
        found = by_key.get(name.lower())
        if found is None:
            missing.append(name)
        else:
            members.update(found.member_ids)
    return members, missing


def upn_of(users: Iterable[EntraUser]) -> dict[str, str]:
    """User id → user principal name (lower case)."""
    return {u.id: u.user_principal_name.lower() for u in users}


def break_glass_ids(tenant: TenantInfo, users: Iterable[EntraUser]) -> set[str]:
    """Ids of the accounts the inventory declares as break-glass."""
    declared = set(tenant.break_glass)
    return {u.id for u in users if u.user_principal_name.lower() in declared}


ADMIN_ROLE_SUFFIX = "Administrator"


def admin_ids(roles: Iterable[DirectoryRole]) -> set[str]:
    """User ids holding any administrator role (a role whose name ends in 'Administrator')."""
    return {
        m.id
        for role in roles
        if role.display_name.endswith(ADMIN_ROLE_SUFFIX)
        for m in role.members
        if m.odata_type in (None, "#microsoft.graph.user")
    }


def global_admins(roles: Iterable[DirectoryRole]) -> DirectoryRole | None:
    """The Global Administrator role (by template id), if activated."""
    return next((r for r in roles if r.role_template_id == GLOBAL_ADMINISTRATOR_TEMPLATE_ID), None)


LEGACY_CLIENTS = ("exchangeActiveSync", "other")
"""Client app types that are legacy authentication (no MFA possible)."""


@dataclass(frozen=True)
class Scope:
    """Whom and what an enabled policy covers, and whom it leaves out."""

    all_users: bool
    all_apps: bool
    excluded_users: tuple[str, ...]
    excluded_groups: tuple[str, ...]
    excluded_roles: tuple[str, ...]
    excluded_apps: tuple[str, ...]
    excludes_guests: bool


def scope(policy: ConditionalAccessPolicy) -> Scope:
    """The users and apps a policy covers (missing conditions cover nobody)."""
    users, apps = policy.conditions.users, policy.conditions.applications
    return Scope(
        all_users=users is not None and "All" in users.include_users,
        all_apps=apps is not None and "All" in apps.include_applications,
        excluded_users=tuple(users.exclude_users) if users else (),
        excluded_groups=tuple(users.exclude_groups) if users else (),
        excluded_roles=tuple(users.exclude_roles) if users else (),
        excluded_apps=tuple(apps.exclude_applications) if apps else (),
        excludes_guests=users is not None and users.exclude_guests_or_external_users is not None,
    )


def requires_mfa(policy: ConditionalAccessPolicy) -> bool:
    """Whether meeting the policy always takes MFA (``mfa`` or an authentication strength,
    with ``AND``, or as the only choice with ``OR``)."""
    grant = policy.grant_controls
    if grant is None:
        return False
    strength = grant.authentication_strength is not None
    mfa = "mfa" in grant.built_in_controls
    if (grant.operator or "OR").upper() == "AND":
        return mfa or strength
    others = [c for c in grant.built_in_controls if c != "mfa"]
    return (mfa or strength) and not others


def blocks(policy: ConditionalAccessPolicy) -> bool:
    """Whether the policy blocks access."""
    grant = policy.grant_controls
    return grant is not None and "block" in grant.built_in_controls


def modern_clients(policy: ConditionalAccessPolicy) -> bool:
    """Whether the policy applies to browsers and to mobile and desktop apps (the clients that
    can do MFA; legacy clients cannot, and are judged by the blocking check)."""
    types = set(policy.conditions.client_app_types)
    return "all" in types or {"browser", "mobileAppsAndDesktopClients"} <= types


def covers_client(policy: ConditionalAccessPolicy, client: str) -> bool:
    """Whether the policy applies to ``client`` (a client app type)."""
    types = set(policy.conditions.client_app_types)
    return "all" in types or client in types


def undeclared_exclusions(
    policy: ConditionalAccessPolicy, allowed_ids: set[str], upns: dict[str, str]
) -> list[str]:
    """What a policy leaves out besides the declared break-glass accounts, in words: other
    users, groups, roles, guests and excluded apps."""
    s = scope(policy)
    found = [upns.get(u, f"user {u}") for u in s.excluded_users if u not in allowed_ids]
    found += [f"group {g}" for g in s.excluded_groups]
    found += [f"role {r}" for r in s.excluded_roles]
    found += ["guests or external users"] if s.excludes_guests else []
    found += [f"app {a}" for a in s.excluded_apps]
    return found


# --- Google ----------------------------------------------------------------------------------


def _bare(org_unit_id: str) -> str:
    return org_unit_id.removeprefix("orgUnits/").removeprefix("id:")


def org_unit_paths(units: Iterable[GoogleOrgUnit]) -> dict[str, str]:
    """Org unit id (without ``id:``/``orgUnits/``) → path; the top-level unit ``/``, which the
    API does not list, is known from its children's parent id.

    >>> org_unit_paths([GoogleOrgUnit(org_unit_id="id:s1", org_unit_path="/Staff",
    ...     parent_org_unit_path="/", parent_org_unit_id="id:r0")])
    {'r0': '/', 's1': '/Staff'}
    """
    paths: dict[str, str] = {}
    for unit in units:
        if unit.parent_org_unit_path == "/" and unit.parent_org_unit_id:
            paths[_bare(unit.parent_org_unit_id)] = "/"
    paths.update({_bare(u.org_unit_id): u.org_unit_path for u in units})
    return paths


def under(path: str, roots: Iterable[str]) -> bool:
    """Whether ``path`` is one of ``roots`` or inside one.

    >>> under("/Pupils/Oakfield", ["/Pupils"]), under("/PupilsX", ["/Pupils"]), under("/a", ["/"])
    (True, False, True)
    """
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def units_within(roots: Iterable[str], units: Iterable[GoogleOrgUnit]) -> list[str]:
    """The org unit paths at or below ``roots`` (the roots themselves always included)."""
    wanted = list(roots)
    paths = {u.org_unit_path for u in units if under(u.org_unit_path, wanted)}
    return sorted(paths | set(wanted))


@dataclass(frozen=True)
class Effective:
    """The policy that decides a setting on an org unit (None: no policy, Google's default)."""

    org_unit: str
    policy: GooglePolicy | None


def effective(
    policies: Iterable[GooglePolicy], units: Iterable[GoogleOrgUnit], setting: str, ou_path: str
) -> Effective:
    """The policy of ``setting`` (``security.less_secure_apps``) that applies to ``ou_path``:
    the one on the nearest org unit at or above it; an admin's policy before a system one,
    then the higher sort order. Group-based policies are left out (see :func:`group_policies`).
    """
    paths = org_unit_paths(units)
    best: tuple[int, int, float, GooglePolicy] | None = None
    for policy in policies:
        query = policy.policy_query
        if policy.setting_type != setting or query.group or not query.org_unit:
            continue
        path = paths.get(_bare(query.org_unit))
        if path is None or not under(ou_path, [path]):
            continue
        key = (len(path.rstrip("/")), int(policy.type != "SYSTEM"), query.sort_order or 0.0)
        if best is None or key > best[:3]:
            best = (*key, policy)
    return Effective(ou_path, best[3] if best else None)


def group_policies(policies: Iterable[GooglePolicy], setting: str) -> list[GooglePolicy]:
    """Policies of ``setting`` applied to groups (they override org units for their members)."""
    return [p for p in policies if p.setting_type == setting and p.policy_query.group]


def is_pupil(user: GoogleUser, tenant: GoogleWorkspaceTenant) -> bool:
    """Whether a Google user is in a pupil org unit."""
    return under(user.org_unit_path, tenant.org_units.pupils)
