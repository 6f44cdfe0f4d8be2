"""Managed devices as the simulator serves them, read with real tokens over verified HTTPS:
Intune through Graph (``managedDevices`` paging, ``$select``, ``$expand``, the per-device
protection state and JSON batching of it), ChromeOS through the Directory API (page tokens,
``maxResults``, projections, org units), permission errors, faults and the overlays."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.tenantsim import EXAMPLE_TENANTS, GOOGLE_SCOPES, SimTenants, running_tenantsim

M365, GOOGLE = "northfield-m365", "northfield-google"
DEVICES = "deviceManagement/managedDevices"
CHROMEOS = "admin/directory/v1/customer/my_customer/devices/chromeos"
CHROMEOS_SCOPE = "https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly"
PLANTED = json.loads((EXAMPLE_TENANTS / "planted_devices.json").read_text())


def stored(tenant: str, name: str, overlay: str = "") -> list[dict[str, Any]]:
    folder = EXAMPLE_TENANTS / tenant / overlay if overlay else EXAMPLE_TENANTS / tenant
    return list(json.loads((folder / name).read_text()))


def graph(sim: SimTenants, path: str, token: str | None = None, **params: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token or sim.graph_token()}"}
    with sim.client() as client:
        return client.get(f"{sim.endpoints['graph']}/v1.0/{path}", params=params, headers=headers)


def batch(sim: SimTenants, urls: list[str], token: str | None = None) -> httpx.Response:
    body = {"requests": [{"id": str(n), "method": "GET", "url": u} for n, u in enumerate(urls)]}
    headers = {"Authorization": f"Bearer {token or sim.graph_token()}"}
    with sim.client() as client:
        return client.post(f"{sim.endpoints['graph']}/v1.0/$batch", json=body, headers=headers)


def follow(sim: SimTenants, first: httpx.Response, token: str) -> tuple[list[dict[str, Any]], int]:
    """Every device of a list and the number of pages, following nextLinks as a client does."""
    answer, items, pages = first, [], 0
    with sim.client() as client:
        while True:
            assert answer.status_code == 200, answer.text
            items += answer.json()["value"]
            pages += 1
            link = answer.json().get("@odata.nextLink")
            if not link:
                return items, pages
            answer = client.get(link, headers={"Authorization": f"Bearer {token}"})


def chrome_session(sim: SimTenants, tenant: str = GOOGLE) -> Any:
    return sim.google_session(sim.google_credentials(tenant, (*GOOGLE_SCOPES, CHROMEOS_SCOPE)))


def chrome(sim: SimTenants, session: Any = None, path: str = CHROMEOS, **params: Any) -> Any:
    return (session or chrome_session(sim)).get(f"{sim.endpoints['admin']}/{path}", params=params)


def chrome_pages(sim: SimTenants, **params: Any) -> tuple[list[dict[str, Any]], int]:
    session, items, token, pages = chrome_session(sim), [], None, 0
    while True:
        answer = chrome(sim, session, **params, **({"pageToken": token} if token else {}))
        assert answer.status_code == 200, answer.text
        items += answer.json().get("chromeosdevices", [])
        pages += 1
        token = answer.json().get("nextPageToken")
        if not token:
            return items, pages


# --- Intune (Microsoft Graph) ---------------------------------------------------------------


def test_managed_devices_page_by_top_and_every_device_comes_once(sim: SimTenants) -> None:
    token = sim.graph_token()
    every = stored(M365, "managed_devices.json")
    first = graph(sim, DEVICES, token, **{"$top": "50", "$select": "id,serialNumber"})
    assert first.json()["@odata.nextLink"].startswith(sim.endpoints["graph"])
    items, pages = follow(sim, first, token)
    assert [d["serialNumber"] for d in items] == [d["serialNumber"] for d in every]
    assert pages == -(-len(every) // 50) and len({d["id"] for d in items}) == len(every)
    assert set(items[0]) == {"id", "serialNumber"}
    whole = graph(sim, DEVICES, token, **{"$select": "id"}).json()
    assert len(whole["value"]) == len(every) and "@odata.nextLink" not in whole  # 1000 a page


def test_without_select_a_device_has_every_property_but_no_protection_state(
    sim: SimTenants,
) -> None:
    device = graph(sim, DEVICES, **{"$top": "1"}).json()["value"][0]
    assert {"deviceName", "wiFiMacAddress", "serialNumber", "jailBroken"} <= set(device)
    assert "windowsProtectionState" not in device and "managementState" not in device


def test_select_of_a_property_graph_does_not_have_is_400(sim: SimTenants) -> None:
    answer = graph(sim, DEVICES, **{"$select": "id,managementState"})
    assert answer.status_code == 400
    assert "managementState" in answer.json()["error"]["message"]


def test_expand_gives_the_protection_state_of_windows_devices(sim: SimTenants) -> None:
    select = "serialNumber,operatingSystem"
    expand = "windowsProtectionState($select=realTimeProtectionEnabled,signatureUpdateOverdue)"
    items = graph(sim, DEVICES, **{"$select": select, "$expand": expand}).json()["value"]
    windows = [d for d in items if d["operatingSystem"] == "Windows"]
    assert windows and all(
        set(d["windowsProtectionState"]) == {"realTimeProtectionEnabled", "signatureUpdateOverdue"}
        for d in windows
    )
    assert all(d["windowsProtectionState"] is None for d in items if d not in windows)
    off = next(p for p in PLANTED["planted"] if "malware_protection_real_time_on" in p["checks"])
    state = next(d for d in windows if d["serialNumber"] in off["serials"])
    assert state["windowsProtectionState"]["realTimeProtectionEnabled"] is False
    bad = graph(sim, DEVICES, **{"$expand": "detectedApps"})
    assert bad.status_code == 400 and "detectedApps" in bad.json()["error"]["message"]


def test_one_devices_protection_state_and_404s(sim: SimTenants) -> None:
    items = graph(sim, DEVICES, **{"$select": "id,operatingSystem"}).json()["value"]
    windows = next(d["id"] for d in items if d["operatingSystem"] == "Windows")
    ipad = next(d["id"] for d in items if d["operatingSystem"] == "iPadOS")
    state = graph(sim, f"{DEVICES}/{windows}/windowsProtectionState").json()
    assert state["id"] == windows and state["@odata.context"].endswith("/$entity")
    assert {"realTimeProtectionEnabled", "lastReportedDateTime"} <= set(state)
    one = graph(sim, f"{DEVICES}/{windows}", **{"$select": "id,osVersion"}).json()
    assert one["osVersion"].startswith("10.0.") and "deviceName" not in one
    for path in (f"{DEVICES}/{ipad}/windowsProtectionState", f"{DEVICES}/not-a-device"):
        answer = graph(sim, path)
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "ResourceNotFound"


def test_batched_protection_states_come_back_by_id(sim: SimTenants) -> None:
    items = graph(sim, DEVICES, **{"$select": "id,operatingSystem"}).json()["value"]
    ids = [d["id"] for d in items if d["operatingSystem"] == "Windows"][:20]
    answer = batch(sim, [f"/{DEVICES}/{i}/windowsProtectionState" for i in ids])
    assert answer.status_code == 200, answer.text
    responses = answer.json()["responses"]
    assert [r["id"] for r in responses] != [str(n) for n in range(20)]  # any order: match ids
    by_id = {int(r["id"]): r for r in responses}
    assert sorted(by_id) == list(range(20))
    assert all(by_id[n]["status"] == 200 and by_id[n]["body"]["id"] == i for n, i in enumerate(ids))
    too_many = batch(sim, [f"/{DEVICES}/{ids[0]}/windowsProtectionState"] * 21)
    assert too_many.status_code == 400 and "20" in too_many.json()["error"]["message"]


def test_a_throttled_request_in_a_batch_is_429_inside_it(sim: SimTenants) -> None:
    items = graph(sim, DEVICES, **{"$select": "id,operatingSystem"}).json()["value"]
    ids = [d["id"] for d in items if d["operatingSystem"] == "Windows"][:3]
    sim.fault(f"/graph.microsoft.com/v1.0/{DEVICES}/{ids[1]}", status=429, retry_after=4)
    responses = {
        r["id"]: r
        for r in batch(sim, [f"/{DEVICES}/{i}/windowsProtectionState" for i in ids]).json()[
            "responses"
        ]
    }
    assert responses["1"]["status"] == 429 and responses["1"]["headers"]["Retry-After"] == "4"
    assert responses["0"]["status"] == responses["2"]["status"] == 200
    sim.clear_faults()
    sim.fault("/graph.microsoft.com/v1.0/$batch", status=503, count=1)
    assert batch(sim, [f"/{DEVICES}/{ids[0]}/windowsProtectionState"]).status_code == 503
    sim.fault("/graph.microsoft.com/", status=429, every=2, retry_after=1)  # the batch's, too
    answers = [batch(sim, [f"/{DEVICES}/{i}/windowsProtectionState" for i in ids]) for _ in "ab"]
    assert [a.status_code for a in answers] == [200, 429]
    assert {r["status"] for r in answers[0].json()["responses"]} == {200}


def test_without_the_intune_permission_every_device_read_is_403(sim: SimTenants) -> None:
    info = sim.tenant_info(M365)
    app = info["applications"][0]
    app["application_permissions"] = [
        p for p in app["application_permissions"] if not p.startswith("DeviceManagement")
    ]
    sim.replace(M365, "tenant", info)
    token = sim.graph_token()
    answer = graph(sim, DEVICES, token)
    error = answer.json()["error"]
    assert answer.status_code == 403 and error["code"] == "Forbidden"
    assert "DeviceManagementManagedDevices.Read.All" in error["message"]
    inner = batch(sim, [f"/{DEVICES}/x/windowsProtectionState"], token).json()["responses"][0]
    assert inner["status"] == 403 and "DeviceManagementManagedDevices" in str(inner["body"])
    assert graph(sim, "users", token).status_code == 200


def test_device_reads_throttle_and_break_paging_when_told(sim: SimTenants) -> None:
    token = sim.graph_token()
    sim.fault(f"/graph.microsoft.com/v1.0/{DEVICES}", status=429, count=1, retry_after=3)
    throttled = graph(sim, DEVICES, token)
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "3"
    sim.fault(f"/graph.microsoft.com/v1.0/{DEVICES}", truncate="drop_link", count=1)
    dropped = graph(sim, DEVICES, token, **{"$top": "10", "$count": "true"}).json()
    assert "@odata.nextLink" not in dropped and dropped["@odata.count"] > 10
    sim.fault(f"/graph.microsoft.com/v1.0/{DEVICES}", truncate="dead_link", count=1)
    first = graph(sim, DEVICES, token, **{"$top": "10"})
    with sim.client() as client:
        gone = client.get(
            first.json()["@odata.nextLink"], headers={"Authorization": f"Bearer {token}"}
        )
    assert gone.status_code == 404


def test_filter_by_operating_system(sim: SimTenants) -> None:
    ipads = graph(sim, DEVICES, **{"$filter": "operatingSystem eq 'iPadOS'"}).json()["value"]
    assert ipads and {d["operatingSystem"] for d in ipads} == {"iPadOS"}
    assert graph(sim, DEVICES, **{"$filter": "startswith(model,'i')"}).status_code == 400


def test_the_planted_device_problems_and_the_fixed_overlay(sim: SimTenants) -> None:
    select = "serialNumber,complianceState,isEncrypted,jailBroken,isSupervised"
    before = {
        d["serialNumber"]: d for d in graph(sim, DEVICES, **{"$select": select}).json()["value"]
    }
    unencrypted = next(p for p in PLANTED["planted"] if "device_disk_encrypted" in p["checks"])
    assert before[unencrypted["serials"][0]]["isEncrypted"] is False
    jailbroken = next(p for p in PLANTED["planted"] if "ipads_not_jailbroken" in p["checks"])
    assert before[jailbroken["serials"][0]]["jailBroken"] == "True"
    assert sim.overlay(M365, "fixed") == sorted(
        p.stem for p in (EXAMPLE_TENANTS / M365 / "fixed").glob("*.json")
    )
    after = graph(sim, DEVICES, **{"$select": select}).json()["value"]
    assert {d["complianceState"] for d in after} == {"compliant"}
    assert all(d["isEncrypted"] for d in after) and "True" not in {d["jailBroken"] for d in after}
    unplaced = next(
        p
        for p in PLANTED["planted"]
        if "devices_placed_in_a_school" in p["checks"] and p["tenant"] == M365
    )
    assert unplaced["serials"][0] not in {d["serialNumber"] for d in after}


def test_the_delivered_overlay_enrols_the_delivery_note(sim: SimTenants) -> None:
    refresh = PLANTED["refresh"]
    new = {d["serial"] for d in refresh["delivery_note"]}
    old = {d["serial"] for d in refresh["replaced"]}
    select = (
        "serialNumber,deviceCategoryDisplayName,complianceState,isEncrypted,deviceActionResults"
    )

    def devices() -> dict[str, dict[str, Any]]:
        items = graph(sim, DEVICES, **{"$select": select}).json()["value"]
        return {d["serialNumber"]: d for d in items}

    before = devices()
    assert not new & set(before) and old <= set(before)
    sim.overlay(M365, "delivered")
    after = devices()
    assert new <= set(after)
    assert all(after[s]["deviceCategoryDisplayName"] == "Riverside" for s in new)
    assert all(after[s]["complianceState"] == "compliant" and after[s]["isEncrypted"] for s in new)
    for serial in old & set(after):
        assert after[serial]["deviceActionResults"][0]["actionName"] == "wipe"
    sim.overlay(M365, "delivered_partial")
    assert set(devices()) & new == new - {refresh["never_enrolled_in_delivered_partial"]}


# --- ChromeOS (Directory API) ---------------------------------------------------------------


def test_chromeos_devices_page_with_page_tokens(sim: SimTenants) -> None:
    every = stored(GOOGLE, "chromeos_devices.json")
    items, pages = chrome_pages(sim, maxResults=20)
    assert [d["serialNumber"] for d in items] == [d["serialNumber"] for d in every]
    assert pages == -(-len(every) // 20) and len({d["deviceId"] for d in items}) == len(every)
    assert chrome_pages(sim)[1] == 1  # 100 a page by default
    too_many = chrome(sim, maxResults=301)
    assert too_many.status_code == 400 and "300" in too_many.json()["error"]["message"]


def test_projections_and_fields(sim: SimTenants) -> None:
    basic = chrome(sim, maxResults=1).json()["chromeosdevices"][0]
    assert "serialNumber" in basic and "recentUsers" not in basic
    assert "autoUpdateThrough" not in basic
    full = chrome(sim, maxResults=1, projection="FULL").json()["chromeosdevices"][0]
    assert full["autoUpdateThrough"].endswith("T00:00:00Z") and "recentUsers" in full
    fields = "nextPageToken,chromeosdevices(serialNumber,autoUpdateThrough,orgUnitPath)"
    cut = chrome(sim, maxResults=2, projection="FULL", fields=fields).json()
    assert set(cut) == {"nextPageToken", "chromeosdevices"}
    assert set(cut["chromeosdevices"][0]) == {"serialNumber", "autoUpdateThrough", "orgUnitPath"}
    assert chrome(sim, projection="SOME").status_code == 400


def test_org_unit_paths_and_children(sim: SimTenants) -> None:
    oakfield, _ = chrome_pages(sim, orgUnitPath="Devices/Oakfield")
    assert oakfield and {d["orgUnitPath"] for d in oakfield} == {"/Devices/Oakfield"}
    assert chrome_pages(sim, orgUnitPath="/Devices")[0] == []
    below, _ = chrome_pages(sim, orgUnitPath="/Devices", includeChildOrgunits="true")
    assert {d["orgUnitPath"] for d in below} == {"/Devices/Oakfield", "/Devices/St Marys"}
    by_id, _ = chrome_pages(sim, orgUnitPath="id:03ph8a2z4dv0oak")
    assert len(by_id) == len(oakfield)
    assert chrome(sim, orgUnitPath="/Devices/Nowhere").status_code == 400
    assert chrome(sim, includeChildOrgunits="true").status_code == 400


def test_one_chromeos_device(sim: SimTenants) -> None:
    first = chrome(sim, maxResults=1, projection="FULL").json()["chromeosdevices"][0]
    one = chrome(sim, path=f"{CHROMEOS}/{first['deviceId']}", projection="FULL").json()
    assert one == first
    missing = chrome(sim, path=f"{CHROMEOS}/no-such-device")
    assert missing.status_code == 404 and missing.json()["error"]["status"] == "NOT_FOUND"


def test_chromeos_needs_its_scope_and_our_customer(sim: SimTenants) -> None:
    narrow = sim.google_session(sim.google_credentials(GOOGLE, GOOGLE_SCOPES))
    answer = chrome(sim, narrow)
    error = answer.json()["error"]
    assert answer.status_code == 403 and error["errors"][0]["reason"] == "insufficientPermissions"
    assert "Chromeosdevices.List" in error["details"][0]["metadata"]["method"]
    other = chrome(sim, path="admin/directory/v1/customer/C0other99/devices/chromeos")
    assert other.status_code == 403


def test_chromeos_faults(sim: SimTenants) -> None:
    sim.fault(f"/admin.googleapis.com/{CHROMEOS}", status=429, count=1, retry_after=2)
    throttled = chrome(sim)
    assert throttled.status_code == 429
    assert throttled.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    sim.fault(f"/admin.googleapis.com/{CHROMEOS}", truncate="dead_link", count=1)
    session = chrome_session(sim)
    token = chrome(sim, session, maxResults=5).json()["nextPageToken"]
    assert chrome(sim, session, maxResults=5, pageToken=token).status_code == 404
    sim.fault(f"/admin.googleapis.com/{CHROMEOS}", truncate="drop_link", count=1)
    assert "nextPageToken" not in chrome(sim, session, maxResults=5).json()


def test_the_chromebook_batch_past_its_update_date_and_the_fixed_overlay(sim: SimTenants) -> None:
    batch_serials = next(
        p["serials"]
        for p in PLANTED["planted"]
        if "chromeos_auto_update_not_expired" in p["checks"]
    )
    before = {d["serialNumber"]: d for d in chrome_pages(sim, projection="FULL")[0]}
    assert {before[s]["autoUpdateThrough"] for s in batch_serials} == {"2026-06-01T00:00:00Z"}
    sim.overlay(GOOGLE, "fixed")
    after = {d["serialNumber"]: d for d in chrome_pages(sim, projection="FULL")[0]}
    for serial in batch_serials:
        assert after[serial]["extendedSupportEnabled"] is True
        assert after[serial]["autoUpdateThrough"] > after[serial]["extendedSupportStart"]
    assert {d["bootMode"] for d in after.values()} == {"Verified"}


# --- the benchmark's generated devices ----------------------------------------------------------


@pytest.mark.parametrize("provider", ["microsoft365", "google_workspace"])
def test_generated_devices_are_served_page_by_page(tmp_path: Path, provider: str) -> None:
    source = tmp_path / "data"
    folder = source / "big"
    folder.mkdir(parents=True)
    info: dict[str, Any] = {
        "provider": provider, "domains": ["big.example"],
        "generate": {"users": 10, "groups": 1, "devices": 2500, "seed": 3},
    }  # fmt: skip
    if provider == "microsoft365":
        info |= {"tenant_id": "11111111-2222-4333-8444-555555555555", "applications": [
            {"client_id": "66666666-7777-4888-9999-000000000000",
             "application_permissions": ["DeviceManagementManagedDevices.Read.All"]}]}  # fmt: skip
    else:
        info |= {"customer_id": "C0big0001", "service_accounts": [
            {"client_email": "scan@big.iam.gserviceaccount.com", "client_id": "1",
             "delegated_admin": "admin00000@big.example", "scopes": [CHROMEOS_SCOPE]}]}  # fmt: skip
    (folder / "tenant.json").write_text(json.dumps(info))
    with running_tenantsim(tmp_path / "sim", source=source) as sim:
        if provider == "microsoft365":
            token = sim.graph_token("big")
            first = graph(sim, DEVICES, token, **{"$select": "serialNumber"})
            items, pages = follow(sim, first, token)
            assert pages == 3
        else:
            session = sim.google_session(sim.google_credentials("big", (CHROMEOS_SCOPE,)))
            items, token, pages = [], None, 0
            while True:
                params = {"maxResults": 300, **({"pageToken": token} if token else {})}
                body = chrome(sim, session, **params).json()
                items, pages = items + body["chromeosdevices"], pages + 1
                token = body.get("nextPageToken")
                if not token:
                    break
            assert pages == 9
    assert len({d["serialNumber"] for d in items}) == 2500
