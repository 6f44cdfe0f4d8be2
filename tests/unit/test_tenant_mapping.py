"""Tenant mappings on real-world material: Microsoft's documented Graph responses, Google's
published discovery documents; and what a missing field or an unreadable export gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from matops.facts.model import FactError, FactUnavailableError, TargetUnreachableError
from matops.facts.tenant import mapping
from matops.facts.tenant.collect import materialise
from matops.facts.tenant.export import ExportSource, export_tenant
from matops.facts.tenant.google import (
    CLOUD_IDENTITY_DOCUMENT,
    DIRECTORY_DOCUMENT,
    GOOGLE_USER_FIELDS,
    discovery_document,
)
from matops.facts.tenant.model import (
    ENTRA_ID_P1_PLANS,
    GoogleOrgUnit,
    GooglePolicy,
    GoogleUser,
    Unavailable,
    has_service_plan,
)
from matops.facts.tenant.reads import SPECS, RawRead
from matops.inventory.tenants import Microsoft365Tenant
from tests.conftest import FIXTURES

GRAPH = FIXTURES / "real-world" / "tenants" / "graph"


def _value(name: str) -> Any:
    return json.loads((GRAPH / name).read_text(encoding="utf-8"))


def test_documented_conditional_access_policies() -> None:
    policies = mapping.entra_conditional_access(_value("conditional_access_policies.json")["value"])
    assert [p.state for p in policies] == ["disabled", "disabled"]
    assert [p.grant_controls.built_in_controls for p in policies if p.grant_controls] == [
        ["block"],
        ["mfa"],
    ]
    assert policies[0].conditions.client_app_types == ["all"]
    assert policies[0].conditions.users is not None
    assert policies[0].conditions.users.include_users == ["None"]


def test_documented_subscribed_skus_have_no_entra_id_p1() -> None:
    skus = mapping.entra_subscribed_skus(_value("subscribed_skus.json")["value"])
    assert [s.sku_part_number for s in skus] == ["ENTERPRISEPREMIUM", "CRMSTANDARD"]
    assert [s.capability_status for s in skus] == ["Enabled", "Suspended"]
    assert not has_service_plan(skus, ENTRA_ID_P1_PLANS)


def test_documented_authorization_policy() -> None:
    policy = mapping.entra_authorization_policy(_value("authorization_policy.json"))
    assert policy.allow_invites_from == "everyone"
    assert policy.default_user_role_permissions.permission_grant_policies_assigned == [
        "just-user-read"
    ]


def test_documented_security_defaults() -> None:
    assert mapping.entra_security_defaults(_value("security_defaults.json")).is_enabled is True


def test_documented_registration_details() -> None:
    rows = mapping.entra_mfa_registration(_value("user_registration_details.json")["value"])
    assert [(r.user_type, r.is_mfa_registered) for r in rows] == [
        ("member", True),
        ("guest", False),
        ("member", True),
    ]


def test_a_missing_required_field_is_an_error_naming_the_field_not_the_person() -> None:
    rows = _value("user_registration_details.json")["value"]
    del rows[1]["isMfaRegistered"]
    with pytest.raises(FactError) as caught:
        mapping.entra_mfa_registration(rows)
    text = str(caught.value)
    assert "entra_mfa_registration: item 2: isMfaRegistered: Field required" in text
    assert "Allan" not in text and "AllanD@" not in text


def test_graph_null_for_sync_is_kept_apart_from_a_missing_key() -> None:
    seen = mapping.entra_users(
        [{"id": "1", "userPrincipalName": "a@x.org", "onPremisesSyncEnabled": None}]
    )
    assert seen[0].on_premises_sync_enabled is None
    with pytest.raises(FactError, match="item 1: onPremisesSyncEnabled"):
        mapping.entra_users([{"id": "1", "userPrincipalName": "a@x.org"}])


def _schema(document: str, name: str) -> dict[str, Any]:
    schema: dict[str, Any] = discovery_document(document)["schemas"][name]["properties"]
    return schema


def _aliases(model: type[Any]) -> set[str]:
    names = set()
    for name, field in model.model_fields.items():
        alias = field.validation_alias
        choices = getattr(alias, "choices", None)
        names.add(str(choices[0]) if choices else (field.alias or name))
    return names


def test_google_user_fields_and_model_are_in_googles_user_schema() -> None:
    properties = _schema(DIRECTORY_DOCUMENT, "User")
    assert set(GOOGLE_USER_FIELDS) <= set(properties)
    assert _aliases(GoogleUser) <= set(properties)


def test_google_org_unit_and_policy_models_are_in_googles_schemas() -> None:
    assert _aliases(GoogleOrgUnit) <= set(_schema(DIRECTORY_DOCUMENT, "OrgUnit"))
    assert _aliases(GooglePolicy) <= set(_schema(CLOUD_IDENTITY_DOCUMENT, "Policy"))


def test_the_google_methods_called_are_described_offline() -> None:
    directory = discovery_document(DIRECTORY_DOCUMENT)["resources"]
    users = directory["users"]["methods"]["list"]["parameters"]
    assert {"customer", "maxResults", "projection", "viewType", "pageToken"} <= set(users)
    orgunits = directory["orgunits"]["methods"]["list"]["parameters"]
    assert {"customerId", "type"} <= set(orgunits)
    policies = discovery_document(CLOUD_IDENTITY_DOCUMENT)["resources"]["policies"]
    assert {"filter", "pageSize", "pageToken"} <= set(policies["methods"]["list"]["parameters"])


class _Fixtures:
    """Reads from the documented responses (data, for the export's pure file logic)."""

    def read(self, fact: str) -> RawRead:
        spec = SPECS[fact]
        files = {
            "entra_conditional_access": "conditional_access_policies.json",
            "entra_subscribed_skus": "subscribed_skus.json",
            "entra_mfa_registration": "user_registration_details.json",
        }
        if fact == "entra_security_defaults":
            return RawRead(spec, value=_value("security_defaults.json"))
        if fact == "entra_authorization_policy":
            return RawRead(spec, value=_value("authorization_policy.json"))
        if fact == "entra_sign_in_activity":
            reason = "sign-in activity needs Microsoft Entra ID P1"
            return RawRead(spec, unavailable=Unavailable(licence="P1", reason=reason))
        if fact == "entra_users":
            raise TargetUnreachableError("no token: invalid_client")
        if fact in files:
            return RawRead(spec, items=iter(_value(files[fact])["value"]))
        raise FactError(f"{fact}: HTTP 403 (Authorization_RequestDenied)")

    def close(self) -> None:
        pass


TENANT = Microsoft365Tenant.model_validate(
    {
        "provider": "microsoft365", "name": "contoso", "domains": ["contoso.com"],
        "schools": ["oak"], "tenant_id": "6f1c2d3e-4b5a-4c6d-9e8f-0a1b2c3d4e5f",
        "groups": {"staff": ["All Staff"]},
        "credentials": {"client_id": "2b7e151a-28ae-4d2a-a6f7-15880941cf4f",
                        "client_secret_var": "secret"},
    }
)  # fmt: skip


def _exported(tmp_path: Path) -> Path:
    folder = tmp_path / "contoso"
    export_tenant(TENANT, _Fixtures(), folder)
    return folder


def test_an_export_reads_back_as_the_same_facts_and_outcomes(tmp_path: Path) -> None:
    folder = _exported(tmp_path)
    saved = ExportSource(folder, TENANT)
    for fact in ("entra_conditional_access", "entra_authorization_policy"):
        live = materialise(_Fixtures().read(fact))
        offline = materialise(saved.read(fact))
        assert offline.value == live.value
        assert offline.evidence.sha256 == live.evidence.sha256
    assert isinstance(materialise(saved.read("entra_sign_in_activity")).value, Unavailable)
    with pytest.raises(TargetUnreachableError, match="invalid_client"):
        saved.read("entra_users")
    with pytest.raises(FactError, match="403"):
        saved.read("entra_groups")


def test_a_cut_short_export_file_is_an_error(tmp_path: Path) -> None:
    folder = _exported(tmp_path)
    path = folder / "entra_mfa_registration.jsonl"
    path.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:2]))
    with pytest.raises(FactError, match="does not match its manifest"):
        materialise(ExportSource(folder, TENANT).read("entra_mfa_registration"))


def test_an_edited_export_object_is_an_error(tmp_path: Path) -> None:
    folder = _exported(tmp_path)
    path = folder / "entra_security_defaults.json"
    path.write_text(path.read_text().replace("true", "false"))
    with pytest.raises(FactError, match="does not match its manifest"):
        ExportSource(folder, TENANT).read("entra_security_defaults")


def test_no_export_for_a_tenant_is_not_assessed(tmp_path: Path) -> None:
    with pytest.raises(FactUnavailableError):
        ExportSource(tmp_path / "contoso", TENANT)


def test_an_export_keeps_only_the_fields_read(tmp_path: Path) -> None:
    folder = _exported(tmp_path)
    text = (folder / "entra_mfa_registration.jsonl").read_text()
    assert '"userPrincipalName"' in text
    assert "userDisplayName" not in text  # a person's name is not a field this read judges
    users = SPECS["google_users"]
    kept = users.project({"primaryEmail": "a@x.org", "name": {"fullName": "A Pupil"}})
    assert kept == {"primaryEmail": "a@x.org"}
