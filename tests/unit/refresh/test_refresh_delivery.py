"""Delivery notes and endpoint refresh plans read from files, every problem on its line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from matops.inventory import load_trust
from matops.refresh.delivery import read_delivery_note
from matops.refresh.endpoint_plan import load_plan, plan_path, plan_view
from matops.refresh.model import Plan, SchoolPlan
from matops.refresh.plan import plan_table
from tests.conftest import EXAMPLE_TRUST

NOTES = Path(__file__).parents[2] / "fixtures" / "delivery-notes"
TRUST = load_trust(EXAMPLE_TRUST)


def test_a_plain_note_gives_one_device_per_row_with_its_order_reference() -> None:
    note = read_delivery_note(NOTES / "plain.csv")
    assert note.problems == []
    assert [(d.serial, d.model, d.order_ref, d.line) for d in note.devices] == [
        ("5CD41XA1", "HP ProBook 450 G10", "PO-1", 2),
        ("5CD41XA2", "HP ProBook 450 G10", "PO-1", 3),
    ]
    assert note.columns == {"serial": "Serial No.", "model": "Model", "order_ref": "PO Number"}


def test_several_serials_in_one_cell_match_the_quantity_and_the_trusts_reference_wins() -> None:
    note = read_delivery_note(NOTES / "semicolons.csv")
    assert note.problems == []
    assert [d.serial for d in note.devices] == ["AB1", "AB2", "AB3"]
    assert {d.order_ref for d in note.devices} == {"PO-7"}
    assert note.notes == ["order_ref: took 'Purchase Order', not 'Order No'"]


def test_the_example_trusts_note_skips_its_letterhead_and_its_accessories() -> None:
    path = EXAMPLE_TRUST / "refresh" / "riverside-academy-delivery.csv"
    note = read_delivery_note(path)
    assert note.problems == []
    assert note.header_line == 5
    assert len(note.devices) == 25
    assert {d.model for d in note.devices} == {"Dell OptiPlex Micro 7020"}
    assert {d.line for d in note.devices} == {6, 7, 8, 9, 10}
    assert any("KM3322W" in n and "no serial number" in n for n in note.notes)


def test_faulty_rows_are_reported_on_their_lines_and_the_good_ones_kept() -> None:
    path = NOTES / "faulty.csv"
    note = read_delivery_note(path)
    assert [str(p) for p in note.problems] == [
        f"{path}:3: 2 fields where the header (line 1) has 3",
        f"{path}:4: no model for serial X3",
        f"{path}:5: serial X1 is also on line 2",
    ]
    assert [d.serial for d in note.devices] == ["X1", "X4", "X5"]


def test_a_quantity_that_disagrees_with_the_serials_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "note.csv"
    path.write_text('Serials,Model,Qty\n"A1, A2",Dell Latitude 3540,3\nA3,Dell,x\n')
    note = read_delivery_note(path)
    assert [str(p) for p in note.problems] == [
        f"{path}:2: quantity 3 but 2 serials",
        f"{path}:3: quantity 'x' is not a whole number",
    ]
    assert note.devices == []


def test_a_note_without_serial_and_model_columns_says_so() -> None:
    path = NOTES / "noheader.csv"
    note = read_delivery_note(path)
    assert [str(p) for p in note.problems] == [
        f"{path}:1: no header row with a column for serial in the first 15 rows"
    ]


def test_the_example_trusts_plan_for_riverside() -> None:
    plan = load_plan(plan_path(EXAMPLE_TRUST, "riverside-academy"), TRUST)
    assert plan.problems == []
    assert plan.school == "riverside-academy"
    assert len(plan.replaced) == 25 and len(plan.new) == 25
    assert {r.asset.model for r in plan.replaced} == {"Dell OptiPlex 3050"}
    assert {r.asset.os for r in plan.replaced} == {"Windows 10 Education"}
    assert plan.replaced[0].asset.asset_tag == "MLT-RIV-00133"
    assert plan.replaced[0].line == 9
    registered = {a.serial for s in TRUST.schools for a in s.assets if a.serial}
    assert not registered & {d.serial for d in plan.new}, "delivered serials are new"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("school: riverside-academy\nreplace: []\n", "2: unknown field 'replace'"),
        ("school: nowhere\n", "1: no school 'nowhere'; schools: oakfield-primary, riverside-"),
        (
            "school: riverside-academy\nreplaces:\n  - MLT-RIV-00133\n  - MLT-OAK-00001\n",
            "4: MLT-OAK-00001 is not in riverside-academy's register (it is oakfield-primary's)",
        ),
        (
            "school: riverside-academy\nreplaces:\n  - MLT-RIV-00133\n  - MLT-RIV-00133\n",
            "4: MLT-RIV-00133 is also on line 3",
        ),
        (
            "school: riverside-academy\nreplaces: [NOPE-1]\n",
            "2: NOPE-1 is not in riverside-academy's register (no register row has",
        ),
        ("school: riverside-academy\ndelivery_notes:\n  - gone.csv\n", "3: no delivery note"),
        ("school: [\n", "2: YAML syntax error"),
    ],
)
def test_plan_problems_name_their_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "riverside-academy.yml"
    path.write_text(text)
    plan = load_plan(path, TRUST)
    assert any(str(p).startswith(f"{path}:{expected}") for p in plan.problems), plan.problems


def test_a_serial_on_two_notes_is_reported_where_it_repeats(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("Serial,Model\nQ1,Dell\n")
    (tmp_path / "b.csv").write_text("Serial,Model\nQ2,Dell\nq1,Dell\n")
    path = tmp_path / "plan.yml"
    path.write_text("school: riverside-academy\ndelivery_notes: [a.csv, b.csv]\n")
    plan = load_plan(path, TRUST)
    assert [str(p) for p in plan.problems] == [
        f"{tmp_path / 'b.csv'}:3: serial Q1 is also at {tmp_path / 'a.csv'}:2"
    ]
    assert [d.serial for d in plan.new] == ["Q1", "Q2"]


def test_refresh_plan_shows_the_endpoint_plan_and_its_problems_block_it(tmp_path: Path) -> None:
    view = plan_view(EXAMPLE_TRUST, TRUST, "riverside-academy")
    assert view is not None and (view.replaced, view.new, view.problems) == (25, 25, [])
    assert plan_view(EXAMPLE_TRUST, TRUST, "oakfield-primary") is None
    trust = tmp_path / "trust"
    (trust / "refresh").mkdir(parents=True)
    (trust / "refresh" / "riverside-academy.yml").write_text("school: oakfield-primary\n")
    bad = plan_view(trust, TRUST, "riverside-academy")
    assert bad is not None
    school = SchoolPlan(id="riverside-academy", name="Riverside", wave=2, devices=[],
                        endpoints=bad)  # fmt: skip
    assert school.blockers == [
        f"endpoint plan: {trust}/refresh/riverside-academy.yml:1: the plan is for "
        "oakfield-primary, but it is riverside-academy's file"
    ]
    plan = Plan(trust="example-trust", trust_dir=trust, created=datetime.now(UTC), offline=True,
                schools=[school.model_copy(update={"endpoints": view})])  # fmt: skip
    console = Console(width=250, record=True)
    console.print(plan_table(plan))
    assert "25 replaced, 25 new" in console.export_text()


def test_a_windows_autopilot_import_csv_reads_as_a_delivery_without_models() -> None:
    """The documented Autopilot import format (SOURCES.yml): serials, no model column."""
    note = read_delivery_note(NOTES / "autopilot-import.csv")
    assert note.problems == []
    assert note.columns == {"serial": "Device Serial Number"}
    assert [(d.serial, d.model, d.order_ref) for d in note.devices] == [
        ("PF4K2QZB", None, None),
        ("PF4K2QZC", None, None),
    ]
    assert note.notes == ["no model column: the devices' models are not known from the note"]
