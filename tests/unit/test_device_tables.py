"""The device data tables shipped with matops load, agree with themselves and hold known facts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from matops.facts.catalogue import FACTS
from matops.facts.device_tables import (
    WindowsReleases,
    load_ipados_releases,
    load_windows_releases,
)
from matops.facts.model import Subject
from matops.facts.register.collect import InventoryProvider
from matops.inventory.loader import load_trust
from tests.conftest import EXAMPLE_TRUST


def test_windows_table_known_facts_and_freshness_bound() -> None:
    table = load_windows_releases()
    win10 = table.release(19045)
    assert win10 is not None and win10.is_windows10 and win10.end_of_servicing == date(2025, 10, 14)
    w24h2 = table.release(26100)
    assert w24h2 is not None and w24h2.name == "Windows 11 24H2"
    assert w24h2.end_of_servicing == date(2027, 10, 12)
    sep = next(u for u in w24h2.updates if u.released == date(2025, 9, 9))
    assert (sep.revision, sep.kb) == (6584, "KB5065426")
    newest = max(u.released for r in table.releases for u in r.updates)
    assert newest <= table.as_of, "as_of must not claim less than the table holds"
    for release in table.releases:
        revisions = [u.revision for u in release.updates]
        assert revisions == sorted(revisions), release.build


def test_ipados_table_known_facts() -> None:
    table = load_ipados_releases()
    assert [m.major for m in table.majors] == sorted(m.major for m in table.majors)
    assert table.last_major("iPad (6th generation)") == 17
    assert table.last_major("iPad (7th generation)") == 18
    assert table.last_major("iPad (10th generation)") is None
    newest = max(v.released for m in table.majors for v in m.versions)
    assert newest <= table.as_of


def test_out_of_order_updates_are_refused(tmp_path: Path) -> None:
    text = (
        "as_of: 2026-01-01\nsources: [x]\nreleases:\n"
        "  - {build: 1, product: Windows 11, version: X, available: 2025-01-01,\n"
        "     end_of_servicing: 2027-01-01, updates: [{revision: 2, released: 2025-03-01, kb: K},\n"
        "     {revision: 1, released: 2025-02-01, kb: K}]}\n"
    )
    path = tmp_path / "w.yml"
    path.write_text(text)
    with pytest.raises(ValidationError, match="not in date order"):
        load_windows_releases(path)
    assert (
        WindowsReleases.model_validate(
            {"as_of": "2026-01-01", "sources": ["x"], "releases": []}
        ).release(1)
        is None
    )


def test_a_tenant_subject_gets_the_tables_as_facts_with_evidence() -> None:
    trust = load_trust(EXAMPLE_TRUST)
    tenant = trust.settings.tenants[0]
    subject = Subject.of_tenant(tenant, tenant.schools[0])
    provider = InventoryProvider(trust, date(2026, 12, 5))
    for name, loader in (
        ("windows_releases", load_windows_releases),
        ("ipados_releases", load_ipados_releases),
    ):
        assert name in provider.provides(subject)
        fact = provider.collect(name, subject)
        assert fact.value == loader()
        assert fact.evidence.sha256 and FACTS[name].source == "inventory"
