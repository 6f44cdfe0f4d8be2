"""``matops inventory import-assets``: a spreadsheet export becomes canonical register rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from matops.cli import app
from matops.inventory import load
from matops.inventory.assets import read_register
from matops.inventory.importer import import_csv, parse_uk_date
from tests.conftest import FIXTURES

EXPORT = FIXTURES / "imports" / "spreadsheet-export.csv"


def test_uk_dates() -> None:
    assert parse_uk_date("03/09/2021") == date(2021, 9, 3)
    assert parse_uk_date("1 Sep 2023") == date(2023, 9, 1)
    assert parse_uk_date("2024-01-31") == date(2024, 1, 31)


def test_columns_and_types_are_normalised() -> None:
    result = import_csv(EXPORT.read_text())
    assert result.columns["Asset No."] == "asset_tag"
    assert result.columns["Warranty Expiry"] == "warranty_end"
    assert result.ignored_columns == ["Notes"]
    tags = {a.asset_tag: a for a in result.assets}
    assert set(tags) == {"OAK-9001", "OAK-9002", "OAK-9003"}
    assert tags["OAK-9001"].type.value == "laptop"
    assert tags["OAK-9002"].type.value == "tablet"
    assert tags["OAK-9001"].purchase_date == date(2021, 9, 3)
    reasons = dict(result.rejected)
    assert "unknown asset type 'Toaster'" in reasons[5]
    assert "'31/02/2019' is not a date" in reasons[6]
    assert "asset_tag" in reasons[7]


def test_import_command_writes_the_register_and_reports_rejects(mini_trust: Path) -> None:
    args = ["inventory", "import-assets", str(EXPORT), "--school", "alpha-primary"]
    result = CliRunner().invoke(app, [*args, "--trust", str(mini_trust)])

    assert result.exit_code == 1, result.output  # some rows were rejected
    assert f"{EXPORT}:5: unknown asset type 'Toaster'" in result.stderr
    rows, problems = read_register(mini_trust / "assets" / "alpha-primary.csv")
    assert problems == []
    assert [r.asset.asset_tag for r in rows] == [
        "ALP-0001", "ALP-0002", "ALP-0003", "OAK-9001", "OAK-9002", "OAK-9003",
    ]  # fmt: skip
    assert load(mini_trust).problems == []


def test_import_into_unknown_school_is_a_clean_error(mini_trust: Path) -> None:
    args = [
        "inventory",
        "import-assets",
        str(EXPORT),
        "--school",
        "nope",
        "--trust",
        str(mini_trust),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "no school 'nope'" in result.stderr
