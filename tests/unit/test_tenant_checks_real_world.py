"""The tenant checks judge the response examples of Microsoft's Graph reference pages (the
fixtures and their sources, commits and licence: tests/fixtures/real-world/tenants/SOURCES.yml),
so a judge is tried on a shape nobody on the team wrote."""

from __future__ import annotations

import json
from typing import Any

from matops.facts.catalogue import FACTS
from matops.facts.tenant.model import ENTRA_ID_P1_PLANS, has_service_plan
from matops.scan.catalogue import load_catalogue
from matops.scan.verdict import JudgeStatus, Verdict
from tests.conftest import FIXTURES

GRAPH = FIXTURES / "real-world" / "tenants" / "graph"
CATALOGUE = load_catalogue()
TENANT = {
    "provider": "microsoft365",
    "name": "contoso",
    "domains": ["contoso.com"],
    "schools": ["oak"],
    "tenant_id": "11111111-2222-3333-4444-555555555555",
    "groups": {"staff": ["Staff"]},
    "credentials": {
        "client_id": "11111111-2222-3333-4444-666666666666",
        "client_secret_var": "vault_s",
    },
}


def _read(name: str) -> Any:
    data = json.loads((GRAPH / name).read_text())
    return data["value"] if isinstance(data, dict) and "value" in data else data


def _judge(check_id: str, **raw: Any) -> Verdict:
    check = CATALOGUE.get(check_id)
    facts = {n: FACTS[n].adapter().validate_python(raw[n]) for n in check.meta.facts}
    return check.judge(**facts)


def test_security_defaults_example_satisfies_mfa_and_legacy_blocking() -> None:
    for check in ("entra_mfa_required_for_all_users", "entra_legacy_authentication_blocked"):
        verdict = _judge(
            check,
            tenant_info=TENANT,
            entra_security_defaults=_read("security_defaults.json"),
            entra_conditional_access=_read("conditional_access_policies.json"),
            entra_users=[],
        )
        assert verdict.status is JudgeStatus.PASS, verdict.detail


def test_the_documented_disabled_policies_protect_nobody() -> None:
    """The reference example's two policies are disabled and include no users: with security
    defaults off, MFA is not required and legacy authentication is not blocked."""
    raw = {
        "tenant_info": TENANT,
        "entra_security_defaults": {"isEnabled": False},
        "entra_conditional_access": _read("conditional_access_policies.json"),
        "entra_users": [],
    }
    mfa = _judge("entra_mfa_required_for_all_users", **raw)
    assert mfa.status is JudgeStatus.FAIL
    assert "no conditional access policy requires MFA for all users" in mfa.detail
    legacy = _judge("entra_legacy_authentication_blocked", **raw)
    assert legacy.status is JudgeStatus.FAIL and "no blocking policy" in legacy.detail
    exclusions = _judge("entra_policy_exclusions_declared", **raw)
    assert exclusions.status is JudgeStatus.PASS and exclusions.detail.startswith("0 ")


def test_documented_authorization_policy() -> None:
    """Everyone may invite guests; the only grant policy assigned is not self-consent."""
    policy = _read("authorization_policy.json")
    guests = _judge("entra_guest_invitations_restricted", entra_authorization_policy=policy)
    assert guests.status is JudgeStatus.FAIL and "everyone" in guests.detail
    consent = _judge("entra_user_consent_disabled", entra_authorization_policy=policy)
    assert consent.status is JudgeStatus.PASS


def test_documented_registration_report_names_the_unregistered_member() -> None:
    rows = _read("user_registration_details.json")
    users = [
        {"id": r["id"], "userPrincipalName": r["userPrincipalName"], "accountEnabled": True,
         "onPremisesSyncEnabled": None}
        for r in rows
    ]  # fmt: skip
    groups = [{"id": "g", "displayName": "Staff", "memberIds": [r["id"] for r in rows]}]
    verdict = _judge(
        "entra_staff_registered_for_mfa",
        tenant_info=TENANT,
        entra_groups=groups,
        entra_users=users,
        entra_mfa_registration=rows,
    )
    assert verdict.status is JudgeStatus.FAIL
    assert "1 of 3" in verdict.detail and "AllanD@Contoso.com" in verdict.detail


def test_documented_licences_have_no_entra_id_p1() -> None:
    skus = FACTS["entra_subscribed_skus"].adapter().validate_python(_read("subscribed_skus.json"))
    assert [s.sku_part_number for s in skus] == ["ENTERPRISEPREMIUM", "CRMSTANDARD"]
    assert not has_service_plan(skus, ENTRA_ID_P1_PLANS)
