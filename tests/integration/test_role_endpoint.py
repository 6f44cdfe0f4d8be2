"""endpoint role on the lab's classroom device riv-ws01 (both engines) and a server (skipped).

The test first removes the installed CA, so the first run has work to do even on a host that was
deployed before; the role puts it back. On a server the role changes nothing.
"""

from __future__ import annotations

import json

import pytest

from matops.deploy.runner import Engine
from tests.integration.conftest import Lab
from tests.integration.roles_support import converge_twice, deploy, host

pytestmark = pytest.mark.integration

ROLES = ["endpoint"]
CA = "/usr/local/share/ca-certificates/riverside-web-filter-test-ca.crt"
POLICY = "/etc/firefox/policies/policies.json"


@pytest.mark.parametrize("engine", [Engine.ANSIBLE, Engine.PYINFRA], ids=lambda e: e.value)
def test_endpoint_trusts_the_filter_and_locks_the_browser(lab: Lab, engine: Engine) -> None:
    target = host(lab, "riv-ws01")
    target.run(f"rm -f {CA}")
    target.run("update-ca-certificates --fresh")
    converge_twice(lab, engine, ["riv-ws01"], ROLES)

    ca = target.file(CA)
    assert ca.mode == 0o644 and ca.user == "root"
    subject = target.check_output(f"openssl x509 -noout -subject -in {CA}")
    assert "Riverside Academy Web Filter TEST CA" in subject
    bundle = target.file("/etc/ssl/certs/ca-certificates.crt").content_string
    assert ca.content_string.strip() in bundle
    policies = json.loads(target.file(POLICY).content_string)["policies"]
    assert policies["Proxy"]["HTTPProxy"] == "webfilter.riverside.meadowbrook.example:8080"
    assert "safe=active" in policies["SearchEngines"]["Add"][0]["URLTemplate"]


@pytest.mark.parametrize("engine", [Engine.ANSIBLE, Engine.PYINFRA], ids=lambda e: e.value)
def test_endpoint_role_leaves_servers_alone(lab: Lab, engine: Engine) -> None:
    outcome = deploy(lab, engine, ["riv-bak01"], ROLES)
    assert outcome.results["riv-bak01"].changed == 0
    assert not host(lab, "riv-bak01").file(POLICY).exists
