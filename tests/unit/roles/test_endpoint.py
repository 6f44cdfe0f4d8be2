"""endpoint role: which hosts it applies to, the software map and the browser policy."""

from __future__ import annotations

import json
from pathlib import Path

from matops.deploy.pyinfra_roles import Role

ROLE = Path(__file__).resolve().parents[3] / "roles" / "endpoint"


def test_applies_only_to_endpoints() -> None:
    assert (
        Role.load(ROLE, {"device_role": "endpoint", "school": {}}, "ws")["endpoint_applies"] is True
    )
    assert (
        Role.load(ROLE, {"device_role": "backup", "school": {}}, "srv")["endpoint_applies"] is False
    )
    assert Role.load(ROLE, {"school": {}}, "x")["endpoint_applies"] is False


def test_software_names_map_to_packages() -> None:
    r = Role.load(ROLE, {"school": {}, "software": ["firefox-esr", "scratch", "gimp"]}, "ws")
    assert r["endpoint_packages"] == ["firefox-esr", "gimp"]
    assert r["endpoint_unpackaged"] == ["scratch"]


def test_policy_is_json_with_safe_search_and_the_proxy_locked() -> None:
    school = {"filtering_ca_cert": "f", "web_filter": {"proxy": "filter.example:8080"}}
    r = Role.load(ROLE, {"device_role": "endpoint", "school": school}, "ws")
    policies = json.loads(r.render("policies.json.j2"))["policies"]
    assert "safe=active" in policies["SearchEngines"]["Add"][0]["URLTemplate"]
    assert policies["Proxy"] == {
        "Mode": "manual",
        "HTTPProxy": "filter.example:8080",
        "UseHTTPProxyForAllProtocols": True,
        "Passthrough": "localhost, 127.0.0.1",
        "Locked": True,
    }
    assert policies["DNSOverHTTPS"] == {"Enabled": False, "Locked": True}


def test_policy_without_a_filter_uses_the_system_proxy() -> None:
    policies = json.loads(Role.load(ROLE, {"school": {}}, "ws").render("policies.json.j2"))[
        "policies"
    ]
    assert policies["Proxy"] == {"Mode": "system", "Locked": True}
    assert "Install" not in policies["Certificates"]
