"""Collecting and judging a large trust's tenants: 20,000 users and 2,000 groups, throttled.

Against matops' tenant simulator on 127.0.0.1 (real HTTPS with a throwaway CA, real OAuth: MSAL
client secret, Google service account JWT), two generated tenants of 20,000 users each: a
Microsoft 365 tenant with 2,000 groups and a Google Workspace customer. Every 20th API request
is throttled (429, ``Retry-After: 1``), as Graph does to a busy app. Each measurement runs in
its own process, so its peak memory (``ru_maxrss``) is its own:

* ``streaming``: what ``matops scan`` does: the tenant provider reads every tenant fact page by
  page, keeps only the fields judged, maps each item to its model as it arrives and drops the
  page; then every tenant check is judged, once per school served;
* ``whole``: the alternative, the same reads and checks with every read held whole (all the
  API items of a fact in memory, then mapped): what a collector that reads first and maps after
  would need.

Reported: wall time, API requests and 429s (as the simulator counted them), findings (and the
checks that gave errors), peak memory and the memory before the first read (imports, trust,
catalogue). Results: ``benchmarks/results/tenants.json``. Runs without root and without a lab.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.tenantsim_runs import TRUST, judge, measure, simulator, write_results
from matops.facts.model import Subject
from matops.facts.register.collect import InventoryProvider
from matops.facts.tenant.collect import TenantProvider, live_source
from matops.facts.tenant.reads import RawRead, TenantSource
from matops.inventory.loader import load_trust
from matops.inventory.tenants import GoogleWorkspaceTenant, Microsoft365Tenant, TenantInfo
from matops.scan.catalogue import load_catalogue

RESULTS = Path(__file__).parent / "results" / "tenants.json"
USERS, GROUPS, THROTTLE_EVERY = 20_000, 2_000, 20
SCHOOLS = ["riverside-academy", "oakfield-primary"]
M365_APP = "66666666-7777-4888-9999-000000000000"
PERMISSIONS = [
    "User.Read.All", "AuditLog.Read.All", "Policy.Read.All", "RoleManagement.Read.Directory",
    "GroupMember.Read.All", "LicenseAssignment.Read.All",
]  # fmt: skip
SCOPES = [
    "https://www.googleapis.com/auth/admin.directory.user.readonly",
    "https://www.googleapis.com/auth/admin.directory.orgunit.readonly",
    "https://www.googleapis.com/auth/cloud-identity.policies.readonly",
]


def _data(folder: Path) -> None:
    """The two generated tenants' ``tenant.json`` (the simulator generates the rest)."""
    m365 = {
        "provider": "microsoft365", "tenant_id": "11111111-2222-4333-8444-555555555555",
        "domains": ["big.example"], "generate": {"users": USERS, "groups": GROUPS, "seed": 15},
        "applications": [{"client_id": M365_APP, "application_permissions": PERMISSIONS}],
    }  # fmt: skip
    google = {
        "provider": "google_workspace", "customer_id": "C0bigbench", "domains": ["big.example"],
        "generate": {"users": USERS, "seed": 15},
        "service_accounts": [{
            "client_email": "bench@big-bench.iam.gserviceaccount.com", "client_id": "1",
            "delegated_admin": "admin00001@big.example", "scopes": SCOPES,
        }],
    }  # fmt: skip
    for name, info in (("big-m365", m365), ("big-google", google)):
        (folder / name).mkdir(parents=True)
        (folder / name / "tenant.json").write_text(json.dumps(info), encoding="utf-8")


def tenants() -> list[TenantInfo]:
    """The inventory entries of the two generated tenants."""
    m365 = Microsoft365Tenant.model_validate({
        "provider": "microsoft365", "name": "big-m365", "domains": ["big.example"],
        "schools": SCHOOLS, "tenant_id": "11111111-2222-4333-8444-555555555555",
        "groups": {"staff": ["Class group 0001"], "pupils": ["Class group 0002"],
                   "admins": ["Class group 0003"]},
        "credentials": {"client_id": M365_APP, "client_secret_var": "bench_m365_secret"},
    })  # fmt: skip
    google = GoogleWorkspaceTenant.model_validate({
        "provider": "google_workspace", "name": "big-google", "domains": ["big.example"],
        "schools": SCHOOLS, "customer_id": "C0bigbench",
        "org_units": {"staff": ["/Staff"], "pupils": ["/Pupils"], "admins": ["/Staff"]},
        "credentials": {"service_account_var": "bench_google_sa",
                        "delegated_admin": "admin00001@big.example"},
    })  # fmt: skip
    return [m365, google]


class _Whole:
    """The alternative: every read held whole before it is mapped."""

    def __init__(self, source: TenantSource) -> None:
        self.source = source

    def read(self, fact: str) -> RawRead:
        found = self.source.read(fact)
        if found.items is not None:
            found.items = list(found.items)
        return found

    def close(self) -> None:
        self.source.close()


def child(mode: str, lab: Path) -> dict[str, Any]:
    """One measurement (in its own process): collect and judge both tenants."""
    from matops.connect.profile import build_profile

    started = time.perf_counter()
    profile = build_profile(TRUST, lab_dir=lab, tenant_simulator=(lab / "url").read_text())
    sources = live_source(profile, TRUST)
    factory = sources if mode == "streaming" else (lambda t: _Whole(sources(t)))
    trust = load_trust(TRUST)
    trust = trust.model_copy(
        update={"settings": trust.settings.model_copy(update={"tenants": tenants()})}
    )
    provider = TenantProvider(factory)
    checks = [c for c in load_catalogue() if c.meta.area.value == "tenant"]
    subjects = Subject.tenants_of(trust.settings.tenants)
    providers = [InventoryProvider(trust, date(2026, 12, 5)), provider]
    return judge(started, subjects, checks, providers, provider)


def main() -> None:
    """Run both measurements against one simulator and write the results."""
    with simulator(_data, tenants()) as (sim, lab, ready):
        results = {
            "users_per_tenant": USERS, "groups": GROUPS,
            "throttled_every": THROTTLE_EVERY, "simulator_start_seconds": ready,
            "streaming": measure(sim, "benchmarks.tenants", "streaming", lab, THROTTLE_EVERY),
            "whole": measure(sim, "benchmarks.tenants", "whole", lab, THROTTLE_EVERY),
        }  # fmt: skip
    write_results(RESULTS, results)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], Path(sys.argv[3]))))
    else:
        main()
