"""A tenant is a scan subject: one per school it serves, judged only by checks whose
``applies_to.platforms`` names its provider."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from matops.facts.model import Subject
from matops.inventory.tenants import GoogleWorkspaceTenant, Microsoft365Tenant
from matops.platforms import PLATFORMS
from matops.scan.catalogue import Check
from matops.scan.meta import CheckMeta
from matops.scan.runner import applies
from matops.scan.verdict import Verdict, passed

M365 = Microsoft365Tenant.model_validate(
    {
        "provider": "microsoft365",
        "name": "north-m365",
        "domains": ["north.example"],
        "schools": ["oak", "elm"],
        "tenant_id": "11111111-2222-3333-4444-555555555555",
        "groups": {"staff": ["All Staff"]},
        "credentials": {
            "client_id": "11111111-2222-3333-4444-666666666666",
            "client_secret_var": "vault_m365_secret",
        },
    }
)
GOOGLE = GoogleWorkspaceTenant.model_validate(
    {
        "provider": "google_workspace",
        "name": "north-google",
        "domains": ["north.example"],
        "schools": ["ash"],
        "customer_id": "C01abcdef",
        "org_units": {"staff": ["/Staff"]},
        "credentials": {
            "service_account_var": "vault_google_sa",
            "delegated_admin": "reader@north.example",
        },
    }
)


def _check(applies_to: dict[str, object]) -> Check:
    meta = CheckMeta.model_validate(
        {
            "id": "toy_tenant_check",
            "title": "Toy tenant state holds",
            "area": "tenant",
            "severity": "low",
            "applies_to": applies_to,
            "facts": ["scan_date"],
            "rationale": "x" * 60,
            "remediation": {"manual": "fix it"},
        }
    )

    def judge() -> Verdict:
        return passed("ok")

    return Check(meta=meta, judge=judge, folder=Path("."))


def test_one_subject_per_school_named_after_the_tenant() -> None:
    subjects = Subject.tenants_of([M365, GOOGLE])
    assert [(s.name, s.school, s.kind, s.kind_name) for s in subjects] == [
        ("north-m365", "oak", "tenant", "tenant"),
        ("north-m365", "elm", "tenant", "tenant"),
        ("north-google", "ash", "tenant", "tenant"),
    ]
    assert subjects[0].platform == "microsoft365"


def test_tenant_checks_apply_by_provider_only() -> None:
    m365, google = Subject.of_tenant(M365, "oak"), Subject.of_tenant(GOOGLE, "ash")
    check = _check({"platforms": ["microsoft365"]})
    assert applies(check, m365) and not applies(check, google)
    assert applies(_check({"platforms": ["microsoft365", "google_workspace"]}), google)
    assert not applies(_check({"kinds": ["linux"]}), m365)
    assert not applies(_check({"platforms": ["debian"]}), m365)
    assert not applies(_check({"register": []}), m365)


def test_tenant_platforms_are_registered_for_tenants_only() -> None:
    for name in ("microsoft365", "google_workspace"):
        assert PLATFORMS[name].kinds == frozenset({"tenant"})
        assert PLATFORMS[name].reader is None and PLATFORMS[name].network is None


def test_tenant_platforms_are_not_mixed_with_target_rules() -> None:
    for rule in (
        {"platforms": ["microsoft365"], "kinds": ["linux"]},
        {"platforms": ["microsoft365", "debian"]},
        {"platforms": ["google_workspace"], "device_roles": ["core"]},
    ):
        with pytest.raises(ValidationError, match="tenant platforms"):
            _check(rule)
