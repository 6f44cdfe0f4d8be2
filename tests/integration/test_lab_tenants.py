"""The lab's tenant simulator: ``lab up`` starts it at its lab address with a certificate from
the lab's own CA, writes the made-up credentials under the inventory's variable names into the
lab secrets, and real clients (MSAL, google-auth) reach it through the lab connection profile's
endpoints, verifying TLS with the lab CA and nothing else."""

from __future__ import annotations

import json
import ssl
import subprocess

import httpx
import pytest
import yaml

from matops.connect.profile import build_profile
from matops.lab import lifecycle
from matops.lab.tenants import TENANTSIM_ADDRESS, TenantsimControl, tenantsim_netns
from matops.paths import LAB_CA_FILE, LAB_SECRETS_FILE
from tests.conftest import EXAMPLE_TRUST
from tests.integration.conftest import Lab

pytestmark = pytest.mark.integration

GRAPH_SCOPE = "https://graph.microsoft.com/.default"


def lab_secrets(lab: Lab) -> dict[str, str]:
    return dict(yaml.safe_load((lab.state_dir / LAB_SECRETS_FILE).read_text()))


def test_the_simulator_answers_on_its_lab_address_with_the_lab_ca(lab: Lab) -> None:
    profile = build_profile(EXAMPLE_TRUST, lab_dir=lab.state_dir)
    ca = profile.tenants.ca_bundle
    assert ca == lab.state_dir / LAB_CA_FILE and ca.is_file()
    assert str(TENANTSIM_ADDRESS) in profile.tenants.endpoints.graph
    context = ssl.create_default_context(cafile=str(ca))
    with httpx.Client(verify=context, trust_env=False) as client:
        health = client.get(f"https://{TENANTSIM_ADDRESS}/_sim/health").json()
    assert health == {"ok": True, "tenants": ["northfield-google", "northfield-m365"]}
    with (
        httpx.Client(trust_env=False) as system,
        pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        system.get(f"https://{TENANTSIM_ADDRESS}/_sim/health")
    services = lifecycle.lab_services(lab.state_dir)
    assert [(s.name, s.up, s.answers) for s in services] == [("tenantsim", True, True)]


def test_real_clients_sign_in_with_the_lab_secrets(lab: Lab) -> None:
    import msal
    import requests
    from google.auth.transport.requests import AuthorizedSession, Request
    from google.oauth2 import service_account

    profile = build_profile(EXAMPLE_TRUST, lab_dir=lab.state_dir)
    endpoints, ca = profile.tenants.endpoints, str(profile.tenants.ca_bundle)
    secrets = lab_secrets(lab)
    session = requests.Session()
    session.verify, session.trust_env = ca, False
    app = msal.ConfidentialClientApplication(
        "9a4e2d71-3c58-4f06-8b19-e5d7c0a6b342",
        client_credential=secrets["vault_m365_client_secret"],
        authority=f"{endpoints.login}/3f6b1c2e-8d47-4a95-b0e3-71c9d25a4f86",
        instance_discovery=False,
        http_client=session,
    )
    token = app.acquire_token_for_client([GRAPH_SCOPE])
    assert "access_token" in token, token.get("error_description")
    users = session.get(
        f"{endpoints.graph}/v1.0/users",
        headers={"Authorization": f"Bearer {token['access_token']}"},
        params={"$select": "userPrincipalName,accountEnabled", "$top": "999"},
    )
    assert users.status_code == 200
    assert any(
        u["userPrincipalName"] == "p.quinn@northfield.example" for u in users.json()["value"]
    )

    info = json.loads(secrets["vault_google_service_account_json"])
    info["token_uri"] = endpoints.google_token
    credentials = service_account.Credentials.from_service_account_info(
        info,
        scopes=["https://www.googleapis.com/auth/admin.directory.user.readonly"],
        subject="matops-reader@northfield.example",
    )
    google = AuthorizedSession(credentials, auth_request=Request(session=session))
    google.verify, google.trust_env = ca, False
    answer = google.get(
        f"{endpoints.google_admin}/admin/directory/v1/users", params={"customer": "my_customer"}
    )
    assert answer.status_code == 200 and answer.json()["kind"] == "admin#directory#users"


def test_the_simulator_has_no_route_out_of_the_lab(lab: Lab) -> None:
    routes = subprocess.run(
        ["ip", "-n", tenantsim_netns(), "route", "show"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "default" not in routes and "198.18.0.0/16" in routes


def enabled_accounts(lab: Lab) -> dict[str, bool]:
    """accountEnabled by user principal name, read from Graph with a fresh lab token."""
    import msal
    import requests

    profile = build_profile(EXAMPLE_TRUST, lab_dir=lab.state_dir)
    endpoints = profile.tenants.endpoints
    session = requests.Session()
    session.verify, session.trust_env = str(profile.tenants.ca_bundle), False
    app = msal.ConfidentialClientApplication(
        "9a4e2d71-3c58-4f06-8b19-e5d7c0a6b342",
        client_credential=lab_secrets(lab)["vault_m365_client_secret"],
        authority=f"{endpoints.login}/3f6b1c2e-8d47-4a95-b0e3-71c9d25a4f86",
        instance_discovery=False,
        http_client=session,
    )
    token = app.acquire_token_for_client([GRAPH_SCOPE])["access_token"]
    users = session.get(
        f"{endpoints.graph}/v1.0/users",
        headers={"Authorization": f"Bearer {token}"},
        params={"$select": "userPrincipalName,accountEnabled", "$top": "999"},
    ).json()["value"]
    return {u["userPrincipalName"]: u["accountEnabled"] for u in users}


def test_the_control_api_fixes_the_planted_problems_and_resets(lab: Lab) -> None:
    control = TenantsimControl.of_lab(lab.state_dir)
    leaver = "p.quinn@northfield.example"
    try:
        assert enabled_accounts(lab)[leaver] is True
        replaced = control.overlay("northfield-m365", "fixed")
        assert "users" in replaced and "directory_roles" in replaced
        assert control.overlay("northfield-google", "fixed") == ["chromeos_devices", "policies"]
        assert enabled_accounts(lab)[leaver] is False
        control.fault("/graph.microsoft.com/v1.0/users", status=503, count=1)
        with pytest.raises(KeyError):
            enabled_accounts(lab)  # the injected 503 answers instead of the users
    finally:
        control.reset()
    assert enabled_accounts(lab)[leaver] is True
    assert set(control.stats()["statuses"]) == {"200"}
