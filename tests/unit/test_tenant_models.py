"""Tenant fact models and the permission table: shapes as the APIs give them, "not observed"
kept apart from "compliant", and every tenant fact covered by a permission."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from matops.facts.catalogue import FACTS
from matops.facts.tenant import model as tn
from matops.facts.tenant.permissions import (
    GRAPH_PERMISSIONS,
    NOT_REQUESTED,
    PERMISSIONS,
    google_scopes,
    permission_for_path,
    permissions_for_fact,
)
from matops.inventory.tenants import Tenant

TENANT_FACTS = sorted(name for name, spec in FACTS.items() if spec.source == "tenant")


def test_every_tenant_fact_has_a_permission_and_every_permission_a_fact() -> None:
    for name in TENANT_FACTS:
        assert permissions_for_fact(name), f"no permission reads {name}"
    for permission in PERMISSIONS:
        assert set(permission.facts) <= set(TENANT_FACTS), permission.name


def test_permissions_are_read_only_and_not_the_broad_ones() -> None:
    names = {p.name for p in PERMISSIONS}
    assert not {n for n in names if "Write" in n or n.endswith(("ReadWrite", ".All.Write"))}
    assert all(s.endswith(".readonly") for s in google_scopes())
    assert not names & {n.name for n in NOT_REQUESTED}
    assert "Directory.Read.All" not in {p.name for p in GRAPH_PERMISSIONS}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/v1.0/users?$select=id,userPrincipalName,accountEnabled", "User.Read.All"),
        ("/v1.0/users?$select=id,signInActivity", "AuditLog.Read.All"),
        ("/v1.0/identity/conditionalAccess/policies", "Policy.Read.All"),
        ("/v1.0/directoryRoles/abc/members", "RoleManagement.Read.Directory"),
        ("/v1.0/groups/abc/transitiveMembers", "GroupMember.Read.All"),
        ("/v1.0/subscribedSkus", "LicenseAssignment.Read.All"),
    ],
)
def test_a_403_on_a_path_names_its_permission(path: str, expected: str) -> None:
    found = permission_for_path("microsoft365", path)
    assert found is not None and found.name == expected


def test_google_paths_name_their_scope() -> None:
    found = permission_for_path("google_workspace", "/admin/directory/v1/users?customer=C01")
    assert found is not None and found.name.endswith("admin.directory.user.readonly")
    found = permission_for_path("google_workspace", "/v1/policies?pageSize=100")
    assert found is not None and found.name.endswith("cloud-identity.policies.readonly")
    assert permission_for_path("google_workspace", "/unknown") is None


def test_licence_limited_facts_accept_unavailable() -> None:
    adapter = FACTS["entra_conditional_access"].adapter()
    value = adapter.validate_python({"licence": tn.ENTRA_ID_P1, "reason": "403 from Graph"})
    assert isinstance(value, tn.Unavailable) and value.licence == tn.ENTRA_ID_P1
    assert adapter.validate_python([]) == []


def test_api_nulls_that_are_answers_must_be_present() -> None:
    """onPremisesSyncEnabled and lastLoginTime are required keys: a read that did not select
    them cannot pass for 'cloud-only' or 'never logged in'."""
    with pytest.raises(ValidationError):
        tn.EntraUser.model_validate({"id": "1", "userPrincipalName": "a@x.org"})
    user = tn.EntraUser.model_validate(
        {"id": "1", "userPrincipalName": "a@x.org", "onPremisesSyncEnabled": None}
    )
    assert user.on_premises_sync_enabled is None and user.account_enabled is None
    with pytest.raises(ValidationError):
        TypeAdapter(tn.ConditionalAccessConditions).validate_python({"users": {}})


def test_google_epoch_login_means_never() -> None:
    user = tn.GoogleUser.model_validate(
        {
            "id": "1",
            "primaryEmail": "x@y.org",
            "orgUnitPath": "/Staff",
            "suspended": False,
            "isAdmin": False,
            "isDelegatedAdmin": False,
            "isEnrolledIn2Sv": False,
            "isEnforcedIn2Sv": False,
            "lastLoginTime": "1970-01-01T00:00:00.000Z",
        }
    )
    assert user.never_logged_in()


def test_tenant_credentials_are_variable_names_never_values() -> None:
    base = {
        "provider": "microsoft365",
        "name": "t-m365",
        "domains": ["x.org"],
        "schools": ["s1"],
        "tenant_id": "00000000-0000-0000-0000-000000000001",
        "groups": {"staff": ["All Staff"]},
    }
    adapter = TypeAdapter(Tenant)
    ok = adapter.validate_python(
        {**base, "credentials": {"client_id": base["tenant_id"], "client_secret_var": "VAR_1"}}
    )
    assert ok.provider == "microsoft365"
    for bad in (
        {"client_id": base["tenant_id"], "client_secret_var": "Xy8Q~abc.def-secret"},
        {"client_id": base["tenant_id"]},
        {"client_id": base["tenant_id"], "certificate_var": "CERT"},
        {"client_id": base["tenant_id"], "client_secret_var": "S", "certificate_var": "C"},
    ):
        with pytest.raises(ValidationError):
            adapter.validate_python({**base, "credentials": bad})
