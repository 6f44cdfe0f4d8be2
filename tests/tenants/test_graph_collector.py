"""The Microsoft 365 collectors against the simulator: token flows, paging, and every way the
collector contract says a read can fail (403, 429 storms, expired tokens, cut-short paging,
missing licences), each an error or an explicit Unavailable with its reason, never a value."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from matops.facts.catalogue import FACTS
from matops.facts.model import (
    Fact,
    FactError,
    FactUnavailableError,
    Subject,
    TargetUnreachableError,
)
from matops.facts.tenant.collect import DEVICE_FACTS_OF, TenantProvider, live_source
from matops.facts.tenant.graph import GraphApp, GraphClient
from matops.facts.tenant.http import Throttle
from matops.facts.tenant.model import ENTRA_ID_P1, Unavailable
from matops.facts.tenant.reads import DEVICE_READS, MICROSOFT365_FACTS
from tests.support.tenantsim import SimTenants
from tests.tenants.conftest import M365, lab_profile, m365_tenant

USERS = "/graph.microsoft.com/v1.0/users"


def _client(sim: SimTenants, waits: list[float] | None = None, **app: Any) -> GraphClient:
    info = sim.tenant_info(M365)
    creds = sim.credentials[M365]
    fields = {"tenant_id": info["tenant_id"], "client_id": creds.client_id,
              "secret": creds.client_secret} | app  # fmt: skip
    recorded = waits if waits is not None else []
    throttle = Throttle(max_retries=3, max_total_wait=30, default_wait=1, sleep=recorded.append)
    return GraphClient(
        GraphApp(**fields), sim.tenant_endpoints(), ca_bundle=sim.ca_bundle, throttle=throttle
    )


def _provider(sim: SimTenants, tmp_path: Path, **tenant: Any) -> tuple[TenantProvider, Subject]:
    entry = m365_tenant(sim, **tenant)
    profile = lab_profile(sim, tmp_path / "lab", [entry])
    return TenantProvider(live_source(profile, tmp_path)), Subject.of_tenant(entry, "oak")


def _collect(sim: SimTenants, tmp_path: Path, fact: str, **tenant: Any) -> Fact:
    provider, subject = _provider(sim, tmp_path, **tenant)
    try:
        return provider.collect(fact, subject)
    finally:
        provider.close()


def _user_count(sim: SimTenants) -> int:
    import json

    return len(json.loads((sim.data / M365 / "users.json").read_text()))


def test_every_entra_fact_is_read_through_the_lab_profile(sim: SimTenants, tmp_path: Path) -> None:
    provider, subject = _provider(sim, tmp_path)
    without_devices = MICROSOFT365_FACTS - DEVICE_READS
    assert provider.provides(subject) == without_devices | DEVICE_FACTS_OF["microsoft365"]
    try:
        for name in sorted(DEVICE_FACTS_OF["microsoft365"]):  # no devices: block, not assessed
            with pytest.raises(FactUnavailableError, match="no devices: block"):
                provider.collect(name, subject)
        for name in sorted(without_devices):
            fact = provider.collect(name, subject)
            FACTS[name].adapter().validate_python(fact.value)  # the catalogue's type
            assert "@" not in fact.evidence.excerpt, fact.evidence.excerpt
            assert "127.0.0.1" not in fact.evidence.source
            assert fact.evidence.sha256
    finally:
        provider.close()
    read = provider.collect("entra_users", subject).value
    assert len(read) == _user_count(sim)


def test_a_certificate_signs_in_as_well_as_a_secret(sim: SimTenants, tmp_path: Path) -> None:
    fact = _collect(sim, tmp_path, "entra_users", certificate=True)
    assert len(fact.value) == _user_count(sim)


def test_each_tenant_is_read_once_for_all_the_schools_it_serves(
    sim: SimTenants, tmp_path: Path
) -> None:
    provider, oak = _provider(sim, tmp_path)
    assert oak.tenant is not None
    ash = Subject.of_tenant(oak.tenant, "ash")
    try:
        first = provider.collect("entra_users", oak)
        before = sim.stats()["requests"]["total"]
        again = provider.collect("entra_users", ash)
        assert sim.stats()["requests"]["total"] == before
    finally:
        provider.close()
    assert again is first


def test_pages_are_followed_and_add_up_to_graphs_count(sim: SimTenants) -> None:
    client = _client(sim)
    try:
        ids = [u["id"] for u in client.items(
            "/v1.0/users", {"$select": "id", "$top": "5"}, fact="entra_users", counted=True
        )]  # fmt: skip
    finally:
        client.close()
    assert len(ids) == len(set(ids)) == _user_count(sim)
    assert sim.stats()["requests"]["/graph.microsoft.com/v1.0"] >= _user_count(sim) // 5


@pytest.mark.parametrize(
    ("truncate", "said"), [("drop_link", "paging cut short"), ("dead_link", "HTTP 404")]
)
def test_cut_short_paging_is_an_error_not_a_shorter_list(
    sim: SimTenants, truncate: str, said: str
) -> None:
    sim.fault(USERS, truncate=truncate, count=1)
    client = _client(sim)
    try:
        with pytest.raises(FactError, match=said):
            list(client.items(
                "/v1.0/users", {"$select": "id", "$top": "5"}, fact="entra_users", counted=True
            ))  # fmt: skip
    finally:
        client.close()


def test_throttling_is_waited_out_as_graph_asks(sim: SimTenants) -> None:
    sim.fault(USERS, status=429, count=2, retry_after=3)
    sim.fault("/graph.microsoft.com/v1.0/subscribedSkus", status=503, count=1)
    waits: list[float] = []
    client = _client(sim, waits)
    try:
        users = list(client.items("/v1.0/users", {"$select": "id"}, fact="entra_users"))
        skus = list(client.items("/v1.0/subscribedSkus", fact="entra_subscribed_skus"))
    finally:
        client.close()
    assert len(users) == _user_count(sim) and skus
    assert waits == [3.0, 3.0, 1.0]  # Retry-After twice, then the default for a bare 503


def test_a_429_storm_is_an_error_after_a_bounded_number_of_retries(sim: SimTenants) -> None:
    sim.fault(USERS, status=429, retry_after=1)
    waits: list[float] = []
    client = _client(sim, waits)
    try:
        with pytest.raises(FactError, match=r"still throttled \(HTTP 429\) after 3 retries"):
            list(client.items("/v1.0/users", fact="entra_users"))
    finally:
        client.close()
    assert waits == [1.0, 1.0, 1.0]


def test_a_wait_beyond_the_budget_is_an_error_at_once(sim: SimTenants) -> None:
    sim.fault(USERS, status=429, retry_after=3600)
    waits: list[float] = []
    client = _client(sim, waits)
    try:
        with pytest.raises(FactError, match="asked to wait 3600 s, beyond the 30 s"):
            list(client.items("/v1.0/users", fact="entra_users"))
    finally:
        client.close()
    assert waits == []


def test_a_storm_becomes_an_error_finding_input_never_a_value(
    sim: SimTenants, tmp_path: Path
) -> None:
    sim.fault(USERS, status=429, retry_after=0)
    with pytest.raises(FactError, match="throttled"):
        _collect(sim, tmp_path, "entra_users")


def test_a_permission_the_app_lacks_is_named(sim: SimTenants, tmp_path: Path) -> None:
    info = copy.deepcopy(sim.tenant_info(M365))
    granted = info["applications"][0]["application_permissions"]
    info["applications"][0]["application_permissions"] = [
        p for p in granted if p != "Policy.Read.All"
    ]
    sim.replace(M365, "tenant", info)
    with pytest.raises(FactError) as caught:
        _collect(sim, tmp_path, "entra_security_defaults")
    text = str(caught.value)
    assert "HTTP 403" in text and "Authorization_RequestDenied" in text
    assert "application permission Policy.Read.All" in text


def test_an_injected_403_names_the_permission_of_the_read(sim: SimTenants) -> None:
    sim.fault("/graph.microsoft.com/v1.0/directoryRoles", status=403)
    client = _client(sim)
    try:
        with pytest.raises(FactError, match=r"RoleManagement\.Read\.Directory"):
            list(client.items("/v1.0/directoryRoles", fact="entra_directory_roles"))
    finally:
        client.close()


def test_an_expired_token_is_refreshed_once(sim: SimTenants) -> None:
    client = _client(sim)
    try:
        client.get("/v1.0/policies/authorizationPolicy", fact="entra_authorization_policy")
        assert sim.expire_tokens() >= 1
        again = client.get("/v1.0/policies/authorizationPolicy", fact="entra_authorization_policy")
    finally:
        client.close()
    assert "allowInvitesFrom" in again
    assert sim.stats()["statuses"].get("401") == 1


def test_a_token_refused_after_a_refresh_is_an_error(sim: SimTenants) -> None:
    sim.fault(USERS, status=401)
    client = _client(sim)
    try:
        with pytest.raises(FactError, match="refused a fresh token too"):
            list(client.items("/v1.0/users", fact="entra_users"))
    finally:
        client.close()


def test_a_wrong_secret_is_unreachable_with_entras_reason(sim: SimTenants) -> None:
    client = _client(sim, secret="not-the-secret")
    try:
        with pytest.raises(TargetUnreachableError, match="invalid_client"):
            client.get("/v1.0/policies/authorizationPolicy", fact="entra_authorization_policy")
    finally:
        client.close()


def test_an_unknown_tenant_is_unreachable_with_entras_reason(sim: SimTenants) -> None:
    client = _client(sim, tenant_id="00000000-1111-2222-3333-444444444444")
    try:
        with pytest.raises(TargetUnreachableError, match="AADSTS90002"):
            client.token()
    finally:
        client.close()


def test_tls_is_verified_against_the_profiles_ca_only(
    sim: SimTenants, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the environment names the simulator's CA, the profile says "system store": refused
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(sim.ca_bundle))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(sim.ca_bundle))
    info = sim.tenant_info(M365)
    creds = sim.credentials[M365]
    app = GraphApp(info["tenant_id"], creds.client_id, secret=creds.client_secret)
    client = GraphClient(app, sim.tenant_endpoints(), ca_bundle=None)
    try:
        with pytest.raises(TargetUnreachableError, match="CERTIFICATE_VERIFY_FAILED"):
            client.token()
    finally:
        client.close()


def test_a_tenant_without_entra_id_p1_gives_unavailable_naming_the_licence(
    sim: SimTenants, tmp_path: Path
) -> None:
    import json

    skus = json.loads((sim.data / M365 / "subscribed_skus.json").read_text())
    for sku in skus:
        sku["servicePlans"] = [
            p for p in sku.get("servicePlans", [])
            if p.get("servicePlanName") not in ("AAD_PREMIUM", "AAD_PREMIUM_P2")
        ]  # fmt: skip
    sim.replace(M365, "subscribed_skus", skus)
    provider, subject = _provider(sim, tmp_path)
    try:
        for name in (
            "entra_sign_in_activity",
            "entra_mfa_registration",
            "entra_conditional_access",
        ):
            value = provider.collect(name, subject).value
            assert isinstance(value, Unavailable), name
            assert value.licence == ENTRA_ID_P1
            assert "AAD_PREMIUM" in value.reason
        # what every licence has is still read
        assert provider.collect("entra_security_defaults", subject).value.is_enabled is not None
    finally:
        provider.close()


def test_graphs_own_premium_refusal_is_unavailable_too(sim: SimTenants, tmp_path: Path) -> None:
    import json

    # the licence lists P1 with a status Graph does not count as active (PendingInput):
    # matops tries the read and Graph answers that the tenant is not a premium one
    skus = json.loads((sim.data / M365 / "subscribed_skus.json").read_text())
    for sku in skus:
        for plan in sku.get("servicePlans", []):
            if plan.get("servicePlanName") in ("AAD_PREMIUM", "AAD_PREMIUM_P2"):
                plan["provisioningStatus"] = "PendingInput"
    sim.replace(M365, "subscribed_skus", skus)
    value = _collect(sim, tmp_path, "entra_mfa_registration").value
    assert isinstance(value, Unavailable)
    assert "Authentication_RequestFromNonPremiumTenantOrB2CTenant" in value.reason


def test_a_refused_report_names_its_permission(sim: SimTenants, tmp_path: Path) -> None:
    sim.fault(
        "/graph.microsoft.com/v1.0/reports/authenticationMethods/userRegistrationDetails",
        status=403,
    )
    with pytest.raises(FactError, match=r"AuditLog\.Read\.All"):
        _collect(sim, tmp_path, "entra_mfa_registration")


def test_a_lab_run_never_goes_through_a_proxy(
    sim: SimTenants, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    fact = _collect(sim, tmp_path, "entra_users")
    assert len(fact.value) == _user_count(sim)
