"""Generate the example trust's simulated device estates from its asset registers.

Writes, under inventories/example-trust/lab/tenants/:

* ``northfield-m365/managed_devices.json``: Intune (Microsoft Graph ``managedDevices``), every
  live Windows, iPadOS and macOS register row of the schools the Microsoft 365 tenant serves;
* ``northfield-google/chromeos_devices.json``: every live ChromeOS row of the schools the
  Google Workspace tenant serves (and the device org units in ``org_units.json``);
* the planted problems (below), the ``fixed/`` overlay (every device problem put right) and
  Riverside's summer refresh: ``delivered/`` (the delivery note's devices enrolled, the
  replaced desktops wiped and gone) and ``delivered_partial/`` (the same with one new device
  never enrolled);
* the README's device section between its ``devices:begin``/``devices:end`` markers: the
  planted problems with their serials, the refresh's serials.

Deterministic (seeded, no wall clock: times are ``{{now-…}}`` for the simulator to render).
``tests/unit/test_lab_device_data.py`` regenerates into a temporary folder and compares.
Usage: .venv/bin/python scripts/generate_lab_devices.py [TRUST_DIR] [OUT_DIR]
"""

from __future__ import annotations

import copy
import csv
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tenantsim.devices import chromeos_device, intune_device

REPO = Path(__file__).resolve().parents[1]
M365, GOOGLE = "northfield-m365", "northfield-google"
CATEGORIES = {"riverside-academy": "Riverside", "oakfield-primary": "Oakfield"}
ORG_UNITS = {"st-marys-ce-primary": "/Devices/St Marys", "oakfield-primary": "/Devices/Oakfield"}
"""Must agree with the inventory's ``devices: schools:`` of each tenant (checked when present)."""
UNIT_IDS = {"/Devices": "id:03ph8a2z4dv0000", "/Devices/St Marys": "id:03ph8a2z4dv0stm",
            "/Devices/Oakfield": "id:03ph8a2z4dv0oak", "/": "id:03ph8a2z0r00t0x"}  # fmt: skip

WINDOWS = {  # register (os, os_version) -> the OS build and revision Intune reports
    ("Windows 11 Education", "24H2"): "10.0.26100.9168",  # KB5121003, 2026-08-11
    ("Windows 11 Education", "23H2"): "10.0.22631.7517",  # KB5120240, 2026-08-11
    ("Windows 10 Education", "22H2"): "10.0.19045.6456",  # KB5066791, its last before 2025-10-14
}
"""The newest security updates of src/matops/facts/data/devices/windows_releases.yml (as_of
2026-08-12) when this data was made; Windows 10 without paid Extended Security Updates stops
at its last update before end of support."""
WINDOWS10_ESU = "10.0.19045.7663"  # KB5120249, 2026-08-11: Extended Security Updates
"""Windows 10 in ``fixed/``: kept up to date with paid Extended Security Updates (which the
trust declares as ``windows10_esu_until``), rather than upgraded and so disagreeing with the
register's Windows 10."""
WINDOWS_BEHIND = "10.0.26100.6899"  # KB5066835, 2025-10-14: ten months of updates missing
IPADOS = {"17.7": "17.7.11", "18.7": "18.7.10", "26.6": "26.6.1"}
"""Register iPadOS line -> the newest release of that line in ipados.yml (as_of 2026-08-18)."""
IPADOS_BEHIND = "26.4"
CHROMEOS = ("142.0.7444.181", "16404.45.0")
CHROMEOS_EXPIRED = ("138.0.7204.168", "16295.54.0")  # what the batch past its AUE stays on
MAKERS = {"Dell": "Dell Inc.", "Lenovo": "LENOVO", "HP": "HP", "Apple": "Apple"}
REFRESH_MODEL = ("Dell Inc.", "OptiPlex Micro 7020")
"""How Intune reports the delivery note's Dell OptiPlex Micro 7020."""
SERIAL_CHARS = "BCDFGHJKLMNPQRSTVWXZ0123456789"


@dataclass
class Row:
    """One register row (the columns this generator reads)."""

    school: str
    tag: str
    kind: str
    model: str
    serial: str
    purchased: str
    os: str
    os_version: str
    end_of_support: str
    disposed: str

    @property
    def family(self) -> str:
        return self.os.split()[0] if self.os else ""


@dataclass
class Estate:
    """The generated devices and what was planted, by tenant."""

    intune: list[dict[str, Any]] = field(default_factory=list)
    chromeos: list[dict[str, Any]] = field(default_factory=list)
    planted: list[tuple[str, list[str], str, str]] = field(
        default_factory=list
    )  # tenant, serials, what, checks
    fixed_intune: list[dict[str, Any]] = field(default_factory=list)
    fixed_chromeos: list[dict[str, Any]] = field(default_factory=list)
    delivered: list[dict[str, Any]] = field(default_factory=list)
    delivered_partial: list[dict[str, Any]] = field(default_factory=list)
    replaced: list[Row] = field(default_factory=list)
    delivery: list[tuple[str, str]] = field(default_factory=list)  # serial, model


def read_registers(trust: Path) -> list[Row]:
    rows = []
    for path in sorted((trust / "assets").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for raw in csv.DictReader(handle):
                rows.append(Row(
                    path.stem, raw["asset_tag"], raw["type"], raw["model"], raw["serial"],
                    raw["purchase_date"], raw["os"], raw["os_version"], raw["end_of_support"],
                    raw.get("disposed_date", "") or "",
                ))  # fmt: skip
    return rows


def check_inventory(trust: Path) -> None:
    """The categories and org units used here must be the inventory's, when it declares them."""
    import yaml

    settings = yaml.safe_load((trust / "group_vars" / "all.yml").read_text(encoding="utf-8"))
    for tenant in settings["trust"].get("tenants", []):
        declared = (tenant.get("devices") or {}).get("schools")
        wanted = CATEGORIES if tenant["name"] == M365 else ORG_UNITS
        if declared is not None and declared != wanted:
            raise SystemExit(f"{tenant['name']}: the inventory places devices by {declared}, "
                             f"this generator by {wanted}")  # fmt: skip


def maker_and_model(register_model: str) -> tuple[str, str]:
    """The manufacturer and model as the device's firmware reports them to Intune.

    >>> maker_and_model("Dell Latitude 3510"), maker_and_model("HP ProBook 450 G6")
    (('Dell Inc.', 'Latitude 3510'), ('HP', 'HP ProBook 450 G6'))
    """
    brand, _, rest = register_model.partition(" ")
    maker = MAKERS.get(brand, brand)
    return maker, register_model if brand == "HP" else rest


def serial(rng: random.Random, length: int, taken: set[str]) -> str:
    while True:
        made = "".join(rng.choice(SERIAL_CHARS) for _ in range(length))
        if made not in taken:
            taken.add(made)
            return made


def synced(rng: random.Random) -> str:
    return f"{{{{now-{rng.randint(1, 70)}h}}}}"


def enrolled(row: Row, provider: str = "microsoft365") -> str:
    day = date.fromisoformat(row.purchased) + timedelta(days=4)
    return f"{day}T09:{len(row.serial) * 3:02d}:00" + (
        ".000Z" if provider != "microsoft365" else "Z"
    )


def intune_of(rng: random.Random, row: Row, category: str, **overrides: Any) -> dict[str, Any]:
    maker, model = maker_and_model(row.model)
    system = row.family if row.family != "Windows" else "Windows"
    version = WINDOWS[(row.os, row.os_version)] if system == "Windows" else row.os_version
    if system == "iPadOS":
        version = IPADOS.get(row.os_version, row.os_version)
    protection = overrides.pop("protection", None)
    device = intune_device(
        rng, serial=row.serial, model=model, manufacturer=maker, operating_system=system,
        os_version=version, category=category, name=row.tag, enrolled=enrolled(row),
        last_sync=synced(rng), protection=protection,
    )  # fmt: skip
    device.update(overrides)
    return device


def chromeos_of(rng: random.Random, row: Row, unit: str, **overrides: Any) -> dict[str, Any]:
    return chromeos_device(
        rng, serial=row.serial, model=row.model, os_version=CHROMEOS[0],
        platform_version=CHROMEOS[1], org_unit_path=unit, org_unit_id=UNIT_IDS[unit],
        last_sync=synced(rng), enrolled=enrolled(row, "google"),
        auto_update_through=row.end_of_support, annotatedAssetId=row.tag,
        recent_user=f"pupil{rng.randint(1000, 9999)}@pupils.northfield.example", **overrides,
    )  # fmt: skip


def live(rows: list[Row], school: str, model: str) -> list[Row]:
    """The school's live rows of this model that have a serial."""
    return [r for r in rows if r.school == school and r.model == model and not r.disposed
            and r.serial]  # fmt: skip


def fill_serials(rng: random.Random, rows: list[Row], estate: Estate, taken: set[str]) -> list[Row]:
    """Rows as the planes see them: a register row without a serial is a device that has one
    (planted: the plane knows it by a serial the register lacks, and by its asset tag)."""
    seen = []
    for row in rows:
        if not row.serial and row.family in ("Windows", "iPadOS", "macOS", "ChromeOS"):
            tenant = GOOGLE if row.family == "ChromeOS" else M365
            if (tenant == M365 and row.school in CATEGORIES) or (
                tenant == GOOGLE and row.school in ORG_UNITS
            ):
                made = serial(rng, 10 if row.model.startswith(("HP", "Apple")) else 8, taken)
                known_as = "annotatedAssetId" if tenant == GOOGLE else "deviceName"
                what = (
                    f"register row {row.tag} has no serial; the device is enrolled as {made}"
                    f" ({known_as} {row.tag}); register_devices_managed fails on the row,"
                    " which has no serial to match"
                )
                checks = "managed_devices_in_register"
                estate.planted.append((tenant, [made], what, checks))
                row = Row(**{**row.__dict__, "serial": made})
        seen.append(row)
    return seen


def build(rows: list[Row], replaced: list[Row], delivery: list[tuple[str, str]]) -> Estate:
    rng = random.Random(20261205)  # noqa: S311 - made-up example data, not secrets
    taken = {r.serial for r in rows}
    estate = Estate(replaced=replaced, delivery=delivery)
    plants: dict[str, dict[str, Any]] = {}  # serial -> overrides (Intune) or fields (Google)
    protect: dict[str, dict[str, Any]] = {}

    def plant(tenant: str, serials: str | list[str], what: str, checks: str) -> None:
        estate.planted.append(
            (tenant, [serials] if isinstance(serials, str) else serials, what, checks)
        )

    riv_e14 = live(rows, "riverside-academy", "Lenovo ThinkPad E14 Gen 6")
    plants[riv_e14[0].serial] = {"lastSyncDateTime": "{{now-75d}}"}
    protect[riv_e14[0].serial] = {"lastReportedDateTime": "{{now-75d}}"}
    plant(
        M365,
        riv_e14[0].serial,
        "stale laptop: last check-in 75 days ago (its Defender report as old)",
        "device_checked_in_recently; error: malware_signatures_current",
    )
    protect[riv_e14[1].serial] = {"realTimeProtectionEnabled": False}
    plant(
        M365,
        riv_e14[1].serial,
        "Defender real-time protection off",
        "malware_protection_real_time_on",
    )
    plants[riv_e14[2].serial] = {"complianceState": "noncompliant"}
    plant(
        M365, riv_e14[2].serial, "noncompliant (complianceState noncompliant)", "device_compliant"
    )
    plants[riv_e14[3].serial] = {"complianceState": "unknown"}
    plant(
        M365,
        riv_e14[3].serial,
        "no compliance policy evaluated (complianceState unknown)",
        "device_compliance_policy_assigned",
    )
    mismatch = live(rows, "riverside-academy", "Dell OptiPlex 3000 Micro")[0]
    plants[mismatch.serial] = {"model": "OptiPlex 7010 Micro"}
    plant(
        M365,
        mismatch.serial,
        "model disagrees: register Dell OptiPlex 3000 Micro, Intune OptiPlex 7010 Micro",
        "device_details_match_register",
    )
    behind = live(rows, "riverside-academy", "Dell OptiPlex 3000 Micro")[1]
    plants[behind.serial] = {"osVersion": WINDOWS_BEHIND}
    plant(
        M365,
        behind.serial,
        f"Windows 11 24H2 at {WINDOWS_BEHIND} (October 2025): security updates not installed",
        "windows_security_updates_within_14_days",
    )
    ipad_behind = live(rows, "riverside-academy", "Apple iPad (9th generation)")[0]
    plants[ipad_behind.serial] = {"osVersion": IPADOS_BEHIND}
    plant(
        M365,
        ipad_behind.serial,
        f"iPad on iPadOS {IPADOS_BEHIND} while {IPADOS['26.6']} is out",
        "ipados_updates_within_14_days",
    )
    ipad = live(rows, "riverside-academy", "Apple iPad (7th generation)")[0]
    plants[ipad.serial] = {"jailBroken": "True", "complianceState": "noncompliant"}
    plant(
        M365,
        ipad.serial,
        'jailbroken iPad (jailBroken "True", so noncompliant too)',
        "ipads_not_jailbroken, device_compliant",
    )
    oak_e14 = live(rows, "oakfield-primary", "Lenovo ThinkPad E14 Gen 5")
    plants[oak_e14[0].serial] = {"isEncrypted": False, "complianceState": "noncompliant"}
    plant(
        M365,
        oak_e14[0].serial,
        "not encrypted (BitLocker off, so noncompliant too)",
        "device_disk_encrypted, device_compliant",
    )
    protect[oak_e14[1].serial] = {
        "signatureUpdateOverdue": True,
        "productStatus": "avSignaturesOutOfDate",
        "signatureVersion": "1.421.118.0",
        "lastQuickScanSignatureVersion": "1.421.118.0",
    }
    plant(
        M365,
        oak_e14[1].serial,
        "Defender signatures out of date (signatureUpdateOverdue)",
        "malware_signatures_current",
    )
    oak_ipad = live(rows, "oakfield-primary", "Apple iPad (6th generation)")[0]
    plants[oak_ipad.serial] = {"isSupervised": False}
    plant(M365, oak_ipad.serial, "iPad not supervised", "ipads_supervised")
    old_ipads = [r.serial for r in live(rows, "oakfield-primary", "Apple iPad (6th generation)")]
    what = f"iPads (6th generation) on iPadOS {IPADOS['17.7']}, the last major this model runs"
    plant(M365, old_ipads, what, "ipados_version_supported")

    disposed = next(r for r in rows if r.school == "riverside-academy" and r.disposed
                    and r.model == "Dell Latitude 3510")  # fmt: skip
    plant(
        M365,
        disposed.serial,
        f"disposed {disposed.disposed} in the register, still enrolled and checking in",
        "disposed_devices_not_enrolled, managed_devices_in_register",
    )
    filled = fill_serials(rng, rows, estate, taken)
    for row in filled:
        if row.family == "ChromeOS" or (row.disposed and row.serial != disposed.serial):
            continue
        if row.family in ("Windows", "iPadOS", "macOS") and row.school in CATEGORIES:
            protection = protect.get(row.serial)
            device = intune_of(rng, row, CATEGORIES[row.school], protection=protection,
                               **plants.get(row.serial, {}))  # fmt: skip
            estate.intune.append(device)
    for school in CATEGORIES:
        for os_name, version in (
            ("Windows 10 Education", "22H2"),
            ("Windows 11 Education", "23H2"),
        ):
            old = [r for r in filled if r.school == school and not r.disposed
                   and (r.os, r.os_version) == (os_name, version)]  # fmt: skip
            if old:
                what = f"{os_name} {version} at {school}: servicing ended {old[0].end_of_support}"
                plant(M365, [r.serial for r in old], what, "windows_release_in_support")

    extra_laptop = serial(rng, 8, taken)
    estate.intune.append(intune_device(
        rng, serial=extra_laptop, model="ThinkPad E14 Gen 6", manufacturer="LENOVO",
        operating_system="Windows", os_version=WINDOWS[("Windows 11 Education", "24H2")],
        category="Riverside", name="DESKTOP-7QK2M4F", enrolled="2026-10-02T10:14:00Z",
        last_sync="{{now-5h}}",
    ))  # fmt: skip
    plant(
        M365,
        extra_laptop,
        "in Intune (category Riverside) but in no register",
        "managed_devices_in_register",
    )
    phone = serial(rng, 12, taken)
    estate.intune.append(intune_device(
        rng, serial=phone, model="iPhone 15", manufacturer="Apple", operating_system="iOS",
        os_version="26.1", category="Riverside", name="iPhone", enrolled="2026-09-08T07:40:00Z",
        last_sync="{{now-9h}}", managedDeviceOwnerType="personal",
        deviceEnrollmentType="userEnrollment", userPrincipalName="j.whitfield@northfield.example",
        userDisplayName="Jess Whitfield", emailAddress="j.whitfield@northfield.example",
    ))  # fmt: skip
    plant(
        M365,
        phone,
        "personally owned iPhone with access to staff data (category Riverside, in no register)",
        "personal_devices_blocked, managed_devices_in_register",
    )
    stray = serial(rng, 12, taken)
    estate.intune.append(intune_device(
        rng, serial=stray, model="iPad (10th generation)", manufacturer="Apple",
        operating_system="iPadOS", os_version="26.6", category="Unknown", name="iPad",
        enrolled="2026-11-12T13:05:00Z", last_sync="{{now-20h}}",
    ))  # fmt: skip
    plant(
        M365,
        stray,
        'no category ("Unknown") and in no register: unplaced',
        "devices_placed_in_a_school",
    )

    estate.fixed_intune = fixed_intune(estate.intune, {extra_laptop, phone, stray, disposed.serial})
    refresh(rng, estate, taken)
    chromebooks(rng, filled, estate, taken)
    return estate


def fixed_intune(devices: list[dict[str, Any]], remove: set[str]) -> list[dict[str, Any]]:
    """Every device problem put right; devices in no register (or disposed) unenrolled."""
    newest = WINDOWS[("Windows 11 Education", "24H2")]
    fixed = []
    for device in copy.deepcopy(devices):
        if device["serialNumber"] in remove:
            continue
        device.update(complianceState="compliant", isEncrypted=True, lastSyncDateTime="{{now-3h}}")
        if device["operatingSystem"] == "Windows":
            old_windows = device["osVersion"].startswith("10.0.19045.")
            device["osVersion"] = WINDOWS10_ESU if old_windows else newest
            state = device["windowsProtectionState"]
            state.update(realTimeProtectionEnabled=True, signatureUpdateOverdue=False,
                         productStatus="noStatus", signatureVersion="1.443.512.0",
                         lastReportedDateTime="{{now-3h}}")  # fmt: skip
        if device["operatingSystem"] == "iPadOS":
            device.update(isSupervised=True, jailBroken="False")
            if device["osVersion"] == IPADOS_BEHIND:
                device["osVersion"] = IPADOS["26.6"]
        if device["model"] == "OptiPlex 7010 Micro":
            device["model"] = "OptiPlex 3000 Micro"
        fixed.append(device)
    return fixed


def read_refresh(trust: Path, rows: list[Row]) -> tuple[list[Row], list[tuple[str, str]]]:
    """Riverside's refresh plan (``refresh/riverside-academy.yml``, the refresh helper's): the
    register rows it replaces and the serials and descriptions of its delivery notes."""
    import yaml

    plan_path = trust / "refresh" / "riverside-academy.yml"
    plan = yaml.safe_load(plan_path.read_text(encoding="utf-8"))
    by_tag = {r.tag: r for r in rows}
    replaced = [by_tag[tag] for tag in plan["replaces"]]
    delivery: list[tuple[str, str]] = []
    for note in plan["delivery_notes"]:
        with (plan_path.parent / note).open(newline="", encoding="utf-8") as handle:
            lines = list(csv.reader(handle))
        start = next(n for n, line in enumerate(lines) if "Serial Numbers" in line)
        header = lines[start]
        for line in lines[start + 1 :]:
            cells = dict(zip(header, line, strict=False))
            for made in (cells.get("Serial Numbers") or "").split(";"):
                if made.strip():
                    delivery.append((made.strip(), cells["Description"]))
    return replaced, delivery


def refresh(rng: random.Random, estate: Estate, taken: set[str]) -> None:
    """Riverside's summer refresh: the plan's rows replaced by the delivery note's devices.

    ``delivered``: every new device enrolled and healthy; the first three replaced desktops
    still listed with a completed wipe (``deviceActionResults``), the others deleted from
    Intune. ``delivered_partial``: the same without the last new device."""
    gone = {r.serial for r in estate.replaced}
    taken |= {made for made, _ in estate.delivery}
    new = []
    for number, (made, _description) in enumerate(estate.delivery, start=1):
        new.append(intune_device(
            rng, serial=made, model=REFRESH_MODEL[1], manufacturer=REFRESH_MODEL[0],
            operating_system="Windows", os_version=WINDOWS[("Windows 11 Education", "24H2")],
            category="Riverside", name=f"RIV-NEW-{number:03d}", enrolled="{{now-6d}}",
            last_sync=synced(rng),
        ))  # fmt: skip
    wiped = [r.serial for r in estate.replaced[:3]]
    kept = []
    for device in copy.deepcopy(estate.intune):
        if device["serialNumber"] in wiped:
            when = "{{now-9d}}"
            action = {"actionName": "wipe", "actionState": "done",
                      "startDateTime": when, "lastUpdatedDateTime": when}  # fmt: skip
            device.update(deviceActionResults=[action], lastSyncDateTime="{{now-9d}}")
        elif device["serialNumber"] in gone:
            continue
        kept.append(device)
    estate.delivered = kept + new
    estate.delivered_partial = kept + new[:-1]


def chromebooks(rng: random.Random, rows: list[Row], estate: Estate, taken: set[str]) -> None:
    stm = live(rows, "st-marys-ce-primary", "Lenovo 100e Chromebook Gen 3")
    expired = {r.serial for r in stm[:8]}
    stale, dev_mode = stm[8].serial, stm[9].serial
    estate.planted.append(
        (
            GOOGLE,
            [r.serial for r in stm[:8]],
            "batch past its Auto Update Expiration (autoUpdateThrough 2026-06-01, still on"
            " ChromeOS 138; the register says 2029-06-01)",
            "chromeos_auto_update_not_expired",
        )
    )
    estate.planted.append(
        (GOOGLE, [stale], "stale Chromebook: last sync 60 days ago", "device_checked_in_recently")
    )
    estate.planted.append(
        (GOOGLE, [dev_mode], "booted in developer mode (bootMode Dev)", "chromebooks_verified_boot")
    )
    for row in rows:
        if row.family != "ChromeOS" or row.school not in ORG_UNITS or row.disposed:
            continue
        extra: dict[str, Any] = {}
        if row.serial in expired:
            extra = {
                "osVersion": CHROMEOS_EXPIRED[0],
                "platformVersion": CHROMEOS_EXPIRED[1],
                "autoUpdateThrough": "2026-06-01T00:00:00Z",
                "autoUpdateExpiration": "1780272000000",
                "osVersionCompliance": "notCompliant",
            }
        elif row.serial == stale:
            extra = {"lastSync": "{{now-60d}}"}
        elif row.serial == dev_mode:
            extra = {"bootMode": "Dev"}
        estate.chromeos.append(chromeos_of(rng, row, ORG_UNITS[row.school], **extra))
    unregistered, unplaced = serial(rng, 8, taken), serial(rng, 8, taken)
    for made, unit in ((unregistered, "/Devices/Oakfield"), (unplaced, "/")):
        estate.chromeos.append(chromeos_device(
            rng, serial=made, model="Lenovo 300e Chromebook Gen 3", os_version=CHROMEOS[0],
            platform_version=CHROMEOS[1], org_unit_path=unit, org_unit_id=UNIT_IDS[unit],
            last_sync="{{now-1d}}", enrolled="2026-09-03T08:30:00.000Z",
            auto_update_through="2030-06-01",
        ))  # fmt: skip
    estate.planted.append(
        (
            GOOGLE,
            [unregistered],
            "in /Devices/Oakfield but in no register",
            "managed_devices_in_register",
        )
    )
    estate.planted.append(
        (
            GOOGLE,
            [unplaced],
            "in the root org unit / and in no register: unplaced",
            "devices_placed_in_a_school",
        )
    )
    fixed = []
    for device in copy.deepcopy(estate.chromeos):
        if device["serialNumber"] in (unregistered, unplaced):
            continue
        device.update(lastSync="{{now-2h}}", bootMode="Verified")
        if device["serialNumber"] in expired:
            device.update(extendedSupportEligible=True, extendedSupportEnabled=True,
                          extendedSupportStart="2026-06-01T00:00:00Z",
                          autoUpdateThrough="2031-06-01T00:00:00Z",
                          autoUpdateExpiration="1938038400000", osVersion=CHROMEOS[0],
                          platformVersion=CHROMEOS[1], osVersionCompliance="compliant")  # fmt: skip
        fixed.append(device)
    estate.fixed_chromeos = fixed


def device_units() -> list[dict[str, Any]]:
    return [
        {"kind": "admin#directory#orgUnit", "etag": f'"ou-{UNIT_IDS[path][3:]}"',
         "name": path.rsplit("/", 1)[1], "description": "Chromebooks" if path != "/Devices" else "Managed devices",  # noqa: E501
         "orgUnitPath": path, "orgUnitId": UNIT_IDS[path],
         "parentOrgUnitPath": path.rsplit("/", 1)[0] or "/",
         "parentOrgUnitId": UNIT_IDS[path.rsplit("/", 1)[0] or "/"], "blockInheritance": False}
        for path in ("/Devices", "/Devices/St Marys", "/Devices/Oakfield")
    ]  # fmt: skip


def readme_section(estate: Estate) -> str:
    lines = [
        "<!-- devices:begin (written by scripts/generate_lab_devices.py; do not edit) -->",
        "### Planted device problems",
        "",
        "| tenant | serial | problem | check(s) expected to fail (and to be errors) |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {t} | {', '.join(f'`{s}`' for s in ss)} | {w} | {c} |" for t, ss, w, c in estate.planted
    ]
    lines += [
        "",
        "### Riverside's summer refresh (`delivered/`, `delivered_partial/`)",
        "",
        "From `../../refresh/riverside-academy.yml` and its delivery note (the refresh plan's"
        " files, read by the generator). Replaced, the register rows (asset tag, serial):",
        "",
        ", ".join(f"{r.tag} `{r.serial}`" for r in estate.replaced),
        "",
        f"Delivery note ({len(estate.delivery)} devices, serials in order): "
        + ", ".join(f"`{s}`" for s, _ in estate.delivery),
        "",
        "In `delivered/` every new device is enrolled (category Riverside, compliant, encrypted,"
        f" Windows 11 24H2, model {REFRESH_MODEL[1]} by {REFRESH_MODEL[0]}); of the replaced"
        " desktops the first three are still listed with a completed wipe (`deviceActionResults`"
        " `wipe`/`done`: "
        + ", ".join(f"`{r.serial}`" for r in estate.replaced[:3])
        + ") and the others are deleted from Intune. `delivered_partial/` is the same without the"
        f" last new device (`{estate.delivery[-1][0]}`), never enrolled. Both leave every other"
        " device (and every planted problem) as it is.",
        "<!-- devices:end -->",
    ]
    return "\n".join(lines)


def split_checks(text: str) -> tuple[list[str], list[str]]:
    """``"a, b; error: c"`` as the checks expected to fail and those expected to be errors.

    >>> split_checks("device_compliant; error: malware_signatures_current")
    (['device_compliant'], ['malware_signatures_current'])
    """
    fails, _, errors = text.partition("; error:")
    names = [c.strip() for c in fails.split(",") if c.strip()]
    return names, [c.strip() for c in errors.split(",") if c.strip()]


def write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write(estate: Estate, source: Path, out: Path) -> None:
    """Write the estate's files into ``out`` (a copy of ``source``'s tenants folder or itself)."""
    write_json(out / M365 / "managed_devices.json", estate.intune)
    write_json(out / M365 / "fixed" / "managed_devices.json", estate.fixed_intune)
    write_json(out / M365 / "delivered" / "managed_devices.json", estate.delivered)
    write_json(out / M365 / "delivered_partial" / "managed_devices.json", estate.delivered_partial)
    write_json(out / GOOGLE / "chromeos_devices.json", estate.chromeos)
    write_json(out / "planted_devices.json", {
        "planted": [{"tenant": t, "serials": ss, "problem": w,
                     "checks": split_checks(checks)[0], "errors": split_checks(checks)[1]}
                    for t, ss, w, checks in estate.planted],
        "refresh": {"school": "riverside-academy",
                    "replaced": [{"asset_tag": r.tag, "serial": r.serial} for r in estate.replaced],
                    "delivery_note": [{"serial": s, "model": m} for s, m in estate.delivery],
                    "never_enrolled_in_delivered_partial": estate.delivery[-1][0]},
    })  # fmt: skip
    write_json(out / GOOGLE / "fixed" / "chromeos_devices.json", estate.fixed_chromeos)
    units = json.loads((source / GOOGLE / "org_units.json").read_text(encoding="utf-8"))
    units = [u for u in units if not str(u["orgUnitPath"]).startswith("/Devices")]
    write_json(out / GOOGLE / "org_units.json", units + device_units())
    readme = (source / "README.md").read_text(encoding="utf-8")
    begin, end = readme.find("<!-- devices:begin"), readme.find("<!-- devices:end -->")
    if begin < 0 or end < 0:
        raise SystemExit(f"{source / 'README.md'}: no devices:begin/devices:end markers")
    section = readme_section(estate)
    readme = readme[:begin] + section + readme[end + len("<!-- devices:end -->") :]
    (out / "README.md").write_text(readme, encoding="utf-8")


def main(argv: list[str]) -> int:
    trust = Path(argv[1]) if len(argv) > 1 else REPO / "inventories" / "example-trust"
    source = trust / "lab" / "tenants"
    out = Path(argv[2]) if len(argv) > 2 else source
    check_inventory(trust)
    rows = read_registers(trust)
    write(build(rows, *read_refresh(trust, rows)), source, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
