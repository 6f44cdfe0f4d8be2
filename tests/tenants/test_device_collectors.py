"""The device collectors against the tenant simulator (real HTTPS and OAuth on 127.0.0.1):
Intune's managed devices with each Windows device's Defender state (Graph JSON batching) and
ChromeOS devices (Directory API), placed in schools, saved by the export and read back the
same; and every way the reads can fail is an error naming why, never a shorter list."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from matops.facts.catalogue import FACTS
from matops.facts.model import Fact, FactError, Subject, TargetUnreachableError
from matops.facts.tenant import devices as dv
from matops.facts.tenant.collect import TenantProvider, live_source
from matops.facts.tenant.export import export_sources, export_tenant
from matops.facts.tenant.http import Throttle
from matops.inventory.model import Asset, AssetType
from matops.inventory.tenants import TenantInfo
from tests.support.tenantsim import EXAMPLE_TENANTS, SimTenants
from tests.tenants.conftest import GOOGLE, M365, google_tenant, lab_profile, m365_tenant

DEVICES = "/graph.microsoft.com/v1.0/deviceManagement/managedDevices"
BATCH = "/graph.microsoft.com/v1.0/$batch"
CHROMEOS = "/admin.googleapis.com/admin/directory/v1/customer/"
M365_DEVICES = {"schools": {"riverside-academy": "Riverside", "oakfield-primary": "Oakfield"}}
GOOGLE_DEVICES = {
    "schools": {"st-marys-ce-primary": "/Devices/St Marys", "oakfield-primary": "/Devices/Oakfield"}
}


def _m365(sim: SimTenants) -> TenantInfo:
    return m365_tenant(sim, schools=["riverside-academy", "oakfield-primary"], devices=M365_DEVICES)


def _google(sim: SimTenants) -> TenantInfo:
    return google_tenant(
        sim, schools=["st-marys-ce-primary", "oakfield-primary"], devices=GOOGLE_DEVICES
    )


def _provider(
    sim: SimTenants,
    tmp_path: Path,
    tenant: TenantInfo,
    register: list[dv.RegisterRow] | None = None,
    waits: list[float] | None = None,
) -> TenantProvider:
    profile = lab_profile(sim, tmp_path / "lab", [tenant])
    recorded = waits if waits is not None else []
    throttle = Throttle(max_retries=3, max_total_wait=30, default_wait=1, sleep=recorded.append)
    return TenantProvider(
        live_source(profile, tmp_path, throttle=throttle), register=register or []
    )


def _collect(sim: SimTenants, tmp_path: Path, tenant: TenantInfo, fact: str, **kw: Any) -> Fact:
    provider = _provider(sim, tmp_path, tenant, **kw)
    try:
        return provider.collect(fact, Subject.of_tenant(tenant, tenant.schools[0]))
    finally:
        provider.close()


def _served(sim: SimTenants, tenant: str, collection: str) -> list[dict[str, Any]]:
    return list(json.loads((sim.data / tenant / f"{collection}.json").read_text()))


# --- Intune -----------------------------------------------------------------------------------


def test_intune_devices_are_read_with_defender_state_in_batches(
    sim: SimTenants, tmp_path: Path
) -> None:
    served = _served(sim, M365, "managed_devices")
    before = sim.stats()
    fact = _collect(sim, tmp_path, _m365(sim), "intune_managed_devices")
    FACTS["intune_managed_devices"].adapter().validate_python(fact.value)
    devices = {d.id: d for d in fact.value}
    assert len(devices) == len(served)
    windows = [d for d in served if d["operatingSystem"] == "Windows"]
    for item in windows:
        state = item["windowsProtectionState"]
        read = devices[item["id"]].windows_protection_state
        assert read is not None
        assert read.real_time_protection_enabled == state["realTimeProtectionEnabled"]
        assert read.signature_update_overdue == state["signatureUpdateOverdue"]
    assert all(
        devices[d["id"]].windows_protection_state is None for d in served if d not in windows
    )
    requests = _requests_by_path(sim.stats(), before)
    # one page of devices, then the Windows devices' states 20 to a batch (rounded up)
    assert requests["/graph.microsoft.com/v1.0"] == 1 + -(-len(windows) // 20)
    assert fact.evidence.excerpt == f"{len(served)} items read"


def _requests_by_path(after: dict[str, Any], before: dict[str, Any]) -> dict[str, int]:
    counted = after.get("requests", {})
    earlier = before.get("requests", {})
    return {p: n - earlier.get(p, 0) for p, n in counted.items() if n - earlier.get(p, 0)}


def test_no_name_or_address_is_kept_of_a_device(sim: SimTenants, tmp_path: Path) -> None:
    tenant = _m365(sim)
    provider = _provider(sim, tmp_path, tenant)
    try:
        manifest = export_tenant(tenant, provider._source(tenant), tmp_path / "x" / M365)
    finally:
        provider.close()
    assert manifest.reads["intune_managed_devices"].status == "read"
    saved = (tmp_path / "x" / M365 / "intune_managed_devices.jsonl").read_text()
    for field in ("deviceName", "userPrincipalName", "emailAddress", "wiFiMacAddress", "userId"):
        assert f'"{field}"' not in saved
    assert "@northfield.example" not in saved


def test_devices_are_placed_by_category_then_by_register_serial(
    sim: SimTenants, tmp_path: Path
) -> None:
    served = _served(sim, M365, "managed_devices")
    unknown = [d for d in served if d["deviceCategoryDisplayName"] == "Unknown"]
    assert unknown, "the simulator's data has a device without a category"
    serial = unknown[0]["serialNumber"]
    asset = Asset(asset_tag="MLT-OAK-99999", type=AssetType.TABLET, model="x", serial=serial)
    register = [dv.RegisterRow(school="oakfield-primary", asset=asset)]
    tenant = _m365(sim)
    provider = _provider(sim, tmp_path, tenant, register=register)
    try:
        views = {
            school: provider.collect("school_devices", Subject.of_tenant(tenant, school))
            for school in tenant.schools
        }
    finally:
        provider.close()
    riverside, oakfield = views["riverside-academy"].value, views["oakfield-primary"].value
    by_category = {d["deviceCategoryDisplayName"] for d in served}
    assert len(riverside.devices) == sum(
        d["deviceCategoryDisplayName"] == "Riverside" for d in served
    ), by_category
    assert [d.serial for d in oakfield.devices if d.placed_by == "register"] == [serial]
    assert riverside.unplaced == oakfield.unplaced
    assert len(riverside.devices) + len(oakfield.devices) + len(oakfield.unplaced) == len(served)
    evidence = views["oakfield-primary"].evidence
    raw = _collect(sim, tmp_path / "again", tenant, "intune_managed_devices")
    assert evidence.sha256 == raw.evidence.sha256
    assert "oakfield-primary: " in evidence.excerpt and "@" not in evidence.excerpt


def test_a_refused_device_read_names_the_permission(sim: SimTenants, tmp_path: Path) -> None:
    sim.fault(DEVICES, status=403)
    with pytest.raises(FactError, match=r"DeviceManagementManagedDevices\.Read\.All"):
        _collect(sim, tmp_path, _m365(sim), "intune_managed_devices")


def test_a_refused_protection_state_inside_the_batch_names_the_permission(
    sim: SimTenants, tmp_path: Path
) -> None:
    sim.fault(DEVICES + "/", status=403)  # the single-device reads the batch carries
    with pytest.raises(FactError, match=r"windowsProtectionState.*DeviceManagementManagedDevices"):
        _collect(sim, tmp_path, _m365(sim), "intune_managed_devices")


def test_throttling_in_and_of_the_batch_is_waited_out(sim: SimTenants, tmp_path: Path) -> None:
    sim.fault(DEVICES + "/", status=429, count=3, retry_after=2)  # inside a batch
    sim.fault(BATCH, status=429, count=1, retry_after=4)  # the whole batch
    sim.fault(DEVICES, status=503, count=1, retry_after=1)  # the list
    waits: list[float] = []
    fact = _collect(sim, tmp_path, _m365(sim), "intune_managed_devices", waits=waits)
    assert len(fact.value) == len(_served(sim, M365, "managed_devices"))
    assert sorted(waits) == [1.0, 2.0, 4.0]


def test_a_throttle_that_never_ends_is_an_error(sim: SimTenants, tmp_path: Path) -> None:
    sim.fault(DEVICES + "/", status=429, retry_after=1)
    with pytest.raises(FactError, match=r"\$batch .*still throttled"):
        _collect(sim, tmp_path, _m365(sim), "intune_managed_devices")


@pytest.mark.parametrize("truncate", ["drop_link", "dead_link"])
def test_cut_short_paging_is_an_error_not_fewer_devices(
    sim: SimTenants, tmp_path: Path, truncate: str
) -> None:
    many = [_windows_free_device(n) for n in range(1, 1502)]  # two pages of 1000
    sim.replace(M365, "managed_devices", many)
    sim.fault(DEVICES, truncate=truncate, count=1)
    with pytest.raises(FactError, match=r"paging cut short|HTTP 404"):
        _collect(sim, tmp_path, _m365(sim), "intune_managed_devices")


def _windows_free_device(n: int) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "serialNumber": f"DMP{n:07d}",
        "operatingSystem": "iPadOS",
        "osVersion": "18.6",
        "complianceState": "compliant",
        "deviceCategoryDisplayName": "Riverside",
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"isEncrypted": "perhaps"}, r"item 1: isEncrypted"),
        ({"lastSyncDateTime": "last Tuesday"}, r"item 1: lastSyncDateTime"),
        ({"id": None}, r"item 1: id"),
    ],
)
def test_garbage_from_intune_is_an_error_naming_the_field(
    sim: SimTenants, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    sim.replace(M365, "managed_devices", [{**_windows_free_device(1), **change}])
    with pytest.raises(FactError, match=message):
        _collect(sim, tmp_path, _m365(sim), "intune_managed_devices")


# --- ChromeOS ---------------------------------------------------------------------------------


def test_chromeos_devices_are_read_and_placed_by_org_unit(sim: SimTenants, tmp_path: Path) -> None:
    served = _served(sim, GOOGLE, "chromeos_devices")
    tenant = _google(sim)
    provider = _provider(sim, tmp_path, tenant)
    try:
        subject = Subject.of_tenant(tenant, "oakfield-primary")
        raw = provider.collect("chromeos_devices", subject)
        view = provider.collect("school_devices", subject).value
    finally:
        provider.close()
    FACTS["chromeos_devices"].adapter().validate_python(raw.value)
    assert sorted(d.device_id for d in raw.value) == sorted(d["deviceId"] for d in served)
    at_oakfield = [d for d in served if d["orgUnitPath"].startswith("/Devices/Oakfield")]
    assert sorted(d.id for d in view.devices) == sorted(d["deviceId"] for d in at_oakfield)
    assert all(d.auto_update_through is not None for d in view.devices)
    assert [d.category for d in view.unplaced] == ["/"]


def test_a_chromeos_scope_not_granted_is_named(sim: SimTenants, tmp_path: Path) -> None:
    sim.fault(CHROMEOS, status=403)
    with pytest.raises(FactError, match=r"admin\.directory\.device\.chromeos\.readonly"):
        _collect(sim, tmp_path, _google(sim), "chromeos_devices")


def test_chromeos_throttling_is_waited_out_and_a_dead_page_is_an_error(
    sim: SimTenants, tmp_path: Path
) -> None:
    sim.fault(CHROMEOS, status=429, count=2, retry_after=3)
    waits: list[float] = []
    fact = _collect(sim, tmp_path, _google(sim), "chromeos_devices", waits=waits)
    assert waits == [3.0, 3.0] and len(fact.value) == len(_served(sim, GOOGLE, "chromeos_devices"))
    many = [{"deviceId": f"d{n}", "serialNumber": f"S{n}", "orgUnitPath": "/"} for n in range(400)]
    sim.replace(GOOGLE, "chromeos_devices", many)
    sim.fault(CHROMEOS, truncate="dead_link", count=1)
    with pytest.raises(FactError, match="HTTP 404"):
        _collect(sim, tmp_path / "dead", _google(sim), "chromeos_devices")


def test_a_garbled_update_date_is_an_error(sim: SimTenants, tmp_path: Path) -> None:
    device = {"deviceId": "d1", "serialNumber": "S1", "autoUpdateThrough": "when it stops"}
    sim.replace(GOOGLE, "chromeos_devices", [device])
    with pytest.raises(FactError, match="item 1: autoUpdateThrough"):
        _collect(sim, tmp_path, _google(sim), "chromeos_devices")


# --- export and offline -----------------------------------------------------------------------


def test_the_export_gives_the_same_school_devices_offline(sim: SimTenants, tmp_path: Path) -> None:
    for tenant in (_m365(sim), _google(sim)):
        live = _provider(sim, tmp_path / tenant.name, tenant)
        try:
            export_tenant(tenant, live._source(tenant), tmp_path / "x" / tenant.name)
            offline = TenantProvider(export_sources(tmp_path / "x"))
            for school in tenant.schools:
                subject = Subject.of_tenant(tenant, school)
                seen = live.collect("school_devices", subject)
                saved = offline.collect("school_devices", subject)
                assert saved.value == seen.value and saved.value.devices
                assert saved.evidence.sha256 == seen.evidence.sha256
        finally:
            live.close()


def test_a_customer_that_did_not_grant_the_chromeos_scope_is_read_without_devices(
    tmp_path: Path,
) -> None:
    """Google refuses a token for a scope not granted: without a devices: block matops does not
    ask for the ChromeOS scope, so the tenant's other reads go on; with one, the refusal says
    which scopes were asked for, and nothing is read."""
    source = tmp_path / "tenants"
    shutil.copytree(EXAMPLE_TENANTS, source)
    info_path = source / GOOGLE / "tenant.json"
    info = json.loads(info_path.read_text())
    scopes = info["service_accounts"][0]["scopes"]
    info["service_accounts"][0]["scopes"] = [s for s in scopes if "chromeos" not in s]
    info_path.write_text(json.dumps(info))
    sim = SimTenants(tmp_path / "sim", source=source).start()
    try:
        plain = google_tenant(sim, schools=["st-marys-ce-primary"])
        users = _collect(sim, tmp_path / "plain", plain, "google_users")
        assert users.value
        with pytest.raises(
            TargetUnreachableError, match=r"unauthorized_client.*chromeos\.readonly"
        ):
            _collect(sim, tmp_path / "devices", _google(sim), "chromeos_devices")
    finally:
        sim.stop()
