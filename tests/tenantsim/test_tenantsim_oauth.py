"""Real clients get real tokens from the simulator: MSAL (client secret and certificate) from
the Entra token endpoint, google-auth (service account, domain-wide delegation) from Google's
token URI; and each is refused the way the real service refuses it."""

from __future__ import annotations

import ssl

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.exceptions import RefreshError

from tests.support.tenantsim import GOOGLE_SCOPES, GRAPH_SCOPE, SimTenants

M365, GOOGLE = "northfield-m365", "northfield-google"


def test_msal_gets_a_token_with_the_client_secret(sim: SimTenants) -> None:
    result = sim.msal_app(M365).acquire_token_for_client([GRAPH_SCOPE])
    assert result["token_type"] == "Bearer" and result["expires_in"] > 3000
    claims = jwt.decode(result["access_token"], options={"verify_signature": False})
    assert "AuditLog.Read.All" in claims["roles"]


def test_msal_gets_a_token_with_the_certificate(sim: SimTenants) -> None:
    result = sim.msal_app(M365, certificate=True).acquire_token_for_client([GRAPH_SCOPE])
    assert "access_token" in result, result.get("error_description")


def test_a_wrong_secret_is_refused_as_entra_does(sim: SimTenants) -> None:
    app = sim.msal_app(M365, credential="lab~not-the-secret")
    result = app.acquire_token_for_client([GRAPH_SCOPE])
    assert result["error"] == "invalid_client"
    assert 7000215 in result["error_codes"]


def test_a_certificate_of_another_app_is_refused(sim: SimTenants) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()  # fmt: skip
    forged = {"private_key": pem, "thumbprint": sim.credentials[M365].thumbprint}
    app = sim.msal_app(M365, credential=forged)
    result = app.acquire_token_for_client([GRAPH_SCOPE])
    assert result["error"] == "invalid_client" and 700027 in result["error_codes"]


def test_token_requests_for_unknown_tenants_clients_and_scopes(sim: SimTenants) -> None:
    login = sim.endpoints["login"]
    tenant_id = sim.tenant_info(M365)["tenant_id"]
    creds = sim.credentials[M365]
    form = {"grant_type": "client_credentials", "client_id": creds.client_id,
            "client_secret": creds.client_secret, "scope": GRAPH_SCOPE}  # fmt: skip
    with sim.client() as client:
        unknown_tenant = client.post(
            f"{login}/00000000-1111-2222-3333-444444444444/oauth2/v2.0/token", data=form
        )
        unknown_client = client.post(
            f"{login}/{tenant_id}/oauth2/v2.0/token", data={**form, "client_id": "x"}
        )
        bad_scope = client.post(
            f"{login}/{tenant_id}/oauth2/v2.0/token", data={**form, "scope": "User.Read.All"}
        )
    assert unknown_tenant.status_code == 400 and 90002 in unknown_tenant.json()["error_codes"]
    assert unknown_client.json()["error"] == "unauthorized_client"
    assert bad_scope.json()["error"] == "invalid_scope"


def test_the_simulator_is_only_trusted_through_its_ca(sim: SimTenants) -> None:
    with (
        httpx.Client(trust_env=False) as system_store,
        pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        system_store.get(f"{sim.base_url}/_sim/health")
    context = ssl.create_default_context(cafile=str(sim.ca_bundle))
    with httpx.Client(verify=context, trust_env=False) as lab:
        assert lab.get(f"{sim.base_url}/_sim/health").json()["ok"] is True


def test_google_auth_gets_a_delegated_token(sim: SimTenants) -> None:
    credentials = sim.google_credentials(GOOGLE)
    session = sim.google_session(credentials)
    url = sim.endpoints["admin"] + "/admin/directory/v1/users"
    answer = session.get(url, params={"customer": "my_customer", "maxResults": 2})
    assert answer.status_code == 200, answer.text
    assert credentials.valid and answer.json()["kind"] == "admin#directory#users"


def test_google_refuses_a_scope_not_granted_for_delegation(sim: SimTenants) -> None:
    wider = (*GOOGLE_SCOPES, "https://www.googleapis.com/auth/admin.directory.user")
    credentials = sim.google_credentials(GOOGLE, scopes=wider)
    with pytest.raises(RefreshError, match="unauthorized_client"):
        credentials.refresh(sim.google_request())


def test_google_refuses_an_unknown_subject_and_a_forged_signature(sim: SimTenants) -> None:
    unknown = sim.google_credentials(GOOGLE, subject="nobody@northfield.example")
    with pytest.raises(RefreshError, match="Invalid email or User ID"):
        unknown.refresh(sim.google_request())
    info = dict(sim.credentials[GOOGLE].service_account)
    forged_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    info["private_key"] = forged_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()  # fmt: skip
    from google.oauth2 import service_account

    forged = service_account.Credentials.from_service_account_info(
        info, scopes=list(GOOGLE_SCOPES), subject=sim.credentials[GOOGLE].delegated_admin
    )
    with pytest.raises(RefreshError, match="Invalid JWT Signature"):
        forged.refresh(sim.google_request())
