"""A large generated tenant (the benchmark's 20,000 users and 2,000 groups, and 30,000 managed
devices when asked for), made at start.

``tenant.json`` asks for it with ``"generate": {"users": 20000, "groups": 2000, "seed": 15}``
(add ``"devices": 30000`` for Intune managed devices in Microsoft 365, ChromeOS devices in
Google Workspace, a thousand per school: see :data:`SCHOOL_SIZE`);
the same seed gives the same tenant (deterministic ids, names and flags), so nothing large is
ever stored. Names are made up from short lists and numbered (``Pupil 01234``), never real.

>>> from datetime import UTC
>>> data = generate({"provider": "microsoft365", "tenant_id": "t", "domains": ["big.example"],
...                  "generate": {"users": 30, "groups": 4, "seed": 1}}, datetime(2026, 1, 1, tzinfo=UTC))
>>> len(data["users"]), len(data["groups"]), data["users"][0]["userPrincipalName"]
(30, 4, 'admin00000@big.example')
>>> data = generate({"provider": "microsoft365", "tenant_id": "t", "domains": ["big.example"],
...                  "generate": {"users": 4, "groups": 1, "devices": 2500}}, datetime(2026, 1, 1, tzinfo=UTC))
>>> len(data["managed_devices"]), data["managed_devices"][-1]["deviceCategoryDisplayName"]
(2500, 'School 003')
"""  # noqa: E501

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from tenantsim.devices import chromeos_device, intune_device
from tenantsim.store import format_time

GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10"
P1_PLAN = {"servicePlanId": "41781fb2-bc02-4b7c-bd55-b576c07bb09d",
           "servicePlanName": "AAD_PREMIUM", "provisioningStatus": "Success",
           "appliesTo": "Company"}  # fmt: skip


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def generate(info: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The collections of a generated tenant of the provider ``info`` names."""
    spec = info["generate"]
    rng = random.Random(int(spec.get("seed", 15)))  # noqa: S311 - made-up data, not secrets
    count, groups = int(spec.get("users", 20000)), int(spec.get("groups", 2000))
    devices = int(spec.get("devices", 0))
    if info["provider"] == "microsoft365":
        data = _microsoft(info, rng, now, count, groups)
        if devices:
            seeded = random.Random(rng.getrandbits(64))  # noqa: S311 - made-up data
            data["managed_devices"] = _intune_devices(seeded, now, devices)
        return data
    data = _google(info, rng, now, count)
    if devices:
        data["org_units"] += _device_units(devices)
        seeded = random.Random(rng.getrandbits(64))  # noqa: S311 - made-up data
        data["chromeos_devices"] = _chromeos_devices(seeded, now, devices)
    return data


SCHOOL_SIZE = 1000
"""Generated devices per school: ``School 001`` (an Intune category) or ``/Devices/School 001``
(an org unit) holds the first thousand, and so on."""
_WINDOWS_BUILDS = ("10.0.26100.6899", "10.0.26100.6584", "10.0.22631.6060", "10.0.19045.6456")
_INTUNE_MODELS = (
    ("Windows", "Dell Inc.", "Latitude 3550"), ("Windows", "LENOVO", "ThinkPad E14 Gen 6"),
    ("Windows", "HP", "HP ProBook 450 G10"), ("Windows", "Dell Inc.", "OptiPlex 3000"),
    ("iPadOS", "Apple", "iPad (9th generation)"), ("iPadOS", "Apple", "iPad (10th generation)"),
    ("macOS", "Apple", "MacBook Air (M2, 2022)"),
)  # fmt: skip
_CHROMEBOOKS = (("Lenovo 100e Chromebook Gen 3", "2029-06-01"),
                ("Acer Chromebook Spin 511", "2029-06-01"),
                ("HP Chromebook 11 G8 EE", "2026-06-01"))  # fmt: skip


def _when(now: datetime, days: int) -> str:
    return format_time(now - timedelta(days=days, minutes=days * 7 % 1440), "microsoft365")


def _intune_devices(rng: random.Random, now: datetime, count: int) -> list[dict[str, Any]]:
    """``count`` Intune devices over schools of :data:`SCHOOL_SIZE`, a few with problems."""
    devices = []
    for number in range(count):
        system, maker, model = _INTUNE_MODELS[number % len(_INTUNE_MODELS)]
        version = {"Windows": _WINDOWS_BUILDS[rng.randrange(4)], "iPadOS": "26.1",
                   "macOS": "26.1"}[system]  # fmt: skip
        school = f"School {number // SCHOOL_SIZE + 1:03d}"
        roll = rng.random()
        overrides: dict[str, Any] = {}
        if roll < 0.02:
            overrides["complianceState"] = "noncompliant"
        elif roll < 0.03:
            overrides["isEncrypted"] = False
        elif roll < 0.035:
            overrides["managedDeviceOwnerType"] = "personal"
        protection = {"signatureUpdateOverdue": True} if system == "Windows" and roll > 0.99 else {}
        devices.append(intune_device(
            rng, serial=f"GEN{number:07d}", model=model, manufacturer=maker,
            operating_system=system, os_version=version, category=school,
            name=f"DEV-{number:06d}", enrolled=_when(now, 400 + number % 700),
            last_sync=_when(now, 45 if 0.035 <= roll < 0.05 else number % 5),
            protection=protection, **overrides,
        ))  # fmt: skip
    return devices


def _device_units(count: int) -> list[dict[str, Any]]:
    schools = (count + SCHOOL_SIZE - 1) // SCHOOL_SIZE
    parent = {"kind": "admin#directory#orgUnit", "name": "Devices", "orgUnitPath": "/Devices",
              "orgUnitId": "id:03ph8a2d0000000", "parentOrgUnitPath": "/"}  # fmt: skip
    return [parent] + [
        {"kind": "admin#directory#orgUnit", "name": f"School {n:03d}",
         "orgUnitPath": f"/Devices/School {n:03d}", "orgUnitId": f"id:03ph8a2d{n:07d}",
         "parentOrgUnitPath": "/Devices"}
        for n in range(1, schools + 1)
    ]  # fmt: skip


def _chromeos_devices(rng: random.Random, now: datetime, count: int) -> list[dict[str, Any]]:
    """``count`` ChromeOS devices over schools of :data:`SCHOOL_SIZE` (one model past its AUE)."""
    devices = []
    for number in range(count):
        model, aue = _CHROMEBOOKS[number % len(_CHROMEBOOKS)]
        school = number // SCHOOL_SIZE + 1
        synced = format_time(now - timedelta(days=number % 9), "google_workspace")
        devices.append(chromeos_device(
            rng, serial=f"GCR{number:07d}", model=model, os_version="142.0.7444.181",
            platform_version="16404.45.0", org_unit_path=f"/Devices/School {school:03d}",
            org_unit_id=f"id:03ph8a2d{school:07d}", last_sync=synced,
            enrolled="2023-09-01T08:00:00.000Z", auto_update_through=aue,
        ))  # fmt: skip
    return devices


def _role(number: int) -> str:
    return "admin" if number < 4 else ("staff" if number % 8 == 0 else "pupil")


def _microsoft(
    info: dict[str, Any], rng: random.Random, now: datetime, count: int, groups: int
) -> dict[str, Any]:
    domain = info["domains"][0]
    users: list[dict[str, Any]] = []
    registration: list[dict[str, Any]] = []
    for number in range(count):
        kind = _role(number)
        uid = _id(rng)
        upn = f"{kind}{number:05d}@{domain}"
        seen = now - timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 1440))
        users.append({
            "id": uid, "userPrincipalName": upn, "displayName": f"{kind.title()} {number:05d}",
            "givenName": kind.title(), "surname": f"{number:05d}", "mail": upn,
            "accountEnabled": rng.random() > 0.02, "userType": "Member",
            "jobTitle": None if kind == "pupil" else "Teacher", "onPremisesSyncEnabled": None,
            "createdDateTime": format_time(now - timedelta(days=400), "microsoft365"),
            "businessPhones": [], "mobilePhone": None, "officeLocation": None,
            "preferredLanguage": "en-GB",
            "signInActivity": {"lastSignInDateTime": format_time(seen, "microsoft365"),
                               "lastNonInteractiveSignInDateTime": None},
        })  # fmt: skip
        mfa = kind != "pupil" and rng.random() > 0.05
        registration.append({
            "id": uid, "userPrincipalName": upn, "userDisplayName": users[-1]["displayName"],
            "userType": "member", "isAdmin": kind == "admin", "isSsprRegistered": mfa,
            "isSsprEnabled": True, "isSsprCapable": mfa, "isMfaRegistered": mfa,
            "isMfaCapable": mfa, "isPasswordlessCapable": False,
            "methodsRegistered": ["microsoftAuthenticatorPush"] if mfa else [],
            "isSystemPreferredAuthenticationMethodEnabled": True,
            "systemPreferredAuthenticationMethods": [], "userPreferredMethodForSecondaryAuthentication": "push" if mfa else "none",  # noqa: E501
            "lastUpdatedDateTime": format_time(now - timedelta(days=3), "microsoft365"),
        })  # fmt: skip
    group_list: list[dict[str, Any]] = []
    ids = [u["id"] for u in users]
    for number in range(groups):
        members = rng.sample(ids, k=min(len(ids), 25))
        if number and rng.random() < 0.1:
            members.append(group_list[rng.randrange(number)]["id"])
        group_list.append({
            "id": _id(rng), "displayName": f"Class group {number:04d}", "description": None,
            "mail": None, "mailEnabled": False, "securityEnabled": True, "groupTypes": [],
            "createdDateTime": format_time(now - timedelta(days=300), "microsoft365"),
            "visibility": None, "onPremisesSyncEnabled": None, "members": members,
        })  # fmt: skip
    admins = [str(u["id"]) for u in users[:4]]
    return {
        "users": users,
        "user_registration_details": registration,
        "groups": group_list,
        **_microsoft_settings(rng, admins, count),
    }


def _microsoft_settings(rng: random.Random, admins: list[str], count: int) -> dict[str, Any]:
    """The generated tenant's roles, licences and policies: all compliant."""
    role = {
        "id": _id(rng),
        "displayName": "Global Administrator",
        "description": "Can manage all aspects of Microsoft Entra ID.",
        "roleTemplateId": GLOBAL_ADMIN,
        "members": admins,
    }
    sku = {
        "id": _id(rng),
        "skuId": _id(rng),
        "skuPartNumber": "M365EDU_A3_FACULTY",
        "capabilityStatus": "Enabled",
        "appliesTo": "User",
        "consumedUnits": count,
        "prepaidUnits": {"enabled": count + 100},
        "servicePlans": [P1_PLAN],
    }
    defaults = {
        "id": "00000000-0000-0000-0000-000000000005",
        "displayName": "Security Defaults",
        "description": "",
        "isEnabled": True,
    }
    authorization = {
        "id": "authorizationPolicy",
        "allowInvitesFrom": "adminsAndGuestInviters",
        "defaultUserRolePermissions": {"permissionGrantPoliciesAssigned": []},
    }
    return {
        "directory_roles": [role],
        "security_defaults": defaults,
        "conditional_access_policies": [],
        "subscribed_skus": [sku],
        "authorization_policy": authorization,
    }


def _google(info: dict[str, Any], rng: random.Random, now: datetime, count: int) -> dict[str, Any]:
    domain = info["domains"][0]
    users = []
    for number in range(count):
        kind = _role(number)
        seen = now - timedelta(days=rng.randint(0, 120))
        email = f"{kind}{number:05d}@{domain}"
        users.append({
            "kind": "admin#directory#user", "id": str(100000000000000000000 + number),
            "primaryEmail": email, "name": {"givenName": kind.title(), "familyName": f"{number:05d}",  # noqa: E501
                                            "fullName": f"{kind.title()} {number:05d}"},
            "isAdmin": kind == "admin", "isDelegatedAdmin": False,
            "lastLoginTime": format_time(seen, "google_workspace"),
            "creationTime": format_time(now - timedelta(days=400), "google_workspace"),
            "agreedToTerms": True, "suspended": rng.random() < 0.02, "archived": False,
            "changePasswordAtNextLogin": False, "ipWhitelisted": False,
            "emails": [{"address": email, "primary": True}],
            "customerId": info.get("customer_id"), "orgUnitPath": "/Pupils" if kind == "pupil" else "/Staff",  # noqa: E501
            "isMailboxSetup": True, "isEnrolledIn2Sv": kind != "pupil",
            "isEnforcedIn2Sv": kind != "pupil", "includeInGlobalAddressList": True,
        })  # fmt: skip
    customer = str(info.get("customer_id"))
    units = [
        {"kind": "admin#directory#orgUnit", "name": name, "orgUnitPath": f"/{name}",
         "orgUnitId": f"id:03ph8a2z{number:07d}", "parentOrgUnitPath": "/"}
        for number, name in enumerate(("Staff", "Pupils"))
    ]  # fmt: skip
    enforced = {
        "name": "policies/generated0001",
        "customer": f"customers/{customer}",
        "policyQuery": {"orgUnit": "orgUnits/03ph8a2z0000000", "sortOrder": 1},
        "setting": {
            "type": "settings/security.two_step_verification_enforcement",
            "value": {"enforcedFrom": format_time(now - timedelta(days=200), "google_workspace")},
        },
        "type": "ADMIN",
    }
    return {"users": users, "org_units": units, "policies": [enforced]}
