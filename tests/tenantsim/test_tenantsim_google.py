"""Google's Directory and Cloud Identity Policy APIs as the simulator serves them, read through
google-auth's AuthorizedSession (delegated service account, verified HTTPS)."""

from __future__ import annotations

from typing import Any

from tests.support.tenantsim import GOOGLE_SCOPES, SimTenants

GOOGLE = "northfield-google"
SHARING = "setting.type.matches('drive_and_docs.external_sharing$')"
USERS = "admin/directory/v1/users"


def get(sim: SimTenants, api: str, path: str, session: Any = None, **params: Any) -> Any:
    session = session or sim.google_session(sim.google_credentials(GOOGLE))
    return session.get(f"{sim.endpoints[api]}/{path}", params=params)


def all_pages(sim: SimTenants, api: str, path: str, key: str, **params: Any) -> list[Any]:
    session = sim.google_session(sim.google_credentials(GOOGLE))
    items: list[Any] = []
    token = None
    while True:
        answer = get(sim, api, path, session, **params, **({"pageToken": token} if token else {}))
        assert answer.status_code == 200, answer.text
        items += answer.json().get(key, [])
        token = answer.json().get("nextPageToken")
        if not token:
            return items


def test_directory_users_page_with_page_tokens(sim: SimTenants) -> None:
    users = all_pages(
        sim, "admin", "admin/directory/v1/users", "users", customer="my_customer", maxResults=5
    )
    assert len(users) == len({u["id"] for u in users}) == 17
    admins = {u["primaryEmail"] for u in users if u["isAdmin"]}
    assert admins == {
        "matops-reader@northfield.example",
        "adm-hokafor@northfield.example",
        "adm-tbrennan@northfield.example",
    }
    osei = next(u for u in users if u["primaryEmail"] == "k.osei@northfield.example")
    assert osei["suspended"] is True and osei["lastLoginTime"].endswith(".000Z")


def test_fields_give_a_partial_response(sim: SimTenants) -> None:
    fields = "nextPageToken,users(primaryEmail,isEnrolledIn2Sv)"
    answer = get(sim, "admin", USERS, customer="my_customer", maxResults=3, fields=fields)
    body = answer.json()
    assert set(body) == {"nextPageToken", "users"}
    assert set(body["users"][0]) == {"primaryEmail", "isEnrolledIn2Sv"}


def test_a_customer_is_required_and_must_be_ours(sim: SimTenants) -> None:
    assert get(sim, "admin", "admin/directory/v1/users").status_code == 400
    other = get(sim, "admin", "admin/directory/v1/users", customer="C0other99")
    assert other.status_code == 403 and other.json()["error"]["status"] == "PERMISSION_DENIED"


def test_policies_filter_by_customer_and_setting_type(sim: SimTenants) -> None:
    policies = all_pages(
        sim,
        "cloudidentity",
        "v1/policies",
        "policies",
        filter='customer == "customers/C02nf7q3x"',
        pageSize=4,
    )
    assert len(policies) == 9
    sharing = all_pages(sim, "cloudidentity", "v1/policies", "policies", filter=SHARING)
    modes = {
        p["policyQuery"]["orgUnit"]: p["setting"]["value"]["externalSharingMode"] for p in sharing
    }
    assert sorted(modes.values()) == ["ALLOWED", "ALLOWED", "DISALLOWED"]
    sim.overlay(GOOGLE, "fixed")
    sharing = all_pages(sim, "cloudidentity", "v1/policies", "policies", filter=SHARING)
    assert sorted(p["setting"]["value"]["externalSharingMode"] for p in sharing) == [
        "ALLOWED",
        "DISALLOWED",
    ]


def test_org_units_list(sim: SimTenants) -> None:
    answer = get(sim, "admin", "admin/directory/v1/customer/my_customer/orgunits", type="all")
    paths = {u["orgUnitPath"] for u in answer.json()["organizationUnits"]}
    assert {"/Staff", "/Pupils/Oakfield", "/Admins"} <= paths


def test_a_scope_missing_from_the_token_is_403_insufficient_permissions(sim: SimTenants) -> None:
    narrow = sim.google_credentials(GOOGLE, scopes=GOOGLE_SCOPES[:1])
    answer = get(sim, "cloudidentity", "v1/policies", sim.google_session(narrow))
    error = answer.json()["error"]
    assert answer.status_code == 403 and error["status"] == "PERMISSION_DENIED"
    assert error["errors"][0]["reason"] == "insufficientPermissions"
    assert error["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"


def test_acting_as_a_user_who_is_no_admin_is_403(sim: SimTenants) -> None:
    teacher = sim.google_credentials(GOOGLE, subject="f.oconnell@northfield.example")
    answer = get(
        sim,
        "admin",
        "admin/directory/v1/users",
        sim.google_session(teacher),
        customer="my_customer",
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["message"] == "Not Authorized to access this resource/api"


def test_rate_limits_and_expired_tokens(sim: SimTenants) -> None:
    session = sim.google_session(sim.google_credentials(GOOGLE))
    sim.fault("/admin.googleapis.com/", status=429, count=1, retry_after=2)
    limited = get(sim, "admin", "admin/directory/v1/users", session, customer="my_customer")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "2"
    assert limited.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert limited.json()["error"]["errors"][0]["reason"] == "rateLimitExceeded"
    sim.expire_tokens()
    # AuthorizedSession refreshes once on a 401, as it would against Google
    again = get(sim, "admin", "admin/directory/v1/users", session, customer="my_customer")
    assert again.status_code == 200
    assert sim.stats()["statuses"]["401"] == 1


def test_a_dead_page_token_is_404(sim: SimTenants) -> None:
    session = sim.google_session(sim.google_credentials(GOOGLE))
    sim.fault("/admin.googleapis.com/admin/directory/v1/users", truncate="dead_link", count=1)
    first = get(
        sim, "admin", "admin/directory/v1/users", session, customer="my_customer", maxResults=5
    )
    token = first.json()["nextPageToken"]
    answer = get(
        sim,
        "admin",
        "admin/directory/v1/users",
        session,
        customer="my_customer",
        maxResults=5,
        pageToken=token,
    )
    assert answer.status_code == 404 and answer.json()["error"]["status"] == "NOT_FOUND"
