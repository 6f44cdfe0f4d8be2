"""The control API (token required, faults validated, reset) and the generated large tenant."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tenantsim.faults import Fault
from tenantsim.generate import generate
from tenantsim.store import DataError, Store
from tests.support.tenantsim import SimTenants, running_tenantsim

M365 = "northfield-m365"


def test_the_control_api_needs_the_control_token(sim: SimTenants) -> None:
    with sim.client() as client:
        assert client.get(f"{sim.base_url}/_sim/stats").status_code == 401
        wrong = {"Authorization": "Bearer not-the-token"}
        assert client.post(f"{sim.base_url}/_sim/reset", headers=wrong).status_code == 401


def test_a_fault_that_makes_no_sense_is_refused(sim: SimTenants) -> None:
    with pytest.raises(httpx.HTTPStatusError) as raised:
        sim.fault("/graph.microsoft.com/", status=429, truncate="dead_link")
    assert raised.value.response.status_code == 400
    with pytest.raises(ValueError, match="unknown fault fields"):
        Fault.from_json({"path_prefix": "/x", "status": 500, "colour": "red"})


def test_reset_brings_the_data_back_and_forgets_tokens(sim: SimTenants) -> None:
    token = sim.graph_token()
    sim.replace(M365, "users", [])
    sim.reset()
    with sim.client() as client:
        answer = client.get(
            f"{sim.endpoints['graph']}/v1.0/users", headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 401
        fresh = {"Authorization": f"Bearer {sim.graph_token()}"}
        users = client.get(f"{sim.endpoints['graph']}/v1.0/users", headers=fresh)
    assert len(users.json()["value"]) == 29


def test_the_generated_tenant_is_deterministic_and_the_size_asked() -> None:
    info = {
        "provider": "microsoft365",
        "tenant_id": "t",
        "domains": ["big.example"],
        "generate": {"users": 2000, "groups": 200, "seed": 7},
    }
    now = datetime(2026, 12, 1, tzinfo=UTC)
    one, two = generate(info, now), generate(info, now)
    assert one == two
    assert len(one["users"]) == 2000 and len(one["groups"]) == 200
    assert len(one["user_registration_details"]) == 2000
    other = generate({**info, "generate": {"users": 2000, "groups": 200, "seed": 8}}, now)
    assert other["users"][0]["id"] != one["users"][0]["id"]


def test_a_large_generated_tenant_is_served_page_by_page(tmp_path: Path) -> None:
    source = tmp_path / "data"
    tenant = source / "big-m365"
    tenant.mkdir(parents=True)
    info = {
        "provider": "microsoft365",
        "tenant_id": "11111111-2222-4333-8444-555555555555",
        "domains": ["big.example"],
        "generate": {"users": 3000, "groups": 100, "seed": 15},
        "applications": [
            {
                "client_id": "66666666-7777-4888-9999-000000000000",
                "application_permissions": ["User.Read.All"],
            }
        ],
    }
    (tenant / "tenant.json").write_text(json.dumps(info))
    with running_tenantsim(tmp_path / "sim", source=source) as sim:
        token = sim.graph_token("big-m365")
        headers = {"Authorization": f"Bearer {token}"}
        link: str | None = f"{sim.endpoints['graph']}/v1.0/users?$top=999&$select=id"
        seen, pages = set(), 0
        with sim.client() as client:
            while link:
                answer = client.get(link, headers=headers).json()
                seen |= {u["id"] for u in answer["value"]}
                link, pages = answer.get("@odata.nextLink"), pages + 1
    assert len(seen) == 3000 and pages == 4


def test_bad_data_is_named(tmp_path: Path) -> None:
    (tmp_path / "t1").mkdir()
    (tmp_path / "t1" / "tenant.json").write_text('{"provider": "yahoo"}')
    with pytest.raises(DataError, match="provider must be one of"):
        Store(tmp_path)
    (tmp_path / "t1" / "tenant.json").write_text('{"provider": "microsoft365"')
    with pytest.raises(DataError, match=r"tenant\.json"):
        Store(tmp_path)
