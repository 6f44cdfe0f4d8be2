"""Microsoft Graph as the simulator serves it, read with a real token over verified HTTPS:
shapes, paging by following ``@odata.nextLink``, ``$select``, licence and permission errors,
faults, and the planted problems fixed by the ``fixed`` overlay."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.tenantsim import SimTenants

M365 = "northfield-m365"


def graph(sim: SimTenants, path: str, token: str | None = None, **params: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token or sim.graph_token()}"}
    with sim.client() as client:
        return client.get(f"{sim.endpoints['graph']}/v1.0/{path}", params=params, headers=headers)


def follow(sim: SimTenants, first: httpx.Response, token: str) -> list[dict[str, Any]]:
    """Every item of a list, following nextLinks as a client does."""
    answer, items = first, []
    with sim.client() as client:
        while True:
            assert answer.status_code == 200, answer.text
            items += answer.json()["value"]
            link = answer.json().get("@odata.nextLink")
            if not link:
                return items
            answer = client.get(link, headers={"Authorization": f"Bearer {token}"})


def test_users_page_by_top_and_every_user_comes_once(sim: SimTenants) -> None:
    token = sim.graph_token()
    select = "id,userPrincipalName,accountEnabled,signInActivity"
    first = graph(sim, "users", token, **{"$top": "4", "$select": select})
    assert len(first.json()["value"]) == 4 and first.json()["@odata.nextLink"].startswith(
        sim.endpoints["graph"]
    )
    items = follow(sim, first, token)
    everyone = graph(sim, "users", token, **{"$top": "999", "$select": select}).json()["value"]
    assert [u["id"] for u in items] == [u["id"] for u in everyone]
    assert len({u["id"] for u in items}) == len(items) == 29
    assert set(items[0]) == {"id", "userPrincipalName", "accountEnabled", "signInActivity"}


def test_users_without_select_get_graphs_default_properties(sim: SimTenants) -> None:
    user = graph(sim, "users").json()["value"][0]
    assert "userPrincipalName" in user and "accountEnabled" not in user


def test_sign_in_activity_needs_entra_id_p1(sim: SimTenants) -> None:
    skus = graph(sim, "subscribedSkus").json()["value"]
    for sku in skus:
        sku["servicePlans"] = [
            p for p in sku["servicePlans"] if p["servicePlanName"] != "AAD_PREMIUM"
        ]
    sim.replace(M365, "subscribed_skus", skus)
    answer = graph(sim, "users", **{"$select": "id,signInActivity"})
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
    report = graph(sim, "reports/authenticationMethods/userRegistrationDetails")
    assert report.status_code == 403
    assert graph(sim, "users", **{"$select": "id,accountEnabled"}).status_code == 200


def test_a_permission_not_granted_is_403_authorization_request_denied(sim: SimTenants) -> None:
    info = sim.tenant_info(M365)
    app = info["applications"][0]
    app["application_permissions"] = [
        p for p in app["application_permissions"] if p != "Policy.Read.All"
    ]
    sim.replace(M365, "tenant", info)
    token = sim.graph_token()
    answer = graph(sim, "identity/conditionalAccess/policies", token)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "Authorization_RequestDenied"
    assert graph(sim, "users", token).status_code == 200
    report = graph(sim, "reports/authenticationMethods/userRegistrationDetails", token)
    assert report.status_code == 200


def test_an_expired_or_missing_token_is_401(sim: SimTenants) -> None:
    token = sim.graph_token()
    assert graph(sim, "users", token).status_code == 200
    sim.expire_tokens()
    expired = graph(sim, "users", token)
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "InvalidAuthenticationToken"
    assert "expired" in expired.json()["error"]["message"]
    with sim.client() as client:
        missing = client.get(f"{sim.endpoints['graph']}/v1.0/users")
    assert missing.status_code == 401


def test_throttling_answers_429_with_retry_after_then_recovers(sim: SimTenants) -> None:
    token = sim.graph_token()
    sim.fault("/graph.microsoft.com/v1.0/users", status=429, count=2, retry_after=7)
    first, second, third = (graph(sim, "users", token) for _ in range(3))
    assert first.status_code == second.status_code == 429
    assert first.headers["Retry-After"] == "7"
    assert first.json()["error"]["code"] == "TooManyRequests"
    assert third.status_code == 200
    assert sim.stats()["statuses"]["429"] == 2


def test_every_nth_request_throttled(sim: SimTenants) -> None:
    token = sim.graph_token()
    sim.fault("/graph.microsoft.com/", status=429, every=3, retry_after=1)
    statuses = [graph(sim, "groups", token).status_code for _ in range(6)]
    assert statuses == [200, 200, 429, 200, 200, 429]


def test_a_dead_next_link_is_404(sim: SimTenants) -> None:
    token = sim.graph_token()
    sim.fault("/graph.microsoft.com/v1.0/users", truncate="dead_link", count=1)
    first = graph(sim, "users", token, **{"$top": "5"})
    with sim.client() as client:
        answer = client.get(
            first.json()["@odata.nextLink"], headers={"Authorization": f"Bearer {token}"}
        )
    assert answer.status_code == 404


def test_a_dropped_next_link_shows_in_the_count(sim: SimTenants) -> None:
    sim.fault("/graph.microsoft.com/v1.0/users", truncate="drop_link", count=1)
    answer = graph(sim, "users", **{"$top": "5", "$count": "true"})
    assert answer.status_code == 400  # $count needs ConsistencyLevel: eventual, as in Graph
    token = sim.graph_token()
    with sim.client() as client:
        answer = client.get(
            f"{sim.endpoints['graph']}/v1.0/users",
            params={"$top": "5", "$count": "true"},
            headers={"Authorization": f"Bearer {token}", "ConsistencyLevel": "eventual"},
        )
    body = answer.json()
    assert "@odata.nextLink" not in body and body["@odata.count"] == 29
    assert len(body["value"]) == 5


def test_transitive_members_reach_through_nested_groups(sim: SimTenants) -> None:
    groups = {g["displayName"]: g for g in graph(sim, "groups").json()["value"]}
    staff = groups["All Staff"]["id"]
    direct = graph(sim, f"groups/{staff}/members").json()["value"]
    every = graph(sim, f"groups/{staff}/transitiveMembers", **{"$top": "999"}).json()["value"]
    assert {m["@odata.type"] for m in direct} == {"#microsoft.graph.group"}
    users = {m["userPrincipalName"] for m in every if m["@odata.type"] == "#microsoft.graph.user"}
    assert "l.fairweather@northfield.example" in users and "k.osei@northfield.example" in users
    assert not any("pupils." in u for u in users)


def global_admins(sim: SimTenants) -> list[str]:
    roles = graph(sim, "directoryRoles", **{"$expand": "members"}).json()["value"]
    role = next(r for r in roles if r["displayName"] == "Global Administrator")
    return sorted(m["userPrincipalName"] for m in role["members"])


def test_the_planted_problems_and_the_fixed_overlay(sim: SimTenants) -> None:
    assert len(global_admins(sim)) == 6
    assert (
        graph(sim, "policies/identitySecurityDefaultsEnforcementPolicy").json()["isEnabled"]
        is False
    )
    policies = graph(sim, "identity/conditionalAccess/policies").json()["value"]
    legacy = next(p for p in policies if "legacy" in p["displayName"])
    assert legacy["state"] == "enabledForReportingButNotEnforced"
    replaced = sim.overlay(M365, "fixed")
    assert "directory_roles" in replaced
    assert len(global_admins(sim)) == 4
    policies = graph(sim, "identity/conditionalAccess/policies").json()["value"]
    assert {p["state"] for p in policies} == {"enabled"}
    users = graph(sim, "users", **{"$select": "userPrincipalName,accountEnabled", "$top": "999"})
    enabled = {u["userPrincipalName"]: u["accountEnabled"] for u in users.json()["value"]}
    assert enabled["p.quinn@northfield.example"] is False


@pytest.mark.parametrize(
    ("path", "status"),
    [("nosuch", 400), ("groups/not-a-group", 404), ("users?$top=x", 400)],
)
def test_bad_requests_are_graph_errors(sim: SimTenants, path: str, status: int) -> None:
    with sim.client() as client:
        answer = client.get(
            f"{sim.endpoints['graph']}/v1.0/{path}",
            headers={"Authorization": f"Bearer {sim.graph_token()}"},
        )
    assert answer.status_code == status and "code" in answer.json()["error"]


def test_count_needs_eventual_consistency_only_for_directory_objects(sim: SimTenants) -> None:
    policies = graph(sim, "identity/conditionalAccess/policies", **{"$count": "true"})
    assert policies.status_code == 200 and policies.json()["@odata.count"] == 2
    assert graph(sim, "groups", **{"$count": "true"}).status_code == 400
