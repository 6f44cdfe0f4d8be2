"""Typed tenant facts: what the collectors read from Microsoft Graph and Google's Admin APIs.

Each model is close to the API's own JSON (fields are snake_case here; the API's camelCase
names are accepted as aliases, so a collector validates a Graph or Google item directly with
``Model.model_validate(item)``). Fields the API adds that matops does not judge are ignored.
``None`` always means "not observed", never "compliant"; where the API itself uses ``null`` as
an answer (``onPremisesSyncEnabled``, ``signInActivity``), the field has no default, so the key
must be present in what was read, and the docstring says what ``null`` means.

One fact per API read (the names are those in :mod:`matops.facts.catalogue`):

Microsoft 365 / Entra ID (Microsoft Graph v1.0):

* ``entra_users`` → ``list[EntraUser]``: ``GET /users`` with ``$select`` of the fields below.
  Who exists, enabled or not, guest or member, synced from on-premises AD or cloud-only, and
  which licences each has (to tell a daily, mailbox-licensed account from an admin account).
* ``entra_sign_in_activity`` → ``list[EntraUserSignIn] | Unavailable``: ``GET
  /users?$select=id,userPrincipalName,signInActivity``. Needs Entra ID P1 and AuditLog.Read.All;
  a tenant without P1 gives :class:`Unavailable` (stale-account checks are then not_applicable).
* ``entra_mfa_registration`` → ``list[UserRegistrationDetails] | Unavailable``: ``GET
  /reports/authenticationMethods/userRegistrationDetails``: who has registered an MFA method
  and who is an admin. Needs Entra ID P1 (else :class:`Unavailable`).
* ``entra_security_defaults`` → ``EntraSecurityDefaults``: ``GET
  /policies/identitySecurityDefaultsEnforcementPolicy`` (on or off; every licence has it).
* ``entra_conditional_access`` → ``list[ConditionalAccessPolicy] | Unavailable``: ``GET
  /identity/conditionalAccess/policies``. Needs Entra ID P1 (else :class:`Unavailable`): MFA
  for all users and apps, legacy-authentication blocks and their exclusions are judged here.
* ``entra_directory_roles`` → ``list[DirectoryRole]``: ``GET /directoryRoles`` with each role's
  ``members``: who holds Global Administrator and the other privileged roles.
* ``entra_authorization_policy`` → ``EntraAuthorizationPolicy``: ``GET
  /policies/authorizationPolicy``: who may invite guests, whether users may consent to apps.
* ``entra_subscribed_skus`` → ``list[SubscribedSku]``: ``GET /subscribedSkus``: the tenant's
  licences and their service plans (``AAD_PREMIUM`` is Entra ID P1, ``AAD_PREMIUM_P2`` is P2),
  so that a check can name the licence a missing feature needs.
* ``entra_groups`` → ``list[EntraGroup]``: the groups the inventory names for staff, pupils and
  admins (``GET /groups?$filter=…`` and ``GET /groups/{id}/transitiveMembers``), each with the ids
  of its user members: pupils are told apart by group membership and only ever counted.

Google Workspace:

* ``google_users`` → ``list[GoogleUser]``: Directory API ``users.list`` (``customer=…``):
  suspended or not, super admin or delegated admin, 2-Step Verification enrolled and enforced,
  last login, organisational unit.
* ``google_org_units`` → ``list[GoogleOrgUnit]``: Directory API ``orgunits.list`` (type ALL):
  maps the ``orgUnits/<id>`` a policy names to the ``/Staff`` paths the inventory uses.
* ``google_policies`` → ``list[GooglePolicy]``: Cloud Identity Policy API ``policies.list``:
  each setting (``settings/security.two_step_verification_enforcement``,
  ``settings/security.less_secure_apps``, ``settings/drive_and_docs.external_sharing``,
  ``settings/classroom.class_membership``…) with its value and the org unit or group it is set on.

Inventory facts about a tenant (``tenant_info``, ``staff_list``) are declared in the catalogue
with the inventory's own models (:mod:`matops.inventory.tenants`, :mod:`matops.inventory.staff`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class _ApiShape(BaseModel):
    """Base: snake_case fields, camelCase aliases (the API's names), unknown API fields ignored."""

    model_config = ConfigDict(
        frozen=True, extra="ignore", alias_generator=to_camel, populate_by_name=True
    )


class Unavailable(BaseModel):
    """A fact the tenant cannot give because its licence lacks the feature.

    Checks that need the fact return not_applicable naming ``licence``; it is never a pass.

    >>> Unavailable(licence="Microsoft Entra ID P1", reason="conditional access needs P1").licence
    'Microsoft Entra ID P1'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    unavailable: Literal[True] = True
    licence: str
    """The licence (product name) that would provide the fact, e.g. ``Microsoft Entra ID P1``."""
    reason: str
    """What the API said, in one sentence (e.g. Graph's error code and message, redacted)."""


ENTRA_ID_P1 = "Microsoft Entra ID P1"
"""The licence conditional access, sign-in activity and the registration report need."""
ENTRA_ID_P1_PLANS = frozenset({"AAD_PREMIUM", "AAD_PREMIUM_P2"})
"""Service plan names (``servicePlans[].servicePlanName``) that include Entra ID P1 features."""
GLOBAL_ADMINISTRATOR_TEMPLATE_ID = "62e90394-69f5-4237-9190-012177145e10"
"""``roleTemplateId`` of the Global Administrator role (the same in every tenant)."""


# --- Microsoft Entra ID (Graph) ---------------------------------------------------------------


class AssignedLicense(_ApiShape):
    """``user.assignedLicenses[]``: one licence given to a user."""

    sku_id: str
    disabled_plans: list[str] = Field(default_factory=list)


class EntraUser(_ApiShape):
    """A Graph ``user`` (``GET /users``). No display names: the UPN identifies staff, and pupils
    are only counted."""

    id: str
    user_principal_name: str
    mail: str | None = None
    account_enabled: bool | None = None
    user_type: str | None = None
    """``Member`` or ``Guest``."""
    on_premises_sync_enabled: bool | None
    """Required key. ``true``: synced from on-premises AD; Graph's ``null`` (or ``false``): not
    synced, i.e. a cloud-only account."""
    created_date_time: datetime | None = None
    assigned_licenses: list[AssignedLicense] | None = None
    """None: not read; ``[]``: the user has no licence."""


class SignInActivity(_ApiShape):
    """``user.signInActivity``: when the user last signed in (interactive, non-interactive)."""

    last_sign_in_date_time: datetime | None = None
    last_non_interactive_sign_in_date_time: datetime | None = None
    last_successful_sign_in_date_time: datetime | None = None

    def last_seen(self) -> datetime | None:
        """The latest of the three times, or None when Graph gave none."""
        times = [
            t
            for t in (
                self.last_sign_in_date_time,
                self.last_non_interactive_sign_in_date_time,
                self.last_successful_sign_in_date_time,
            )
            if t is not None
        ]
        return max(times) if times else None


class EntraUserSignIn(_ApiShape):
    """A user's sign-in activity (``GET /users?$select=id,userPrincipalName,signInActivity``)."""

    id: str
    user_principal_name: str
    sign_in_activity: SignInActivity | None
    """Required key; Graph's ``null`` means the user has never signed in (since April 2020)."""


class UserRegistrationDetails(_ApiShape):
    """A ``userRegistrationDetails`` row of the authentication methods registration report."""

    id: str
    user_principal_name: str
    user_type: str | None = None
    is_admin: bool | None = None
    is_mfa_registered: bool
    is_mfa_capable: bool | None = None
    methods_registered: list[str] = Field(default_factory=list)
    last_updated_date_time: datetime | None = None


class EntraSecurityDefaults(_ApiShape):
    """``identitySecurityDefaultsEnforcementPolicy``: security defaults on or off."""

    id: str | None = None
    display_name: str | None = None
    is_enabled: bool


class ConditionalAccessUsers(_ApiShape):
    """``conditions.users``: who a policy includes and excludes (ids, or ``All``, ``None``,
    ``GuestsOrExternalUsers``; roles by role template id)."""

    include_users: list[str] = Field(default_factory=list)
    exclude_users: list[str] = Field(default_factory=list)
    include_groups: list[str] = Field(default_factory=list)
    exclude_groups: list[str] = Field(default_factory=list)
    include_roles: list[str] = Field(default_factory=list)
    exclude_roles: list[str] = Field(default_factory=list)
    exclude_guests_or_external_users: dict[str, Any] | None = None
    """Set (any value) when the policy leaves out kinds of guests or external users."""


class ConditionalAccessApplications(_ApiShape):
    """``conditions.applications``: app ids, or ``All``, ``None``, ``Office365``."""

    include_applications: list[str] = Field(default_factory=list)
    exclude_applications: list[str] = Field(default_factory=list)
    include_user_actions: list[str] = Field(default_factory=list)


class ConditionalAccessConditions(_ApiShape):
    """``conditionalAccessPolicy.conditions`` (the parts matops judges)."""

    users: ConditionalAccessUsers | None = None
    applications: ConditionalAccessApplications | None = None
    client_app_types: list[str]
    """Required key: ``all``, ``browser``, ``mobileAppsAndDesktopClients``,
    ``exchangeActiveSync``, ``other`` (``other`` and ``exchangeActiveSync`` are legacy
    authentication)."""


class AuthenticationStrength(_ApiShape):
    """``grantControls.authenticationStrength``: a required authentication strength policy."""

    id: str
    display_name: str | None = None


class ConditionalAccessGrantControls(_ApiShape):
    """``conditionalAccessPolicy.grantControls``."""

    operator: str | None = None
    """``AND`` or ``OR``."""
    built_in_controls: list[str] = Field(default_factory=list)
    """``block``, ``mfa``, ``compliantDevice``, ``domainJoinedDevice``, …"""
    authentication_strength: AuthenticationStrength | None = None


class ConditionalAccessPolicy(_ApiShape):
    """A ``conditionalAccessPolicy``."""

    id: str
    display_name: str
    state: str
    """``enabled``, ``disabled`` or ``enabledForReportingButNotEnforced`` (report-only)."""
    conditions: ConditionalAccessConditions
    grant_controls: ConditionalAccessGrantControls | None
    """Required key; ``null`` for a policy with session controls only."""


class DirectoryObjectRef(_ApiShape):
    """A role member (``directoryRole.members[]``): a user, group or service principal."""

    id: str
    odata_type: str | None = Field(default=None, alias="@odata.type")
    """``#microsoft.graph.user``, ``…group`` or ``…servicePrincipal``."""
    user_principal_name: str | None = None


class DirectoryRole(_ApiShape):
    """An activated ``directoryRole`` with its members."""

    id: str
    display_name: str
    role_template_id: str
    members: list[DirectoryObjectRef]
    """Required key: the members as read (``GET /directoryRoles/{id}/members``)."""


class DefaultUserRolePermissions(_ApiShape):
    """``authorizationPolicy.defaultUserRolePermissions`` (the parts matops judges)."""

    permission_grant_policies_assigned: list[str]
    """Required key. Entries starting ``ManagePermissionGrantsForSelf.`` let users consent to
    apps themselves (``…microsoft-user-default-legacy``, ``…microsoft-user-default-low``)."""
    allowed_to_create_apps: bool | None = None
    allowed_to_create_tenants: bool | None = None


class EntraAuthorizationPolicy(_ApiShape):
    """``authorizationPolicy``: guest invitations and user consent."""

    allow_invites_from: str
    """``none``, ``adminsAndGuestInviters``, ``adminsGuestInvitersAndAllMembers``, ``everyone``."""
    default_user_role_permissions: DefaultUserRolePermissions
    allow_email_verified_users_to_join_organization: bool | None = None


class ServicePlanInfo(_ApiShape):
    """``subscribedSku.servicePlans[]``."""

    service_plan_id: str
    service_plan_name: str
    provisioning_status: str | None = None
    applies_to: str | None = None


class SubscribedSku(_ApiShape):
    """A ``subscribedSku``: a licence the organisation has, with its service plans."""

    sku_id: str
    sku_part_number: str
    capability_status: str | None = None
    """``Enabled``, ``Warning``, ``Suspended``, ``Deleted``, ``LockedOut``."""
    consumed_units: int | None = None
    service_plans: list[ServicePlanInfo] = Field(default_factory=list)


class EntraGroup(_ApiShape):
    """A group the inventory names, with the ids of its (transitive) user members."""

    id: str
    display_name: str
    member_ids: list[str]
    """Required: ``transitiveMembers`` of type user, all pages read."""


def has_service_plan(skus: Iterable[SubscribedSku], plans: Iterable[str]) -> bool:
    """Whether an enabled (or warning) licence includes one of the service plans ``plans``.

    >>> sku = SubscribedSku(sku_id="s", sku_part_number="M365EDU_A3_FACULTY",
    ...     capability_status="Enabled", service_plans=[ServicePlanInfo(
    ...     service_plan_id="p", service_plan_name="AAD_PREMIUM", provisioning_status="Success")])
    >>> has_service_plan([sku], ENTRA_ID_P1_PLANS)
    True
    """
    wanted = set(plans)
    return any(
        plan.service_plan_name in wanted and plan.provisioning_status != "Disabled"
        for sku in skus
        if sku.capability_status in (None, "Enabled", "Warning")
        for plan in sku.service_plans
    )


# --- Google Workspace ---------------------------------------------------------------------------


class GoogleUser(_ApiShape):
    """A Directory API ``User`` (no names: the primary email identifies staff)."""

    id: str
    primary_email: str
    org_unit_path: str
    suspended: bool
    archived: bool | None = None
    is_admin: bool
    """A super administrator."""
    is_delegated_admin: bool
    is_enrolled_in_2sv: bool = Field(alias="isEnrolledIn2Sv")
    is_enforced_in_2sv: bool = Field(alias="isEnforcedIn2Sv")
    last_login_time: datetime | None
    """Required key; Google gives ``1970-01-01T00:00:00.000Z`` for a user who never logged in."""
    creation_time: datetime | None = None

    def never_logged_in(self) -> bool:
        """Whether Google's last login is its 'never' value (the Unix epoch) or absent."""
        return self.last_login_time is None or self.last_login_time.year <= 1970


class GoogleOrgUnit(_ApiShape):
    """A Directory API ``OrgUnit``: ``org_unit_id`` is ``id:…``; policies name ``orgUnits/…``.

    ``orgunits.list`` does not return the top-level unit ``/`` itself: its id is the
    ``parentOrgUnitId`` of the units directly below it.
    """

    org_unit_id: str
    org_unit_path: str
    parent_org_unit_path: str | None = None
    parent_org_unit_id: str | None = None


class GooglePolicyQuery(_ApiShape):
    """``policy.policyQuery``: where a setting applies (org unit or group) and its order."""

    org_unit: str | None = None
    """``orgUnits/<id>`` (resolve with ``google_org_units``)."""
    group: str | None = None
    """``groups/<id>``: a group-based policy."""
    query: str | None = None
    sort_order: float | None = None


class GoogleSetting(_ApiShape):
    """``policy.setting``: the setting type and its value, as Google names them."""

    type: str
    """``settings/security.less_secure_apps`` …"""
    value: dict[str, Any]
    """E.g. ``{"allowLessSecureApps": false}``, ``{"enforcedFrom": "2025-09-01T00:00:00Z"}``,
    ``{"externalSharingMode": "DISALLOWED"}``, ``{"whoCanJoinClasses": "ANYONE_IN_DOMAIN"}``."""


class GooglePolicy(_ApiShape):
    """A Cloud Identity ``Policy``."""

    name: str
    customer: str | None = None
    policy_query: GooglePolicyQuery
    setting: GoogleSetting
    type: Literal["ADMIN", "SYSTEM", "POLICY_TYPE_UNSPECIFIED"] | None = None

    @property
    def setting_type(self) -> str:
        """The setting type without the ``settings/`` prefix (``security.less_secure_apps``)."""
        return self.setting.type.removeprefix("settings/")
