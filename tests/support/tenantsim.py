"""Start matops' tenant simulator on loopback for tests and benchmarks (never any other address).

Real HTTPS (a throwaway CA per simulator, verified by every client), real OAuth flows and the
example trust's tenants by default (``inventories/example-trust/lab/tenants``). The same code
as the lab prepares the data and the credentials (:mod:`matops.lab.tenants`)::

    sim = SimTenants(tmp_path).start()
    try:
        app = sim.msal_app("northfield-m365")                 # MSAL, client secret
        token = app.acquire_token_for_client([GRAPH_SCOPE])["access_token"]
        users = sim.client().get(sim.endpoints["graph"] + "/v1.0/users",
                                 headers={"Authorization": f"Bearer {token}"})
        sim.fault("/graph.microsoft.com/v1.0/users", status=429, count=2, retry_after=1)
        sim.overlay("northfield-m365", "fixed")               # the planted problems solved
    finally:
        sim.stop()

``sim.endpoints`` has the five base URLs (login, graph, google_token, admin, cloudidentity);
``sim.tenant_endpoints()`` gives them as the connection profile's ``TenantEndpoints``;
``sim.ca_bundle`` is the CA file; ``sim.credentials[name]`` the made-up credentials
(``client_id``, ``client_secret``, ``certificate_pem``/``private_key_pem``/``thumbprint``,
``service_account`` JSON key, ``delegated_admin``).
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from matops.lab.tenants import (
    PreparedTenants,
    TenantCredentials,
    prepare_tenantsim,
    simulated_endpoints,
    tenantsim_argv,
    tenantsim_base_url,
)
from tests.support.sim import first_line, free_port

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_TENANTS = REPO / "inventories" / "example-trust" / "lab" / "tenants"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
GOOGLE_SCOPES = (
    "https://www.googleapis.com/auth/admin.directory.user.readonly",
    "https://www.googleapis.com/auth/admin.directory.orgunit.readonly",
    "https://www.googleapis.com/auth/cloud-identity.policies.readonly",
)


@dataclass
class SimTenants:
    """One ``python -m tenantsim`` process on 127.0.0.1 and how to reach it."""

    root: Path
    source: Path = EXAMPLE_TENANTS
    port: int = field(default_factory=free_port)
    token_lifetime: int | None = None
    proc: subprocess.Popen[str] | None = None
    prepared: PreparedTenants | None = None

    @property
    def base_url(self) -> str:
        return tenantsim_base_url("127.0.0.1", self.port)

    @property
    def endpoints(self) -> dict[str, str]:
        return simulated_endpoints(self.base_url)

    def tenant_endpoints(self) -> Any:
        """The connection profile's ``TenantEndpoints`` for this simulator."""
        from matops.connect.profile import TenantEndpoints

        return TenantEndpoints.simulator(self.base_url)

    @property
    def ca_bundle(self) -> Path:
        assert self.prepared is not None, "start() the simulator first"
        return self.prepared.ca.cert

    @property
    def credentials(self) -> dict[str, TenantCredentials]:
        assert self.prepared is not None, "start() the simulator first"
        return self.prepared.credentials

    @property
    def data(self) -> Path:
        """The simulator's copy of the data (``credentials.json`` written into it)."""
        assert self.prepared is not None
        return self.prepared.data

    def start(self) -> SimTenants:
        self.root.mkdir(parents=True, exist_ok=True)
        self.prepared = prepare_tenantsim(self.root, self.source, "127.0.0.1", self.port)
        argv = tenantsim_argv(self.prepared, "127.0.0.1", self.port)
        if self.token_lifetime is not None:
            argv += ["--token-lifetime", str(self.token_lifetime)]
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
        line = first_line(self.proc)
        assert "listening on" in line, f"tenantsim did not start: {line!r}"
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def client(self, **kwargs: Any) -> httpx.Client:
        """An httpx client that verifies the simulator with its CA (and uses no proxy)."""
        context = ssl.create_default_context(cafile=str(self.ca_bundle))
        return httpx.Client(verify=context, trust_env=False, timeout=30, **kwargs)

    # -- the control API ------------------------------------------------------------------
    def control(self, method: str, path: str, body: Any = None) -> Any:
        assert self.prepared is not None
        token = self.prepared.control_token.read_text().strip()
        with self.client() as client:
            answer = client.request(
                method, f"{self.base_url}/_sim/{path}", json=body,
                headers={"Authorization": f"Bearer {token}"},
            )  # fmt: skip
        answer.raise_for_status()
        return answer.json()

    def fault(self, path_prefix: str, **fault: Any) -> None:
        """Inject a fault: ``status``/``truncate`` with ``count``, ``every``, ``retry_after``."""
        self.control("POST", "faults", {"path_prefix": path_prefix, **fault})

    def clear_faults(self) -> None:
        self.control("DELETE", "faults")

    def replace(self, tenant: str, collection: str, value: Any) -> None:
        self.control("PUT", f"tenants/{tenant}/{collection}", value)

    def overlay(self, tenant: str, name: str = "fixed") -> list[str]:
        return list(self.control("POST", f"tenants/{tenant}/overlay/{name}")["replaced"])

    def reset(self) -> None:
        self.control("POST", "reset")

    def expire_tokens(self) -> int:
        return int(self.control("POST", "tokens/expire")["expired"])

    def set_token_lifetime(self, seconds: int) -> None:
        self.control("PUT", "settings", {"token_lifetime": seconds})

    def stats(self) -> dict[str, Any]:
        return dict(self.control("GET", "stats"))

    # -- real clients ----------------------------------------------------------------------
    def tenant_info(self, tenant: str) -> dict[str, Any]:
        import json

        return dict(json.loads((self.data / tenant / "tenant.json").read_text()))

    def msal_app(self, tenant: str, *, certificate: bool = False, credential: Any = None) -> Any:
        """An MSAL confidential client for the tenant's app: its secret, its certificate, or
        the ``credential`` given (MSAL's ``client_credential``)."""
        import msal

        creds = self.credentials[tenant]
        tenant_id = self.tenant_info(tenant)["tenant_id"]
        session = self.requests_session()
        given, credential = credential, creds.client_secret
        if certificate:
            credential = {"private_key": creds.private_key_pem, "thumbprint": creds.thumbprint}
        if given is not None:
            credential = given
        return msal.ConfidentialClientApplication(
            creds.client_id,
            client_credential=credential,
            authority=f"{self.endpoints['login']}/{tenant_id}",
            instance_discovery=False,
            http_client=session,
        )

    def graph_token(self, tenant: str = "northfield-m365") -> str:
        result = self.msal_app(tenant).acquire_token_for_client([GRAPH_SCOPE])
        assert "access_token" in result, result
        return str(result["access_token"])

    def google_credentials(
        self, tenant: str = "northfield-google", scopes: tuple[str, ...] = GOOGLE_SCOPES,
        subject: str | None = None,
    ) -> Any:  # fmt: skip
        """google-auth service-account credentials acting as the delegated admin."""
        from google.oauth2 import service_account

        creds = self.credentials[tenant]
        return service_account.Credentials.from_service_account_info(
            creds.service_account, scopes=list(scopes), subject=subject or creds.delegated_admin
        )

    def requests_session(self) -> Any:
        """A requests session verifying the simulator with its CA (and using no proxy)."""
        import requests

        session = requests.Session()
        session.verify = str(self.ca_bundle)
        session.trust_env = False
        return session

    def google_request(self) -> Any:
        """google-auth's transport ``Request`` over :meth:`requests_session` (for refresh)."""
        from google.auth.transport.requests import Request

        return Request(session=self.requests_session())

    def google_session(self, credentials: Any) -> Any:
        """An ``AuthorizedSession`` verifying the simulator with its CA, tokens refreshed too."""
        from google.auth.transport.requests import AuthorizedSession

        session = AuthorizedSession(credentials, auth_request=self.google_request())
        session.verify = str(self.ca_bundle)
        session.trust_env = False
        return session


@contextmanager
def running_tenantsim(root: Path, **kwargs: Any) -> Iterator[SimTenants]:
    """A started simulator, stopped (and its folder removed) afterwards."""
    sim = SimTenants(root, **kwargs).start()
    try:
        yield sim
    finally:
        sim.stop()
        shutil.rmtree(root, ignore_errors=True)
