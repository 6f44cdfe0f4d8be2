"""The device section from the example trust's asset registers: counts that add up to the
register, support ends by term, the summer each model must be replaced in, shown on the
lifecycle page and each school's page, and never a person's name."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import jsonschema

from matops.inventory.assets import read_register
from matops.inventory.model import Asset
from matops.report.build import build_report
from matops.report.compare import compare
from matops.report.devices import Term, device_lines, replace_by
from matops.report.formats import report_document
from matops.report.html import render_html
from tests.conftest import REPO
from tests.support.results_factory import results

ASSETS = REPO / "inventories" / "example-trust" / "assets"
TODAY = date(2026, 12, 5)


def _registers() -> dict[str, list[Asset]]:
    out = {}
    for path in sorted(ASSETS.glob("*.csv")):
        rows, problems = read_register(path)
        assert not problems
        out[path.stem] = [r.asset for r in rows]
    return out


def _csv_endpoints(school: str) -> list[dict[str, str]]:
    with (ASSETS / f"{school}.csv").open(newline="", encoding="utf-8") as stream:
        return [
            r
            for r in csv.DictReader(stream)
            if r["type"] in ("laptop", "desktop", "tablet") and not r["disposed_date"]
        ]


def test_counts_add_up_to_the_register() -> None:
    lines, terms = device_lines(_registers(), TODAY)
    for school in ("oakfield-primary", "riverside-academy", "st-marys-ce-primary"):
        rows = _csv_endpoints(school)
        mine = [line for line in lines if line.school == school]
        assert sum(line.count for line in mine) == len(rows) > 0
        ended = [r for r in rows if r["end_of_support"] and r["end_of_support"] < "2026-12-05"]
        assert sum(line.unsupported for line in mine) == len(ended)
        dated = [r for r in rows if r["end_of_support"]]
        assert sum(t.count for t in terms if t.school == school) == len(dated)
        for line in mine:
            assert line.supported + line.unsupported + line.unknown == line.count
            if line.unsupported:
                assert line.replace_by == "now"


def test_windows_10_is_due_now_and_later_models_in_a_summer() -> None:
    lines, _ = device_lines(_registers(), TODAY)
    win10 = [line for line in lines if line.os and line.os.startswith("Windows 10")]
    assert win10 and all(line.replace_by == "now" for line in win10)
    summers = {line.replace_by for line in lines if line.replace_by.startswith("summer ")}
    assert summers and all(int(s.split()[1]) >= 2027 for s in summers)


def test_terms_and_replacement_dates() -> None:
    assert [Term.of(date(2027, m, 1)).label for m in (1, 4, 9)] == [
        "spring 2027",
        "summer 2027",
        "autumn 2027",
    ]
    assert replace_by(date(2027, 9, 1), TODAY) == "summer 2027"
    assert replace_by(date(2027, 8, 31), TODAY) == "before 2027-08-31"
    assert replace_by(TODAY, TODAY) == "before 2026-12-05"


def test_pages_and_json_show_the_section_without_names(tmp_path: Path) -> None:
    registers = _registers()
    named = Asset(
        asset_tag="MLT-OAK-99999",
        type="tablet",
        model="Apple iPad (6th generation)",
        assigned_to="Jane Pupil",
        os="iPadOS 17.7",
        end_of_support=date(2026, 9, 15),
    )
    registers["oakfield-primary"] = [*registers["oakfield-primary"], named]
    document = results(
        [("oakfield-primary", "c", "oak-sw01", "pass")],
        schools=["oakfield-primary", "riverside-academy", "st-marys-ce-primary"],
    )
    report = build_report(
        document, {}, {}, registers, compare(None, document),
        has_previous=False, generated="2026-12-05 03:00 UTC", tool_version="0.1.0",
    )  # fmt: skip
    render_html(report, tmp_path)
    lifecycle = (tmp_path / "lifecycle.html").read_text()
    assert 'id="devices"' in lifecycle and "Lenovo 300e Chromebook Gen 3" in lifecycle
    oak = (tmp_path / "schools" / "oakfield-primary.html").read_text()
    riv = (tmp_path / "schools" / "riverside-academy.html").read_text()
    assert "devices leaving support by term" in oak
    oak_models = {line.model for line in report.devices if line.school == "oakfield-primary"}
    riv_only = {line.model for line in report.devices if line.school == "riverside-academy"}
    for model in riv_only - oak_models:
        assert model not in oak
        assert model in riv
    for page in tmp_path.rglob("*.html"):
        assert "Jane Pupil" not in page.read_text()
    document_json = report_document(report)
    assert "Jane Pupil" not in json.dumps(document_json)
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text())
    section = schema["properties"]["devices"]
    jsonschema.Draft202012Validator(section).validate(document_json["devices"])
    assert document_json["report_version"] in schema["properties"]["report_version"]["enum"]
