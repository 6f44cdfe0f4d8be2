"""Classroom membership across the domain boundary follows the trust's policy."""

from __future__ import annotations

from matops.facts.tenant.model import GoogleOrgUnit, GooglePolicy
from matops.inventory.tenants import TenantInfo
from matops.scan.tenant_judging import effective, google, units_within
from matops.scan.verdict import Verdict, failed, listing, not_applicable, passed

SETTING = "classroom.class_membership"
INSIDE = {"whoCanJoinClasses": "ANYONE_IN_DOMAIN", "whichClassesCanUsersJoin": "CLASSES_IN_DOMAIN"}


def judge(
    tenant_info: TenantInfo,
    google_policies: list[GooglePolicy],
    google_org_units: list[GoogleOrgUnit],
) -> Verdict:
    """When the trust's policy forbids it, each pupil org unit must let only domain users
    join classes and let pupils join only the domain's classes."""
    tenant = google(tenant_info)
    if tenant.policy.classroom_external_membership:
        return not_applicable("the trust's policy allows Classroom membership across domains")
    if not tenant.org_units.pupils:
        return not_applicable("the inventory names no pupil org units for this tenant")
    units = units_within(tenant.org_units.pupils, google_org_units)
    problems = []
    for unit in units:
        policy = effective(google_policies, google_org_units, SETTING, unit).policy
        if policy is None:
            problems.append(f"{unit} (no policy sets class membership)")
            continue
        wrong = [
            f"{field}={policy.setting.value.get(field) or 'not set'}"
            for field, want in INSIDE.items()
            if policy.setting.value.get(field) != want
        ]
        if wrong:
            problems.append(f"{unit} ({', '.join(wrong)})")
    if problems:
        return failed(f"Classroom reaches outside the domain for pupils in {listing(problems)}")
    return passed(f"Classroom stays inside the domain for all {len(units)} pupil org units")
