"""The inventory facts of a tenant subject: its own inventory entry and the trust's staff list
(and none of a target's)."""

from __future__ import annotations

from datetime import date

from matops.facts.catalogue import FACTS
from matops.facts.model import Subject
from matops.facts.register.collect import InventoryProvider
from matops.inventory.loader import load_trust
from tests.conftest import EXAMPLE_TRUST


def test_a_tenant_subject_gets_its_entry_and_the_staff_list() -> None:
    trust = load_trust(EXAMPLE_TRUST)
    provider = InventoryProvider(trust, date(2026, 12, 5))
    tenant = trust.settings.tenants[0]
    subject = Subject.of_tenant(tenant, tenant.schools[0])
    offered = provider.provides(subject)
    assert {"tenant_info", "staff_list", "scan_date"} <= offered
    assert not {"target_info", "school_network"} & offered
    info = provider.collect("tenant_info", subject)
    assert info.value is tenant
    staff = provider.collect("staff_list", subject)
    assert staff.value == trust.staff and staff.value
    for fact in (info, staff):
        FACTS[fact.name].adapter().validate_python(fact.value)
        assert FACTS[fact.name].source == "inventory"  # evidence kept out of findings


def test_a_target_gets_no_tenant_facts() -> None:
    trust = load_trust(EXAMPLE_TRUST)
    provider = InventoryProvider(trust, date(2026, 12, 5))
    target = trust.schools[0].targets[0]
    assert not {"tenant_info", "staff_list"} & provider.provides(Subject.of_target(target))
