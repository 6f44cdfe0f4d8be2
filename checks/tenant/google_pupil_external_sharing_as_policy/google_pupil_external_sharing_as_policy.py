"""Pupils can share Drive files outside the trust only if the trust's policy allows it."""

from __future__ import annotations

from matops.facts.tenant.model import GoogleOrgUnit, GooglePolicy
from matops.inventory.tenants import TenantInfo
from matops.scan.tenant_judging import effective, google, group_policies, units_within
from matops.scan.verdict import Verdict, failed, listing, not_applicable, passed

SETTING = "drive_and_docs.external_sharing"
FIELD = "externalSharingMode"


def judge(
    tenant_info: TenantInfo,
    google_policies: list[GooglePolicy],
    google_org_units: list[GoogleOrgUnit],
) -> Verdict:
    """When the trust's policy forbids it, every pupil org unit's sharing mode must be
    ``DISALLOWED`` (no policy means Google's default, which allows sharing)."""
    tenant = google(tenant_info)
    if tenant.policy.pupil_external_sharing:
        return not_applicable("the trust's policy allows pupils to share outside the trust")
    if not tenant.org_units.pupils:
        return not_applicable("the inventory names no pupil org units for this tenant")
    units = units_within(tenant.org_units.pupils, google_org_units)
    open_units = []
    for unit in units:
        policy = effective(google_policies, google_org_units, SETTING, unit).policy
        mode = policy.setting.value.get(FIELD) if policy is not None else None
        if mode != "DISALLOWED":
            open_units.append(f"{unit} ({mode or 'no policy: Google allows it by default'})")
    groups = [
        p.policy_query.group or p.name
        for p in group_policies(google_policies, SETTING)
        if p.setting.value.get(FIELD) != "DISALLOWED"
    ]
    if open_units or groups:
        where = listing([*open_units, *groups])
        return failed(f"pupils can share Drive files outside the trust in {where}")
    return passed(f"external sharing is off in all {len(units)} pupil org units")
