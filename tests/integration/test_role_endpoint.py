"""endpoint role on the lab's classroom device riv-ws01 (both engines) and a server (skipped).

The test first removes the installed CA, so the first run has work to do even on a host that was
deployed before; the role puts it back. On a server the role changes nothing.
"""

from __future__ import annotations

import json
import shlex

import pytest

from matops.deploy.runner import Engine
from tests.integration.conftest import Lab
from tests.integration.roles_support import (
    converge_twice,
    deploy,
    derived_items,
    expected_problems,
    host,
    item_states,
)

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


def test_every_item_the_tasks_manage_is_the_same_with_both_engines(lab: Lab) -> None:
    """Items derived from the role's tasks (not listed here): each engine recreates them from
    nothing on riv-ws01, and each leaves every item as its task says and as the other does."""
    items = derived_items(lab, "riv-ws01", ROLES)
    assert {i.kind for i in items} >= {"file", "directory", "package"}, items
    paths = " ".join(shlex.quote(i.key) for i in items if i.kind in ("file", "directory"))
    states = {}
    for engine in (Engine.ANSIBLE, Engine.PYINFRA):
        assert lab.ssh("riv-ws01", f"sudo rm -rf {paths}").returncode == 0
        converge_twice(lab, engine, ["riv-ws01"], ROLES)
        states[engine] = item_states(lab, "riv-ws01", items)
        assert not expected_problems(states[engine]), (engine, expected_problems(states[engine]))
    assert states[Engine.ANSIBLE] == states[Engine.PYINFRA]
