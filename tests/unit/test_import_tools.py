"""``import-assets`` on the exports of the tools schools use (Snipe-IT, Google's device list).

Each test shows which column was chosen for each field and which were passed over, how values
were read, and which rows were rejected on which line (the fixtures' sources: SOURCES.yml).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from matops.cli import app
from matops.inventory import load
from matops.inventory.assets import read_register
from matops.inventory.import_columns import choose_columns
from matops.inventory.import_values import (
    Standing,
    add_months,
    parse_category,
    parse_cost,
    parse_months,
    parse_status,
)
from matops.inventory.importer import ImportResult, import_csv
from matops.inventory.model import Asset, AssetType
from tests.conftest import FIXTURES

IMPORTS = FIXTURES / "imports"
SNIPE_REPORT = IMPORTS / "snipe-it-custom-report.csv"
SNIPE_STYLE = IMPORTS / "snipe-it-style-spreadsheet.csv"
CHROMEOS = IMPORTS / "google-chromeos-devices.csv"


def _run(path: Path) -> tuple[ImportResult, dict[str, Asset], dict[str, str]]:
    result = import_csv(path.read_text(encoding="utf-8"))
    by_tag = {a.asset_tag: a for a in result.assets}
    choices = {c.field: c.describe() for c in result.choices}
    return result, by_tag, choices


def test_every_fixture_has_its_source_recorded() -> None:
    sources = yaml.safe_load((IMPORTS / "SOURCES.yml").read_text())
    recorded = {entry["file"] for entry in sources}
    assert recorded == {p.name for p in IMPORTS.glob("*.csv")}
    assert all(entry.get("licence") for entry in sources)


def test_issue_case_warranty_expires_is_chosen_over_warranty_in_months() -> None:
    """The issue's export: every row used to be rejected because 'Warranty' (months) was taken
    for the end date and 'Warranty Expires' ignored."""
    result, tags, choices = _run(SNIPE_STYLE)

    assert choices["warranty_end"] == (
        "warranty_end <- 'Warranty Expires' "
        "(passed over 'Warranty': values are not dates (e.g. '36'))"
    )
    assert choices["warranty_months"] == "warranty_months <- 'Warranty'"
    assert choices["cost"] == "cost <- 'Cost'"
    assert result.ignored_columns == []
    # Warranty Expires given: kept as written.
    assert tags["OAK-1003"].warranty_end == date(2026, 8, 31)
    # Only months given: from the purchase date (14/02/2022 + 24 months; 31/08/2023 + '3 years').
    assert tags["OAK-1002"].warranty_end == date(2024, 2, 14)
    assert tags["OAK-1010"].warranty_end == date(2026, 8, 31)
    assert result.translations[("warranty in months", "warranty_end = purchase date + months")] == [
        3, 5, 6, 8, 11,
    ]  # fmt: skip
    # £ and thousands separators kept as pounds.
    assert tags["OAK-1003"].cost == Decimal("1049.99")
    assert tags["OAK-1004"].cost == Decimal("1249.00")
    assert tags["OAK-1007"].cost == Decimal("410")
    # A Chromebook is a laptop running ChromeOS.
    assert (tags["OAK-1001"].type, tags["OAK-1001"].os) == (AssetType.LAPTOP, "ChromeOS")
    assert tags["OAK-1002"].os == "iPadOS"  # "Tablet" + an iPad model
    # Broken stays in the register (it still holds data), with the reason listed.
    assert tags["OAK-1007"].disposed_date is None
    broken = ("status 'Broken'", "kept as live: a broken device still holds data until disposed of")
    assert result.translations[broken] == [8]

    assert result.rejected == [
        (7, "status 'Archived' says the asset has gone, but the export gives no disposal date: "
            "add the date it left (a 'Disposed' column) or correct the status"),
        (9, "12 fields where the header has 11 (a comma or quote out of place?): row not read"),
        (10, "cost '$249.00' is not an amount in pounds (e.g. £1,249.00)"),
        (12, "status 'Lost/Stolen' says the asset has gone, but the export gives no disposal "
             "date: add the date it left (a 'Disposed' column) or correct the status"),
    ]  # fmt: skip
    assert result.lines == [2, 3, 4, 5, 6, 8, 11]


def test_snipe_it_custom_report_columns_statuses_and_costs() -> None:
    result, tags, choices = _run(SNIPE_REPORT)

    # 'Type' is what an asset is checked out to (user/location), not its kind.
    assert choices["type"] == (
        "type <- 'Category' (passed over 'Type': values are not asset categories (e.g. 'location'))"
    )
    assert choices["warranty_end"].startswith("warranty_end <- 'Warranty Expires' (passed over")
    assert choices["hostname"] == "hostname <- 'Asset Name'"
    assert choices["assigned_to"] == "assigned_to <- 'Checked Out'"
    assert choices["assigned_type"] == "assigned_type <- 'Type'"
    assert result.ignored_columns == ["Model No.", "Supplier", "Notes"]
    # Checked out to a location (Staff Room): that is where it is, not who has it.
    assert tags["RIV-A-0101"].assigned_to is None
    assert tags["RIV-A-0101"].location == "Staff Room"
    checkout = ("checked out to a location", "assigned_to left empty (not a person)")
    assert result.translations[checkout] == [2, 6, 9]
    # Manufacturer joins the model name unless the model already starts with it.
    assert tags["RIV-A-0101"].model == "Lenovo ThinkPad E14 Gen 6"
    assert tags["RIV-A-0105"].model == "Aruba AP-505"
    # Snipe-IT writes costs with thousands separators and no symbol.
    assert tags["RIV-A-0104"].cost == Decimal("1849.00")
    assert tags["RIV-A-0108"].cost == Decimal("2450.00")
    assert tags["RIV-A-0102"].type is AssetType.LAPTOP
    assert tags["RIV-A-0102"].os == "ChromeOS"
    assert tags["RIV-A-0105"].type is AssetType.ACCESS_POINT
    assert tags["RIV-A-0108"].type is AssetType.DISPLAY
    assert tags["RIV-A-0106"].disposed_date is None  # Broken - Not Fixable (undeployable)
    live = "in use or in stock (no disposal date)"
    assert result.translations[("status 'Ready to Deploy (deployed)'", live)] == [2, 6, 9]
    assert result.translations[("status 'Pending (pending)'", live)] == [4]
    assert [line for line, _ in result.rejected] == [8, 10]
    assert result.rejected[0][1].startswith("status 'Archived (archived)' says the asset has gone")
    assert result.rejected[1][1].startswith("status 'Lost/Stolen (undeployable)' says")


def test_google_chromeos_device_list_without_a_category_column() -> None:
    result, tags, choices = _run(CHROMEOS)

    assert choices["asset_tag"] == "asset_tag <- 'annotatedAssetId'"
    assert choices["end_of_support"] == "end_of_support <- 'autoUpdateExpiration'"
    assert "type" not in choices  # no category column: the model says
    assert result.ignored_columns == ["deviceId", "orgUnitPath", "lastSync"]
    assert (tags["NF-CB-2001"].type, tags["NF-CB-2001"].os) == (AssetType.LAPTOP, "ChromeOS")
    assert tags["NF-CX-2003"].type is AssetType.DESKTOP  # HP Chromebox G3
    # Milliseconds since 1970, as the API gives autoUpdateExpiration.
    assert tags["NF-CB-2001"].end_of_support == date(2029, 6, 30)
    assert tags["NF-CB-2007"].end_of_support == date(2026, 6, 30)
    disabled = (
        "status 'DISABLED'",
        "kept as live: disabled in management, the device still exists",
    )
    assert result.translations[disabled] == [5]
    assert result.rejected == [
        (6, "status 'DEPROVISIONED' says the asset has gone, but the export gives no disposal "
            "date: add the date it left (a 'Disposed' column) or correct the status"),
        (7, "missing required field 'asset_tag'"),
    ]  # fmt: skip


def test_a_disposal_date_column_lets_a_gone_status_in() -> None:
    text = (
        "Asset Tag,Model,Category,Status,Disposed,Certificate of destruction\n"
        "T-1,Dell OptiPlex 3050,Desktop,Archived,21/07/2025,CDD-2025-0142\n"
        "T-2,Dell OptiPlex 3050,Desktop,Deployed,21/07/2025,\n"
    )
    result = import_csv(text)
    assert [(a.asset_tag, a.disposed_date, a.disposal_ref) for a in result.assets] == [
        ("T-1", date(2025, 7, 21), "CDD-2025-0142")
    ]
    assert result.rejected == [
        (3, "status 'Deployed' says the asset is still here, but it has a disposal date "
            "(2025-07-21): correct one of them"),
    ]  # fmt: skip


def test_duplicate_tags_and_serials_are_rejected_naming_the_first_line() -> None:
    text = (
        "Asset Tag,Model,Category,Serial\n"
        "T-1,Dell Latitude 3540,Laptop,ABC1\n"
        "t-2,Dell Latitude 3540,Laptop,abc1\n"
        "T-1,Dell Latitude 3540,Laptop,ABC3\n"
    )
    assert import_csv(text).rejected == [
        (3, "serial abc1 is already on line 2"),
        (4, "asset_tag T-1 is already on line 2"),
    ]


def test_a_quoted_cell_over_two_lines_reports_the_line_its_row_starts_on() -> None:
    text = 'Asset Tag,Model,Category,Notes\nT-1,"Dell\nLatitude",Laptop\nT-2,Dell,Toaster,\n'
    result = import_csv(text)
    assert [line for line, _ in result.rejected] == [2, 4]
    assert result.rejected[0][1].startswith("3 fields where the header has 4")


def test_when_both_candidates_hold_dates_the_more_specific_name_wins() -> None:
    plan = choose_columns(
        ["Warranty", "Warranty Expires", "Purchased", "Purchase Date"],
        [["02/09/2024", "03/09/2024", "", "03/09/2021"]],
    )
    by_field = {c.field: c.describe() for c in plan.choices}
    assert by_field["warranty_end"] == (
        "warranty_end <- 'Warranty Expires' "
        "(passed over 'Warranty': also matches, less specific name or later column)"
    )
    assert by_field["warranty_months"] == (
        "warranty_months: no column (passed over 'Warranty': values are not numbers of months "
        "(e.g. '02/09/2024'))"
    )
    # An empty column loses to one with data, whatever its name.
    assert by_field["purchase_date"] == (
        "purchase_date <- 'Purchase Date' (passed over 'Purchased': empty)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("£1,249.00", "1249.00"), ("1,849.00", "1849.00"), ("GBP 329", "329"), ("£ 99.5", "99.5")],
)
def test_pounds(text: str, expected: str) -> None:
    assert parse_cost(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["$399", "€329,00", "1.249,00", "-5", "12,34", "£1,249.999"])
def test_not_pounds(text: str) -> None:
    with pytest.raises(ValueError, match="is not an amount in pounds"):
        parse_cost(text)


def test_months_and_month_ends() -> None:
    assert parse_months("36 months") == 36
    assert parse_months("5 years") == 60
    with pytest.raises(ValueError, match="not a number of months"):
        parse_months("2027-08-20")
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2022, 11, 30), 3) == date(2023, 2, 28)


@pytest.mark.parametrize(
    ("text", "kind", "os"),
    [
        ("Chromebook", AssetType.LAPTOP, "ChromeOS"),
        ("Laptops", AssetType.LAPTOP, None),
        ("Access Points", AssetType.ACCESS_POINT, None),
        ("Switches", AssetType.SWITCH, None),
        ("Tablets", AssetType.TABLET, None),
        ("iPad", AssetType.TABLET, "iPadOS"),
        ("VOIP Phones", AssetType.PHONE, None),
        ("Interactive Panels", AssetType.DISPLAY, None),
    ],
)
def test_categories(text: str, kind: AssetType, os: str | None) -> None:
    category = parse_category(text)
    assert (category.type, category.os) == (kind, os)


@pytest.mark.parametrize(
    ("text", "standing"),
    [
        ("Deployed", Standing.LIVE),
        ("ready to deploy", Standing.LIVE),
        ("Pending (pending)", Standing.LIVE),
        ("Out for Repair (undeployable)", Standing.LIVE),
        ("Broken", Standing.LIVE),
        ("Archived", Standing.GONE),
        ("Disposed", Standing.GONE),
        ("Lost/Stolen", Standing.GONE),
        ("Sent to WEEE (archived)", Standing.GONE),
    ],
)
def test_statuses(text: str, standing: Standing) -> None:
    assert parse_status(text).standing is standing


def test_an_unknown_status_is_rejected_not_guessed() -> None:
    result = import_csv("Asset Tag,Model,Category,Status\nT-1,Dell,Laptop,With Bob\n")
    assert result.assets == []
    assert result.rejected[0][0] == 2
    assert result.rejected[0][1].startswith("unknown status 'With Bob'")


def test_the_command_prints_choices_and_rejections_and_writes_cost(mini_trust: Path) -> None:
    args = ["inventory", "import-assets", str(SNIPE_STYLE), "--school", "alpha-primary"]
    result = CliRunner().invoke(app, [*args, "--trust", str(mini_trust)])

    assert result.exit_code == 1, result.output
    out = result.stdout
    assert (
        "  warranty_end <- 'Warranty Expires' (passed over 'Warranty': values are not dates "
        "(e.g. '36'))" in out
    )
    assert "  category 'Chromebook' -> type laptop, os ChromeOS (line 2)" in out
    assert (
        "  warranty in months -> warranty_end = purchase date + months (lines 3, 5-6, 8, 11)" in out
    )
    assert f"{SNIPE_STYLE}:9: 12 fields where the header has 11" in result.stderr
    assert f"{SNIPE_STYLE}:10: cost '$249.00' is not an amount in pounds" in result.stderr
    assert "imported 7 row(s), rejected 4" in out
    rows, problems = read_register(mini_trust / "assets" / "alpha-primary.csv")
    assert problems == []
    imported = {r.asset.asset_tag: r.asset for r in rows}
    assert imported["OAK-1004"].cost == Decimal("1249.00")
    assert "1249.00" in (mini_trust / "assets" / "alpha-primary.csv").read_text()
    assert load(mini_trust).problems == []


def test_dry_run_writes_nothing(mini_trust: Path) -> None:
    register = mini_trust / "assets" / "alpha-primary.csv"
    before = register.read_text()
    args = ["inventory", "import-assets", str(CHROMEOS), "--school", "alpha-primary", "--dry-run"]
    result = CliRunner().invoke(app, [*args, "--trust", str(mini_trust)])
    assert result.exit_code == 1, result.output
    assert "dry run: would import 5 row(s), rejected 2" in result.stdout
    assert register.read_text() == before


def test_a_column_that_fits_nothing_is_still_taken_so_its_rows_reject() -> None:
    """US dates in 'Purchased' must not vanish as an ignored column: each row says why."""
    text = "Asset Tag,Model,Category,Purchased\nT-1,Dell,Laptop,09/23/2021\nT-2,Dell,Laptop,\n"
    result = import_csv(text)
    assert {c.field: c.describe() for c in result.choices}["purchase_date"] == (
        "purchase_date <- 'Purchased' (taken although its values are not dates "
        "(e.g. '09/23/2021'): those rows are rejected)"
    )
    assert result.rejected == [(2, "'09/23/2021' is not a date (try DD/MM/YYYY)")]
    assert [a.asset_tag for a in result.assets] == ["T-2"]
