"""The lab's side of the tenant simulator, without the lab: the data checked against the
inventory, credentials made with only their public halves given to the simulator, and the
secret halves under the inventory's variable names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from matops.facts.tenant.credentials import lab_tenant_secrets
from matops.inventory import load_trust
from matops.lab.from_inventory import lab_tenants
from matops.lab.model import LabError
from matops.lab.tenants import TenantsimControl, check_tenant_data, make_credentials
from tests.conftest import EXAMPLE_TRUST
from tests.support.tenantsim import running_tenantsim

TENANTS = EXAMPLE_TRUST / "lab" / "tenants"


def test_the_example_trusts_tenants_have_agreeing_data() -> None:
    spec = lab_tenants(EXAMPLE_TRUST, load_trust(EXAMPLE_TRUST))
    assert spec is not None and [t.name for t in spec.tenants] == [
        "northfield-m365",
        "northfield-google",
    ]


def test_data_that_disagrees_with_the_inventory_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "tenants"
    shutil.copytree(TENANTS, source)
    info_path = source / "northfield-m365" / "tenant.json"
    info = json.loads(info_path.read_text())
    info["applications"][0]["client_id"] = "00000000-0000-4000-8000-000000000000"
    info_path.write_text(json.dumps(info))
    shutil.rmtree(source / "northfield-google")
    tenants = tuple(load_trust(EXAMPLE_TRUST).settings.tenants)
    with pytest.raises(LabError) as raised:
        check_tenant_data(source, tenants)
    message = str(raised.value)
    assert "northfield-m365" in message and "registers no app 9a4e2d71" in message
    assert "northfield-google: no simulated data" in message


def test_the_simulator_gets_public_halves_and_the_secrets_get_the_rest(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(TENANTS, data)
    made = make_credentials(data, "https://127.0.0.1:1/oauth2.googleapis.com/token")
    for tenant in ("northfield-m365", "northfield-google"):
        public = (data / tenant / "credentials.json").read_text()
        assert "PRIVATE KEY" not in public and "lab~" not in public
    assert (
        made["northfield-m365"].client_secret
        not in (data / "northfield-m365" / "credentials.json").read_text()
    )
    values = lab_tenant_secrets(load_trust(EXAMPLE_TRUST).settings.tenants, made)
    assert sorted(values) == ["vault_google_service_account_json", "vault_m365_client_secret"]
    key = json.loads(values["vault_google_service_account_json"])
    assert key["type"] == "service_account" and "PRIVATE KEY" in key["private_key"]


def test_the_control_client_speaks_to_a_simulator(tmp_path: Path) -> None:
    with running_tenantsim(tmp_path / "sim") as sim:
        assert sim.prepared is not None
        token = sim.prepared.control_token.read_text().strip()
        control = TenantsimControl(sim.base_url, token, sim.ca_bundle)
        assert control.overlay("northfield-google") == ["chromeos_devices", "policies"]
        control.fault("/graph.microsoft.com/", status=503, count=1)
        assert sim.control("GET", "faults")[0]["status"] == 503
        control.reset()
        assert sim.control("GET", "faults") == []
        with pytest.raises(LabError, match="HTTP 404"):
            control.overlay("northfield-google", "nosuch")
        wrong = TenantsimControl(sim.base_url, "not-the-token", sim.ca_bundle)
        with pytest.raises(LabError, match="HTTP 401"):
            wrong.reset()
