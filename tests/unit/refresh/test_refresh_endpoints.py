"""The endpoint refresh judged from data: the example trust's Riverside plan against device
records as the tenant facts give them, and the register, before and after the summer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from matops.facts.tenant.devices import DeviceOs, ManagedDevice, SchoolDevices
from matops.inventory import load_trust
from matops.inventory.model import Asset, AssetType
from matops.refresh.endpoint_plan import EndpointPlan, load_plan, plan_path
from matops.refresh.endpoints import (
    EndpointReport,
    ItemState,
    Register,
    TenantDevices,
    judge,
    register_of,
)
from matops.refresh.signoff import render_record
from tests.conftest import EXAMPLE_TRUST

TRUST = load_trust(EXAMPLE_TRUST)
SCHOOL = "riverside-academy"
PLAN = load_plan(plan_path(EXAMPLE_TRUST, SCHOOL), TRUST)
WHEN = datetime(2026, 8, 28, 9, tzinfo=UTC)


def device(serial: str, **changes: Any) -> ManagedDevice:
    """A healthy Intune Windows device placed at Riverside by its category."""
    fields: dict[str, Any] = {
        "plane": "intune",
        "id": f"id-{serial}",
        "serial": serial,
        "model": "OptiPlex Micro 7020",
        "manufacturer": "Dell Inc.",
        "os": DeviceOs.WINDOWS,
        "os_version": "10.0.26100.4946",
        "school": SCHOOL,
        "placed_by": "category",
        "ownership": "company",
        "state": "active",
        "compliance": "compliant",
        "encrypted": True,
        "supervised": None,
        "jailbroken": None,
        "last_sync": WHEN,
        "enrolled": WHEN,
        "protection": None,
        "auto_update_through": None,
        "extended_updates_until": None,
        "category": "Riverside",
    }
    return ManagedDevice.model_validate(fields | changes)


def tenant(
    here: list[ManagedDevice], unplaced: Sequence[ManagedDevice] = (), **other: Any
) -> TenantDevices:
    schools = [
        SchoolDevices(
            school=SCHOOL,
            tenant="northfield-m365",
            plane="intune",
            devices=here,
            unplaced=list(unplaced),
        )
    ]
    for school, devices in other.items():
        schools.append(
            SchoolDevices(
                school=school.replace("_", "-"),
                tenant="northfield-m365",
                plane="intune",
                devices=devices,
                unplaced=list(unplaced),
            )
        )
    return TenantDevices("northfield-m365", "intune", schools)


NEW = [d.serial for d in PLAN.new]
OLD = [r.asset.serial or "" for r in PLAN.replaced]


def before() -> TenantDevices:
    """The start of the summer: the old desktops enrolled, the new ones not yet."""
    return tenant([device(s, model="OptiPlex 3050", os_version="10.0.19045.6332") for s in OLD])


def after(leave_out: str | None = None) -> TenantDevices:
    """The delivery done: new devices enrolled and compliant, old ones retired or wiped."""
    new = [device(s) for s in NEW if s != leave_out]
    old = [device(s, state="retired" if i % 2 else "wiped") for i, s in enumerate(OLD)]
    return tenant([*new, *old])


def register_after(plan: EndpointPlan = PLAN) -> Register:
    """Riverside's register with the old rows disposed (with certificates) and the new added."""
    replaced = {r.asset.asset_tag for r in plan.replaced}
    rows = []
    for asset in TRUST.school(SCHOOL).assets:
        if asset.asset_tag in replaced:
            asset = asset.model_copy(
                update={"disposed_date": date(2026, 8, 20), "disposal_ref": "CDD-2026-0815"}
            )
        rows.append(asset)
    for n, d in enumerate(plan.new, start=900):
        rows.append(
            Asset(
                asset_tag=f"MLT-RIV-00{n}",
                type=AssetType.DESKTOP,
                model=d.model,
                serial=d.serial,
                location="IT suite 2",
            )
        )
    schools = [(s.id, s.assets) for s in TRUST.schools if s.id != SCHOOL]
    return register_of([*schools, (SCHOOL, rows)])


REGISTER_BEFORE = register_of((s.id, s.assets) for s in TRUST.schools)


def _outstanding(report: EndpointReport) -> dict[str, set[str]]:
    return {d.serial or "": {i.what for i in d.outstanding} for d in report.outstanding}


def test_before_the_summer_every_device_is_outstanding() -> None:
    report = judge(PLAN, [before()], REGISTER_BEFORE)
    assert len(report.devices) == 50 and not report.problems
    outstanding = _outstanding(report)
    assert set(outstanding) == set(NEW) | set(OLD)
    for serial in NEW:
        assert outstanding[serial] == {
            "enrolled",
            "in the school's category or org unit",
            "compliant",
            "encrypted",
            "in the register",
        }
    for serial in OLD:
        assert outstanding[serial] == {
            "retired or wiped in management",
            "marked disposed in the register",
            "disposal evidence",
        }
    old = next(d for d in report.devices if d.role == "replaced")
    retired = next(i for i in old.items if i.what == "retired or wiped in management")
    assert retired.detail == "still active in northfield-m365 (Intune): retire and wipe it"
    assert not report.complete
    assert (
        report.summary() == "0 of 50 device(s) accounted for (25 new, 25 replaced); 50 outstanding"
    )


def test_after_the_delivery_every_device_is_accounted_for() -> None:
    report = judge(PLAN, [after()], register_after())
    assert _outstanding(report) == {}
    assert report.complete
    new = next(d for d in report.devices if d.role == "new")
    assert new.order_ref == "PO-RIV-2026-014"
    assert new.source.endswith("riverside-academy-delivery.csv:6")
    assert [(i.what, i.state.value) for i in new.items] == [
        ("enrolled", "done"),
        ("in the school's category or org unit", "done"),
        ("compliant", "done"),
        ("encrypted", "done"),
        ("in the register", "done"),
    ]
    old = next(d for d in report.devices if d.role == "replaced")
    assert old.asset_tag == "MLT-RIV-00133"
    assert [i.detail for i in old.items] == [
        "wiped in northfield-m365 (Intune)",
        "disposed 2026-08-20",
        "CDD-2026-0815",
    ]


def test_one_device_left_out_of_the_delivery_is_the_one_outstanding() -> None:
    missing = NEW[5]
    report = judge(PLAN, [after(leave_out=missing)], register_after())
    assert _outstanding(report) == {
        missing: {"enrolled", "in the school's category or org unit", "compliant", "encrypted"}
    }
    (left,) = report.outstanding
    assert left.items[0].detail == "not enrolled in northfield-m365 (Intune)"


def test_what_a_technician_can_still_get_wrong_is_outstanding() -> None:
    new, old = NEW[:6], OLD[:4]
    devices = [
        device(new[0], compliance="noncompliant"),
        device(new[1], encrypted=False),
        device(new[2], encrypted=None, compliance=None),
        device(new[3], category="Oakfield", placed_by="register"),
        device(new[4], state="pending"),
        device(OLD[0], state="pending"),
        device(OLD[1], state="disabled"),
        *[device(s) for s in NEW[6:]],
        *[device(s, state="retired") for s in OLD[4:]],
    ]
    wrong_school = device(new[5], school="oakfield-primary", category="Oakfield")
    report = judge(PLAN, [tenant(devices, oakfield_primary=[wrong_school])], register_after())
    details = {
        d.serial: {i.what: (i.state.value, i.detail) for i in d.outstanding}
        for d in report.outstanding
    }
    assert details == {
        new[0]: {"compliant": ("outstanding", "noncompliant")},
        new[1]: {"encrypted": ("outstanding", "not encrypted")},
        new[2]: {
            "compliant": ("not_seen", "not reported"),
            "encrypted": ("not_seen", "not reported"),
        },
        new[3]: {
            "in the school's category or org unit": (
                "outstanding",
                "category 'Oakfield' is not this school's (placed here by the register only)",
            )
        },
        new[4]: {"enrolled": ("outstanding", "in northfield-m365 (Intune) but pending")},
        new[5]: {
            "in the school's category or org unit": (
                "outstanding",
                "category 'Oakfield' is oakfield-primary's",
            )
        },
        OLD[0]: {
            "retired or wiped in management": (
                "outstanding",
                "still pending in northfield-m365 (Intune): retire and wipe it",
            )
        },
        OLD[1]: {
            "retired or wiped in management": (
                "outstanding",
                "still disabled in northfield-m365 (Intune): retire and wipe it",
            )
        },
    }
    assert old  # the remaining replaced devices (retired) are accounted for


def test_a_device_that_could_not_be_read_is_never_accounted_for() -> None:
    broken = TenantDevices(
        "northfield-m365", "intune", error="HTTP 403: needs DeviceManagementManagedDevices.Read.All"
    )
    report = judge(PLAN, [broken], register_after())
    assert len(report.outstanding) == 50
    states = {i.state for d in report.devices for i in d.outstanding}
    assert states == {ItemState.NOT_SEEN}
    needs = "needs DeviceManagementManagedDevices.Read.All"
    assert report.tenants == [f"northfield-m365 (Intune): not read: HTTP 403: {needs}"]
    assert report.summary().endswith("; 50 outstanding; devices not read from northfield-m365")
    no_block = judge(PLAN, [], register_after())
    assert len(no_block.outstanding) == 50


def test_a_replaced_device_gone_from_management_counts_once_disposed_with_evidence() -> None:
    report = judge(PLAN, [tenant([device(s) for s in NEW])], register_after())
    assert report.complete
    old = next(d for d in report.devices if d.role == "replaced")
    assert old.items[0].detail.startswith("no longer in management")


def test_register_rows_of_new_devices_must_be_this_schools_and_live() -> None:
    register = register_after()
    rows = dict(register.rows)
    moved = [a for a in rows[SCHOOL] if a.serial != NEW[0]]
    disposed = [
        a.model_copy(update={"disposed_date": date(2026, 8, 1)}) if a.serial == NEW[1] else a
        for a in moved
    ]
    oak = [
        *rows["oakfield-primary"],
        Asset(asset_tag="MLT-OAK-09999", type=AssetType.DESKTOP, model="x", serial=NEW[0]),
    ]
    report = judge(PLAN, [after()], Register({**rows, SCHOOL: disposed, "oakfield-primary": oak}))
    details = {d.serial: [i.detail for i in d.outstanding] for d in report.outstanding}
    assert details == {
        NEW[0]: ["in oakfield-primary's register (MLT-OAK-09999), not this school's"],
        NEW[1]: [f"{next(a.asset_tag for a in moved if a.serial == NEW[1])} is marked disposed"],
    }


def test_chromebooks_are_judged_on_what_google_reports() -> None:
    chromebook = device(
        NEW[0],
        plane="google",
        os=DeviceOs.CHROMEOS,
        compliance=None,
        encrypted=None,
        placed_by="org_unit",
        category="/Devices/Riverside",
    )
    google = TenantDevices(
        "northfield-google",
        "google",
        [
            SchoolDevices(
                school=SCHOOL,
                tenant="northfield-google",
                plane="google",
                devices=[chromebook],
                unplaced=[],
            )
        ],
    )
    report = judge(PLAN, [google, after(leave_out=NEW[0])], register_after())
    assert report.complete
    items = {i.what: i.state for i in report.devices[0].items}
    assert items["compliant"] is ItemState.NOT_APPLICABLE
    assert items["encrypted"] is ItemState.NOT_APPLICABLE


def test_a_plan_with_problems_is_not_judged(tmp_path: Path) -> None:
    path = tmp_path / "riverside-academy.yml"
    path.write_text("school: riverside-academy\nreplaces: [NOPE-1]\n")
    report = judge(load_plan(path, TRUST), [after()], register_after())
    assert report.devices == [] and not report.complete
    assert report.summary().startswith("the plan has 1 problem(s): ")


def test_the_sign_off_record_lists_each_device_and_what_is_outstanding(tmp_path: Path) -> None:
    report = judge(PLAN, [after(leave_out=NEW[0])], register_after())
    data = report.model_dump(mode="json")
    data["outstanding"] = len(report.outstanding)
    for row, status in zip(data["devices"], report.devices, strict=True):
        row["accounted_for"] = status.accounted_for
    record = {
        "run": "r1",
        "trust": "example-trust",
        "dry_run": False,
        "scanned": False,
        "compliance": {},
        "network": [],
        "hosts": [],
        "hosts_note": "",
        "failures": [],
        "waivers": [],
        "leavers": [],
        "endpoints": data,
    }
    md, _ = render_record(record, {"id": SCHOOL, "name": "Riverside", "wave": 2}, tmp_path)
    text = md.read_text()
    assert "49 of 50 devices accounted for, **1 outstanding**" in text
    assert (
        f"| new | {NEW[0]} | MLT-RIV-00900 | Dell OptiPlex Micro 7020 | **no** | enrolled: " in text
    )
    assert f"| replaced | {OLD[0]} | MLT-RIV-00133 | Dell OptiPlex 3050 | yes | - |" in text
    assert "compliance was not compared" in text
