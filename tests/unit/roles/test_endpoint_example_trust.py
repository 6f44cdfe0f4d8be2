"""endpoint role on the example trust: the school's fictional test CA (SchoolInfo.web_filter)."""

from __future__ import annotations

from pathlib import Path

from matops.deploy.pyinfra_roles import Role
from matops.inventory.ansible_vars import AnsibleVariables
from tests.conftest import EXAMPLE_TRUST

ROLE = Path(__file__).resolve().parents[3] / "roles" / "endpoint"


def test_example_trust_endpoint_gets_a_public_test_certificate() -> None:
    host_vars = AnsibleVariables(EXAMPLE_TRUST).rendered("riv-ws01")
    r = Role.load(ROLE, host_vars, "riv-ws01")
    pem = r.render("filtering-ca.crt.j2")
    assert pem.startswith("-----BEGIN CERTIFICATE-----") and "PRIVATE" not in pem
    assert r["endpoint_filtering_ca_path"].endswith("/riverside-web-filter-test-ca.crt")
    assert r["endpoint_software_install"] is False
