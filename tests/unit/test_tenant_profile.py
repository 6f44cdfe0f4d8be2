"""The connection profile's tenant part: endpoints, CA bundle and credential source, pure."""

from __future__ import annotations

from pathlib import Path

from matops.connect.profile import (
    LAB_TENANT_CA,
    ConnectionProfile,
    TenantCredentials,
    TenantEndpoints,
    build_profile,
)

REAL = {
    "login": "https://login.microsoftonline.com",
    "graph": "https://graph.microsoft.com",
    "google_token": "https://oauth2.googleapis.com/token",
    "google_admin": "https://admin.googleapis.com",
    "cloud_identity": "https://cloudidentity.googleapis.com",
}


def test_a_trust_run_reads_the_real_apis_with_the_system_store_and_its_own_secrets() -> None:
    env = {"M365_SECRET": "s3cret", "GOOGLE_SA": "{}", "UNNAMED": "x", "HOME": "/root"}
    profile = build_profile(
        Path("/t"), environment=env, tenant_variables=["M365_SECRET", "GOOGLE_SA", "ABSENT"]
    )
    assert profile.tenants.endpoints.model_dump() == REAL
    assert profile.tenants.ca_bundle is None
    assert profile.tenants.credentials is TenantCredentials.TRUST
    assert profile.tenants.proxy_from_environment  # a school network may need its proxy
    assert profile.secrets.environment == {"M365_SECRET": "s3cret", "GOOGLE_SA": "{}"}
    assert profile.secrets.lab_secrets_file is None
    assert "s3cret" not in profile.to_json()
    assert "s3cret" not in repr(profile)


def test_a_lab_run_reads_the_simulator_with_the_lab_ca_and_only_the_lab_secrets() -> None:
    env = {"M365_SECRET": "the-trust-secret"}
    profile = build_profile(
        Path("/t"),
        lab_dir=Path("/lab"),
        environment=env,
        tenant_variables=["M365_SECRET"],
        tenant_simulator="https://198.18.0.77:8443",
    )
    tenants = profile.tenants
    assert tenants.credentials is TenantCredentials.LAB
    assert not tenants.proxy_from_environment  # the simulator is on the lab's own bridge
    assert tenants.ca_bundle == Path("/lab") / LAB_TENANT_CA
    assert tenants.endpoints.model_dump() == {
        name: "https://198.18.0.77:8443/" + url.removeprefix("https://")
        for name, url in REAL.items()
    }
    assert "M365_SECRET" not in profile.secrets.environment
    assert profile.secrets.lab_secrets_file == Path("/lab/lab-secrets.yml")


def test_every_lab_endpoint_is_a_lab_address() -> None:
    profile = build_profile(Path("/t"), lab_dir=Path("/lab"))
    for url in profile.tenants.endpoints.model_dump().values():
        assert url.startswith("https://198.18."), url


def test_simulator_endpoints_ignore_a_trailing_slash() -> None:
    assert TenantEndpoints.simulator("https://10.0.0.1:1/") == TenantEndpoints.simulator(
        "https://10.0.0.1:1"
    )


def test_the_tenant_part_survives_the_json_handed_to_subprocesses() -> None:
    profile = build_profile(
        Path("/t"), lab_dir=Path("/lab"), tenant_simulator="https://198.18.0.5:443"
    )
    again = ConnectionProfile.from_json(profile.to_json())
    assert again.tenants == profile.tenants
