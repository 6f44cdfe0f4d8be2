"""The tenant collectors against matops' tenant simulator: real HTTPS on 127.0.0.1 with a
throwaway CA, real OAuth (MSAL, google-auth), one simulator per module, put back to its data
after every test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from matops.connect.profile import ConnectionProfile, build_profile
from matops.facts.tenant.credentials import lab_tenant_secrets
from matops.inventory.tenants import GoogleWorkspaceTenant, Microsoft365Tenant, TenantInfo
from matops.paths import LAB_CA_FILE, LAB_SECRETS_FILE
from tests.support.tenantsim import SimTenants

M365 = "northfield-m365"


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimTenants]:
    started = SimTenants(Path(tmp_path_factory.mktemp("tenantsim"))).start()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(autouse=True)
def _fresh(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "sim" in request.fixturenames:
        request.getfixturevalue("sim").reset()


def m365_tenant(sim: SimTenants, *, certificate: bool = False, **changes: Any) -> TenantInfo:
    """The inventory entry of the simulator's Microsoft 365 tenant (its ids, its groups)."""
    info = sim.tenant_info(M365)
    creds: dict[str, Any] = {"client_id": info["applications"][0]["client_id"]}
    if certificate:
        creds |= {"certificate_var": "lab_m365_cert", "certificate_thumbprint_var": "lab_m365_tp"}
    else:
        creds["client_secret_var"] = "lab_m365_secret"
    entry = {
        "provider": "microsoft365", "name": M365, "domains": info["domains"][:1],
        "schools": ["riverside-academy"], "tenant_id": info["tenant_id"],
        "groups": {"staff": ["All Staff"], "pupils": ["All Pupils"], "admins": ["IT Admins"]},
        "credentials": creds, **changes,
    }  # fmt: skip
    return Microsoft365Tenant.model_validate(entry)


def lab_profile(sim: SimTenants, folder: Path, tenants: list[TenantInfo]) -> ConnectionProfile:
    """A lab run's profile for this simulator: its CA and the lab's made-up credentials under
    the inventory's variable names, as ``lab up`` leaves them in the state folder."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(sim.ca_bundle, folder / LAB_CA_FILE)
    values = lab_tenant_secrets(tenants, sim.credentials)
    (folder / LAB_SECRETS_FILE).write_text(yaml.safe_dump(values), encoding="utf-8")
    (folder / LAB_SECRETS_FILE).chmod(0o600)
    return build_profile(Path("trust"), lab_dir=folder, tenant_simulator=sim.base_url)


def is_google(tenant: TenantInfo) -> bool:
    return isinstance(tenant, GoogleWorkspaceTenant)


GOOGLE = "northfield-google"


def google_tenant(sim: SimTenants, **changes: Any) -> TenantInfo:
    """The inventory entry of the simulator's Google Workspace customer."""
    info = sim.tenant_info(GOOGLE)
    account = info["service_accounts"][0]
    entry = {
        "provider": "google_workspace", "name": GOOGLE, "domains": info["domains"][:1],
        "schools": ["oakfield-primary"], "customer_id": info["customer_id"],
        "org_units": {"staff": ["/Staff"], "pupils": ["/Pupils"], "admins": ["/IT"]},
        "credentials": {"service_account_var": "lab_google_sa",
                        "delegated_admin": account["delegated_admin"]},
        **changes,
    }  # fmt: skip
    return GoogleWorkspaceTenant.model_validate(entry)
