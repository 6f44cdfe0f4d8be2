"""Less secure app access is off everywhere in Google Workspace."""

from __future__ import annotations

from matops.facts.tenant.model import GoogleOrgUnit, GooglePolicy
from matops.scan.tenant_judging import effective, group_policies, units_within
from matops.scan.verdict import Verdict, errored, failed, listing, passed

SETTING = "security.less_secure_apps"
FIELD = "allowLessSecureApps"


def judge(google_policies: list[GooglePolicy], google_org_units: list[GoogleOrgUnit]) -> Verdict:
    """Fail naming each org unit (and group) whose policy allows less secure apps."""
    units = units_within(["/"], google_org_units)
    allowed: list[str] = []
    unknown: list[str] = []
    for unit in units:
        policy = effective(google_policies, google_org_units, SETTING, unit).policy
        value = policy.setting.value.get(FIELD) if policy is not None else False
        if value is True:
            allowed.append(unit)
        elif value is not False:
            unknown.append(unit)
    allowed += [
        p.policy_query.group or p.name
        for p in group_policies(google_policies, SETTING)
        if p.setting.value.get(FIELD) is True
    ]
    if allowed:
        return failed(f"less secure apps allowed in {listing(allowed)}")
    if unknown:
        return errored(f"the less secure apps policy has no {FIELD} value for {listing(unknown)}")
    return passed(
        f"no policy allows less secure apps in {len(units)} org units (Google's default is off)"
    )
