"""The example trust's simulated device estates: made by scripts/generate_lab_devices.py from the
asset registers and the refresh plan, committed as generated, and agreeing with the registers
and the inventory's ``devices:`` blocks."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from matops.inventory import load_trust
from tests.conftest import EXAMPLE_TRUST

REPO = Path(__file__).resolve().parents[2]
TENANTS = EXAMPLE_TRUST / "lab" / "tenants"
GENERATED = [
    "northfield-m365/managed_devices.json",
    "northfield-m365/fixed/managed_devices.json",
    "northfield-m365/delivered/managed_devices.json",
    "northfield-m365/delivered_partial/managed_devices.json",
    "northfield-google/chromeos_devices.json",
    "northfield-google/fixed/chromeos_devices.json",
    "northfield-google/org_units.json",
    "planted_devices.json",
    "README.md",
]


def load(name: str) -> Any:
    return json.loads((TENANTS / name).read_text(encoding="utf-8"))


def register_rows() -> list[dict[str, str]]:
    rows = []
    for path in sorted((EXAMPLE_TRUST / "assets").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows += [{**row, "school": path.stem} for row in csv.DictReader(handle)]
    return rows


def test_the_committed_data_is_what_the_generator_makes(tmp_path: Path) -> None:
    script = REPO / "scripts" / "generate_lab_devices.py"
    subprocess.run([sys.executable, str(script), str(EXAMPLE_TRUST), str(tmp_path)], check=True)
    for name in GENERATED:
        made = (tmp_path / name).read_text(encoding="utf-8")
        assert made == (TENANTS / name).read_text(encoding="utf-8"), f"{name}: run the generator"


def test_categories_and_org_units_are_the_inventorys() -> None:
    tenants = {t.name: t for t in load_trust(EXAMPLE_TRUST).settings.tenants}
    places = {
        "northfield-m365": {d["deviceCategoryDisplayName"] for d in load("northfield-m365/managed_devices.json")},  # noqa: E501
        "northfield-google": {d["orgUnitPath"] for d in load("northfield-google/chromeos_devices.json")},  # noqa: E501
    }  # fmt: skip
    for name, seen in places.items():
        devices = tenants[name].devices
        assert devices is not None
        declared = set(devices.schools.values())
        assert declared <= seen and seen - declared in ({"Unknown"}, {"/"}), name


def test_every_live_register_device_of_a_served_school_is_enrolled_by_serial() -> None:
    intune = {d["serialNumber"] for d in load("northfield-m365/managed_devices.json")}
    chrome = {d["serialNumber"] for d in load("northfield-google/chromeos_devices.json")}
    for row in register_rows():
        if not row["serial"] or row["disposed_date"]:
            continue
        family = row["os"].split(" ")[0]
        if family in ("Windows", "iPadOS", "macOS") and row["school"] != "st-marys-ce-primary":
            assert row["serial"] in intune, row["asset_tag"]
        if family == "ChromeOS" and row["school"] != "riverside-academy":
            assert row["serial"] in chrome, row["asset_tag"]


def test_planted_serials_exist_and_the_refresh_matches_its_plan() -> None:
    planted = load("planted_devices.json")
    every = {d["serialNumber"] for d in load("northfield-m365/managed_devices.json")}
    every |= {d["serialNumber"] for d in load("northfield-google/chromeos_devices.json")}
    for item in planted["planted"]:
        assert set(item["serials"]) <= every, item["problem"]
    disposed = next(p for p in planted["planted"] if "disposed_devices_not_enrolled" in p["checks"])
    row = next(r for r in register_rows() if r["serial"] == disposed["serials"][0])
    assert row["disposed_date"]
    note = (EXAMPLE_TRUST / "refresh" / "riverside-academy-delivery.csv").read_text()
    delivered = {d["serialNumber"] for d in load("northfield-m365/delivered/managed_devices.json")}
    for device in planted["refresh"]["delivery_note"]:
        assert device["serial"] in note and device["serial"] in delivered


def test_no_device_carries_a_pupils_name() -> None:
    pupils = [u for u in load("northfield-m365/users.json") if "pupils." in u["userPrincipalName"]]
    text = (TENANTS / "northfield-m365" / "managed_devices.json").read_text()
    text += (TENANTS / "northfield-google" / "chromeos_devices.json").read_text()
    for pupil in pupils:
        assert pupil["surname"] not in text and pupil["userPrincipalName"] not in text
