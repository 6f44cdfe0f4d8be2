"""Collecting and judging a large trust's managed devices: 30,000 of them over 30 schools.

Against matops' tenant simulator on 127.0.0.1 (real HTTPS with a throwaway CA, real OAuth: MSAL
client secret, Google service account JWT), two generated tenants: a Microsoft 365 tenant with
20,000 Intune devices (Windows laptops and desktops, iPads, Macs; 20 schools of 1,000 by device
category) and a Google Workspace customer with 10,000 ChromeOS devices (10 schools of 1,000 by
org unit). Every device check (``checks/device``) is judged for each of the 30 schools, with the
schools' asset registers empty (so every generated serial is "not in the register": the
reconciliation checks fail, as they should). Each measurement runs in its own
process, so its peak memory (``ru_maxrss``) is its own:

* ``batched``: what ``matops scan`` does: Intune's device list a page (1,000) at a time, each
  page's Windows devices' Defender state (``windowsProtectionState``) read 20 to a Graph JSON
  batch (``POST /v1.0/$batch``, Graph's limit), ChromeOS devices 300 a page;
* ``one_by_one``: the alternative, the same reads with each Windows device's Defender state asked
  for on its own (a batch of one: one request per device, as a collector reading
  ``managedDevices/{id}/windowsProtectionState`` for each device would).

Reported: wall time, API requests (as the simulator counted them), findings by status (and the
checks that gave errors), peak memory and the memory before the first read. No throttling here
(the tenants benchmark measures that). Results: ``benchmarks/results/devices.json``. Runs
without root and without a lab.
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
from matops.facts.register.collect import InventoryProvider, RegisterProvider
from matops.facts.tenant import graph
from matops.facts.tenant.collect import TenantProvider, live_source
from matops.facts.tenant.devices import trust_register
from matops.inventory.loader import load_trust
from matops.inventory.model import School, Trust
from matops.inventory.tenants import GoogleWorkspaceTenant, Microsoft365Tenant, TenantInfo
from matops.scan.catalogue import load_catalogue

RESULTS = Path(__file__).parent / "results" / "devices.json"
INTUNE, CHROMEOS, PER_SCHOOL = 20_000, 10_000, 1_000
M365_APP = "66666666-7777-4888-9999-000000000001"
PERMISSIONS = [
    "User.Read.All", "AuditLog.Read.All", "Policy.Read.All", "RoleManagement.Read.Directory",
    "GroupMember.Read.All", "LicenseAssignment.Read.All", "DeviceManagementManagedDevices.Read.All",
]  # fmt: skip
SCOPES = [
    "https://www.googleapis.com/auth/admin.directory.user.readonly",
    "https://www.googleapis.com/auth/admin.directory.orgunit.readonly",
    "https://www.googleapis.com/auth/cloud-identity.policies.readonly",
    "https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly",
]
TODAY = date(2026, 12, 5)


def _schools(count: int, prefix: str) -> list[str]:
    return [f"{prefix}-{n:03d}" for n in range(1, count + 1)]


M365_SCHOOLS = _schools(INTUNE // PER_SCHOOL, "intune-school")
GOOGLE_SCHOOLS = _schools(CHROMEOS // PER_SCHOOL, "chrome-school")


def _data(folder: Path) -> None:
    """The two generated tenants' ``tenant.json`` (the simulator generates the rest)."""
    m365 = {
        "provider": "microsoft365", "tenant_id": "11111111-2222-4333-8444-555555555556",
        "domains": ["big.example"],
        "generate": {"users": 40, "groups": 4, "devices": INTUNE, "seed": 16},
        "applications": [{"client_id": M365_APP, "application_permissions": PERMISSIONS}],
    }  # fmt: skip
    google = {
        "provider": "google_workspace", "customer_id": "C0devbench", "domains": ["big.example"],
        "generate": {"users": 40, "devices": CHROMEOS, "seed": 16},
        "service_accounts": [{
            "client_email": "bench@dev-bench.iam.gserviceaccount.com", "client_id": "2",
            "delegated_admin": "admin00001@big.example", "scopes": SCOPES,
        }],
    }  # fmt: skip
    for name, info in (("dev-m365", m365), ("dev-google", google)):
        (folder / name).mkdir(parents=True)
        (folder / name / "tenant.json").write_text(json.dumps(info), encoding="utf-8")


def tenants() -> list[TenantInfo]:
    """The inventory entries of the two generated tenants, each school a device category or
    org unit of a thousand devices (as the simulator generates them)."""
    m365 = Microsoft365Tenant.model_validate({
        "provider": "microsoft365", "name": "dev-m365", "domains": ["big.example"],
        "schools": M365_SCHOOLS, "tenant_id": "11111111-2222-4333-8444-555555555556",
        "groups": {"staff": ["Class group 0001"], "pupils": ["Class group 0002"],
                   "admins": ["Class group 0003"]},
        "credentials": {"client_id": M365_APP, "client_secret_var": "bench_m365_secret"},
        "devices": {"schools": {s: f"School {n:03d}" for n, s in enumerate(M365_SCHOOLS, 1)}},
    })  # fmt: skip
    google = GoogleWorkspaceTenant.model_validate({
        "provider": "google_workspace", "name": "dev-google", "domains": ["big.example"],
        "schools": GOOGLE_SCHOOLS, "customer_id": "C0devbench",
        "org_units": {"staff": ["/Staff"], "pupils": ["/Pupils"], "admins": ["/Staff"]},
        "credentials": {"service_account_var": "bench_google_sa",
                        "delegated_admin": "admin00001@big.example"},
        "devices": {"schools": {s: f"/Devices/School {n:03d}"
                                for n, s in enumerate(GOOGLE_SCHOOLS, 1)}},
    })  # fmt: skip
    return [m365, google]


def trust() -> Trust:
    """The example trust grown to the 30 schools of the two tenants (each with an empty asset
    register, like one that has not been filled in) and given those tenants."""
    example = load_trust(TRUST)
    model = example.schools[0]

    def school(slug: str) -> School:
        info = model.info.model_copy(update={"id": slug})
        return model.model_copy(update={"info": info, "targets": [], "assets": []})

    settings = example.settings.model_copy(update={"tenants": tenants()})
    schools = [school(s) for s in (*M365_SCHOOLS, *GOOGLE_SCHOOLS)]
    return example.model_copy(update={"settings": settings, "schools": schools})


def child(mode: str, lab: Path) -> dict[str, Any]:
    """One measurement (in its own process): collect and judge both tenants' devices."""
    from matops.connect.profile import build_profile

    if mode == "one_by_one":
        graph.BATCH_LIMIT = 1  # each Windows device's Defender state in a request of its own
    started = time.perf_counter()
    profile = build_profile(TRUST, lab_dir=lab, tenant_simulator=(lab / "url").read_text())
    big = trust()
    provider = TenantProvider(live_source(profile, TRUST), register=trust_register(big.schools))
    checks = [c for c in load_catalogue() if c.meta.area.value == "device"]
    subjects = Subject.tenants_of(big.settings.tenants)
    providers = [InventoryProvider(big, TODAY), RegisterProvider(big), provider]
    return judge(started, subjects, checks, providers, provider)


def main() -> None:
    """Run both measurements against one simulator and write the results."""
    with simulator(_data, tenants()) as (sim, lab, ready):
        batched = measure(sim, "benchmarks.devices", "batched", lab)
        one_by_one = measure(sim, "benchmarks.devices", "one_by_one", lab)
    results = {
        "intune_devices": INTUNE, "chromeos_devices": CHROMEOS, "schools": batched["schools"],
        "simulator_start_seconds": ready, "batched": batched, "one_by_one": one_by_one,
        "ratios": {
            "requests": round(one_by_one["requests"] / max(batched["requests"], 1), 1),
            "seconds": round(one_by_one["seconds"] / max(batched["seconds"], 0.1), 1),
        },
    }  # fmt: skip
    write_results(RESULTS, results)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], Path(sys.argv[3]))))
    else:
        main()
