"""Tenant checks beyond their scenarios: no pupil is ever named in a verdict, tenant subjects go
through the scan's runner like any other, and a licence limit is never a pass."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from matops.facts.catalogue import FACTS
from matops.facts.model import Fact, FactError, Subject, make_evidence
from matops.facts.tenant.model import ENTRA_ID_P1, Unavailable
from matops.inventory.tenants import GoogleWorkspaceTenant, Microsoft365Tenant
from matops.scan.catalogue import Check, load_catalogue
from matops.scan.meta import Area
from matops.scan.model import Finding, Status
from matops.scan.runner import judge_subject
from matops.scan.scenarios import load_scenario, run_scenario
from matops.scan.tenant_judging import group_members, under

CATALOGUE = load_catalogue()
TENANT_CHECKS = [c for c in CATALOGUE if c.meta.area is Area.TENANT]
CASES = [
    pytest.param(check, path, id=f"{check.id}/{path.name}")
    for check in TENANT_CHECKS
    for path in check.scenario_files()
]


def _pupil_addresses(facts: dict[str, Any]) -> set[str]:
    """Every pupil address in a scenario's facts (pupils are known by group or org unit)."""
    tenant = facts.get("tenant_info")
    found: set[str] = set()
    if isinstance(tenant, Microsoft365Tenant):
        pupils, _ = group_members(facts.get("entra_groups", []), tenant.groups.pupils)
        for key in ("entra_users", "entra_sign_in_activity", "entra_mfa_registration"):
            value = facts.get(key)
            if isinstance(value, list):
                found |= {u.user_principal_name.lower() for u in value if u.id in pupils}
    if isinstance(tenant, GoogleWorkspaceTenant):
        found |= {
            u.primary_email.lower()
            for u in facts.get("google_users", [])
            if under(u.org_unit_path, tenant.org_units.pupils)
        }
    return found


def test_there_are_at_least_twenty_tenant_checks_for_both_providers() -> None:
    platforms = [p for c in TENANT_CHECKS for p in c.meta.applies_to.platforms]
    assert len(TENANT_CHECKS) >= 20
    assert platforms.count("microsoft365") >= 10 and platforms.count("google_workspace") >= 8


@pytest.mark.parametrize(("check", "path"), CASES)
def test_no_pupil_is_named(check: Check, path: Path) -> None:
    scenario, problems = load_scenario(check, path)
    assert scenario is not None, problems
    verdict = run_scenario(check, scenario)
    for address in _pupil_addresses(scenario.facts):
        assert address not in verdict.detail.lower(), f"{path}: names pupil {address}"
        assert address.split("@")[0] not in verdict.detail.lower(), f"{path}: names {address}"


def test_scenarios_with_pupils_exist() -> None:
    """The privacy test above is not vacuous: some failing scenarios do hold pupils."""
    with_pupils = []
    for check in TENANT_CHECKS:
        for path in check.scenario_files():
            scenario, _ = load_scenario(check, path)
            if scenario is not None and _pupil_addresses(scenario.facts):
                with_pupils.append((check.id, scenario.expect.value))
    assert ("entra_stale_accounts_disabled", "fail") in with_pupils
    assert ("google_stale_accounts_suspended", "fail") in with_pupils


class _Facts:
    """A provider that hands out fixed values (or fails), for running checks through the runner."""

    def __init__(self, values: dict[str, Any], failing: dict[str, str] | None = None) -> None:
        self.values = values
        self.failing = failing or {}

    def provides(self, subject: Subject) -> frozenset[str]:
        return frozenset(self.values) | frozenset(self.failing)

    def collect(self, name: str, subject: Subject) -> Fact:
        if name in self.failing:
            raise FactError(self.failing[name])
        value = FACTS[name].adapter().validate_python(self.values[name])
        return Fact(name=name, value=value, evidence=make_evidence(f"test:{name}", repr(value)))


M365 = {
    "provider": "microsoft365",
    "name": "north-m365",
    "domains": ["north.example"],
    "schools": ["oak", "elm"],
    "tenant_id": "11111111-2222-3333-4444-555555555555",
    "groups": {"staff": ["All Staff"], "pupils": ["All Pupils"]},
    "credentials": {
        "client_id": "11111111-2222-3333-4444-666666666666",
        "client_secret_var": "vault_s",
    },
}


def _run(values: dict[str, Any], failing: dict[str, str] | None = None) -> dict[str, Finding]:
    tenant = Microsoft365Tenant.model_validate(M365)
    subject = Subject.of_tenant(tenant, "elm")
    provider = _Facts({"tenant_info": M365, "scan_date": date(2026, 12, 1), **values}, failing)
    results = judge_subject(subject, TENANT_CHECKS, [provider])
    return {r.check: r for r in results if isinstance(r, Finding)}


def test_runner_judges_a_tenant_subject_and_files_it_under_the_school() -> None:
    findings = _run(
        {
            "entra_security_defaults": {"isEnabled": False},
            "entra_conditional_access": {"licence": ENTRA_ID_P1, "reason": "403"},
            "entra_users": [],
            "entra_authorization_policy": {
                "allowInvitesFrom": "everyone",
                "defaultUserRolePermissions": {"permissionGrantPoliciesAssigned": []},
            },
        }
    )
    mfa = findings["entra_mfa_required_for_all_users"]
    assert (mfa.status, mfa.subject, mfa.kind, mfa.school, mfa.target) == (
        Status.FAIL,
        "tenant",
        "tenant",
        "elm",
        "north-m365",
    )
    assert ENTRA_ID_P1 in mfa.detail
    assert findings["entra_policy_exclusions_declared"].status is Status.NOT_APPLICABLE
    assert findings["entra_guest_invitations_restricted"].status is Status.FAIL
    assert not any(f.check.startswith("google_") for f in findings.values())


def test_a_fact_that_could_not_be_read_is_an_error_never_a_pass() -> None:
    reason = "403 Authorization_RequestDenied: missing Policy.Read.All"
    findings = _run({"entra_users": []}, failing={"entra_authorization_policy": reason})
    for check in ("entra_guest_invitations_restricted", "entra_user_consent_disabled"):
        assert findings[check].status is Status.ERROR
        assert "Policy.Read.All" in findings[check].detail


def test_unavailable_is_not_a_value_any_check_passes_on() -> None:
    """Every check taking a licence-limited fact says not_applicable or fail, never pass."""
    missing = Unavailable(licence=ENTRA_ID_P1, reason="no premium licence")
    limited = {n for n, spec in FACTS.items() if "Unavailable" in repr(spec.type)}
    assert limited == {
        "entra_conditional_access",
        "entra_mfa_registration",
        "entra_sign_in_activity",
    }
    for check in TENANT_CHECKS:
        names = set(check.meta.facts) & limited
        if not names:
            continue
        for path in check.scenario_files():
            scenario, _ = load_scenario(check, path)
            assert scenario is not None
            facts = {**scenario.facts, **dict.fromkeys(names, missing)}
            if "entra_security_defaults" in facts:
                facts["entra_security_defaults"] = facts["entra_security_defaults"].model_copy(
                    update={"is_enabled": False}
                )
            verdict = check.judge(**facts)
            assert verdict.status.value in ("not_applicable", "fail"), (check.id, path.name)
            assert ENTRA_ID_P1 in verdict.detail, (check.id, verdict.detail)
