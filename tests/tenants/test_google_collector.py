"""The Google Workspace collectors against the simulator: the JWT-bearer grant, the Directory
and Cloud Identity APIs built offline, paging, and the ways a read can fail (403, 429 storms,
dead page tokens, refused delegation), each an error with its reason, never a value."""

from __future__ import annotations

import copy
import json
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
from matops.facts.tenant.google import GoogleApp, GoogleClient
from matops.facts.tenant.http import Throttle
from matops.facts.tenant.reads import DEVICE_READS, GOOGLE_FACTS
from tests.support.tenantsim import SimTenants
from tests.tenants.conftest import GOOGLE, google_tenant, lab_profile

USERS = "/admin.googleapis.com/admin/directory/v1/users"
POLICIES = "/cloudidentity.googleapis.com/v1/policies"


def _client(sim: SimTenants, waits: list[float] | None = None, **app: Any) -> GoogleClient:
    creds = sim.credentials[GOOGLE]
    fields = {"customer_id": sim.tenant_info(GOOGLE)["customer_id"],
              "delegated_admin": creds.delegated_admin,
              "service_account_info": creds.service_account} | app  # fmt: skip
    recorded = waits if waits is not None else []
    throttle = Throttle(max_retries=3, max_total_wait=30, default_wait=1, sleep=recorded.append)
    return GoogleClient(
        GoogleApp(**fields), sim.tenant_endpoints(), ca_bundle=sim.ca_bundle, throttle=throttle
    )


def _provider(sim: SimTenants, tmp_path: Path, **tenant: Any) -> tuple[TenantProvider, Subject]:
    entry = google_tenant(sim, **tenant)
    profile = lab_profile(sim, tmp_path / "lab", [entry])
    return TenantProvider(live_source(profile, tmp_path)), Subject.of_tenant(entry, "oak")


def _collect(sim: SimTenants, tmp_path: Path, fact: str) -> Fact:
    provider, subject = _provider(sim, tmp_path)
    try:
        return provider.collect(fact, subject)
    finally:
        provider.close()


def _count(sim: SimTenants, collection: str) -> int:
    return len(json.loads((sim.data / GOOGLE / f"{collection}.json").read_text()))


def test_every_google_fact_is_read_through_the_lab_profile(sim: SimTenants, tmp_path: Path) -> None:
    provider, subject = _provider(sim, tmp_path)
    without_devices = GOOGLE_FACTS - DEVICE_READS
    assert provider.provides(subject) == without_devices | DEVICE_FACTS_OF["google_workspace"]
    try:
        for name in sorted(DEVICE_FACTS_OF["google_workspace"]):  # no devices: block, not assessed
            with pytest.raises(FactUnavailableError, match="no devices: block"):
                provider.collect(name, subject)
        for name in sorted(without_devices):
            fact = provider.collect(name, subject)
            FACTS[name].adapter().validate_python(fact.value)
            assert "@" not in fact.evidence.excerpt
        users = provider.collect("google_users", subject).value
        policies = provider.collect("google_policies", subject).value
    finally:
        provider.close()
    assert len(users) == _count(sim, "users")
    assert len(policies) == _count(sim, "policies")


def test_users_page_by_next_page_token(sim: SimTenants) -> None:
    client = _client(sim)
    try:
        pages = list(client.pages(
            lambda token: client.directory.users().list(
                customer=client.app.customer_id, maxResults=3, pageToken=token
            ),
            "users", fact="google_users",
        ))  # fmt: skip
    finally:
        client.close()
    assert len(pages) > 1
    assert sum(len(p["users"]) for p in pages) == _count(sim, "users")


def test_only_the_fields_judged_are_asked_for(sim: SimTenants) -> None:
    client = _client(sim)
    try:
        users = list(client.items(client.users_page, "users", fact="google_users"))
    finally:
        client.close()
    assert all("name" not in u and "phones" not in u for u in users)
    assert {"primaryEmail", "isEnrolledIn2Sv", "orgUnitPath"} <= set(users[0])


def test_a_dead_page_token_is_an_error(sim: SimTenants) -> None:
    sim.fault(POLICIES, truncate="dead_link", count=1)
    client = _client(sim)
    try:
        with pytest.raises(FactError, match="HTTP 404"):
            list(client.items(
                lambda token: client.cloud_identity.policies().list(
                    filter=f'customer == "customers/{client.app.customer_id}"',
                    pageSize=2, pageToken=token,
                ),
                "policies", fact="google_policies",
            ))  # fmt: skip
    finally:
        client.close()


def test_throttling_is_waited_out_and_a_storm_is_an_error(sim: SimTenants) -> None:
    sim.fault(USERS, status=429, count=2, retry_after=2)
    waits: list[float] = []
    client = _client(sim, waits)
    try:
        users = list(client.items(client.users_page, "users", fact="google_users"))
        assert len(users) == _count(sim, "users")
        assert waits == [2.0, 2.0]
        sim.fault(USERS, status=429)
        with pytest.raises(FactError, match=r"still throttled \(HTTP 429\)"):
            list(client.items(client.users_page, "users", fact="google_users"))
    finally:
        client.close()
    assert waits == [2.0, 2.0, 1.0, 1.0, 1.0]  # Google's bare 429s: the default wait


def test_a_403_names_the_scope(sim: SimTenants) -> None:
    sim.fault(POLICIES, status=403)
    client = _client(sim)
    try:
        with pytest.raises(FactError) as caught:
            list(client.items(client.policies_page, "policies", fact="google_policies"))
    finally:
        client.close()
    assert "HTTP 403" in str(caught.value)
    assert "cloud-identity.policies.readonly" in str(caught.value)


def test_a_scope_not_delegated_is_unreachable_with_googles_reason(
    sim: SimTenants, tmp_path: Path
) -> None:
    info = copy.deepcopy(sim.tenant_info(GOOGLE))
    scopes = info["service_accounts"][0]["scopes"]
    info["service_accounts"][0]["scopes"] = [s for s in scopes if "policies" not in s]
    sim.replace(GOOGLE, "tenant", info)
    with pytest.raises(TargetUnreachableError, match="unauthorized_client"):
        _collect(sim, tmp_path, "google_users")


def test_a_key_google_does_not_know_is_unreachable(sim: SimTenants) -> None:
    other = copy.deepcopy(sim.credentials[GOOGLE].service_account)
    other["private_key_id"] = "0" * 40
    client = _client(sim, service_account_info=other)
    try:
        with pytest.raises(TargetUnreachableError, match="Google gave no token"):
            list(client.items(client.users_page, "users", fact="google_users"))
    finally:
        client.close()


def test_an_expired_token_is_refreshed_once(sim: SimTenants) -> None:
    client = _client(sim)
    try:
        list(client.items(client.org_units_page, "organizationUnits", fact="google_org_units"))
        assert sim.expire_tokens() >= 1
        units = list(
            client.items(client.org_units_page, "organizationUnits", fact="google_org_units")
        )
    finally:
        client.close()
    assert len(units) == _count(sim, "org_units")
    assert sim.stats()["statuses"].get("401") == 1


def test_tls_is_verified_against_the_profiles_ca_only(
    sim: SimTenants, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(sim.ca_bundle))
    creds = sim.credentials[GOOGLE]
    app = GoogleApp("C0", str(creds.delegated_admin), creds.service_account)
    client = GoogleClient(app, sim.tenant_endpoints(), ca_bundle=None)
    try:
        with pytest.raises(TargetUnreachableError, match="CERTIFICATE_VERIFY_FAILED"):
            list(client.items(client.users_page, "users", fact="google_users"))
    finally:
        client.close()
