"""The catalogue's invariants: the check ID is the spine, every check has scenarios both ways,
every framework control names existing checks, and docs/checks.md is current."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from matops.scan.catalogue import Check, load_catalogue
from matops.scan.docs import render_markdown
from matops.scan.frameworks import load_frameworks
from matops.scan.scenarios import expected_status

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue()
CHECKS = list(CATALOGUE)
IDS = [c.id for c in CHECKS]


def test_catalogue_is_not_empty() -> None:
    assert len(CHECKS) >= 3


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_id_is_folder_module_and_metadata(check: Check) -> None:
    assert check.folder.name == check.id == check.meta.id
    assert check.folder.parent.name == check.meta.area.value
    assert (check.folder / f"{check.id}.py").is_file()
    assert (check.folder / f"{check.id}.yml").is_file()
    assert check.judge.__module__.endswith(f".{check.id}")


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_scenarios_cover_pass_and_fail(check: Check) -> None:
    outcomes = [expected_status(p) for p in check.scenario_files()]
    assert None not in outcomes, f"{check.id}: a scenario file is not named <what>.<status>.yml"
    values = {o.value for o in outcomes if o is not None}
    assert {"pass", "fail"} <= values, f"{check.id}: needs at least one pass and one fail scenario"


@pytest.mark.parametrize("check", CHECKS, ids=IDS)
def test_judges_only_judge(check: Check) -> None:
    """A check module imports fact types and verdict helpers, never I/O or collectors."""
    tree = ast.parse((check.folder / f"{check.id}.py").read_text())
    allowed = (
        "matops.scan.verdict",
        "matops.facts.network.model",
        "matops.facts.linux.model",
        "matops.facts.register.model",
        "matops.inventory.model",
        "matops.facts.linux.nft",
        "matops.scan.helpers",
        "matops.facts.tenant.model",
        "matops.inventory.tenants",
        "matops.inventory.staff",
        "matops.scan.tenant_judging",
        "matops.facts.tenant.devices",
        "matops.facts.device_tables",
        "matops.scan.device_judging",
        "__future__",
        "datetime",
        "ipaddress",
        "re",
        "collections",
        "typing",
    )
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name.startswith(allowed), f"{check.id} imports {name}"


def test_framework_controls_name_existing_checks() -> None:
    frameworks, problems = load_frameworks(CATALOGUE.root / "frameworks", set(IDS))
    assert not problems, "\n".join(str(p) for p in problems)
    assert set(frameworks) == {"dfe_standards", "cyber_essentials", "rpa_cyber"}
    for framework in frameworks.values():
        for control in framework.controls:
            assert set(control.checks) <= set(IDS), control.id
    mapped = {c for f in frameworks.values() for control in f.controls for c in control.checks}
    assert sorted(set(IDS) - mapped) == [], "every check should serve at least one control"


def test_dfe_covers_every_area_and_the_core_areas_in_full() -> None:
    frameworks, _ = load_frameworks(CATALOGUE.root / "frameworks", set(IDS))
    ids = {c.id for c in frameworks["dfe_standards"].controls}
    areas = {i.split("-")[1] for i in ids}
    assert areas == {
        "BB",
        "WL",
        "SW",
        "CAB",
        "CYBER",
        "FM",
        "DLG",
        "SRV",
        "CLD",
        "ACC",
        "ITS",
        "DEV",
    }
    core_rows = {"BB": 6, "WL": 15, "SW": 20, "CYBER": 40, "FM": 16, "DLG": 7}
    for area, rows in core_rows.items():
        assert len([i for i in ids if i.split("-")[1] == area]) == rows, area


def test_docs_checks_md_is_current() -> None:
    current = (REPO / "docs" / "checks.md").read_text(encoding="utf-8")
    assert current == render_markdown(CATALOGUE), "run: matops checks docs --write"
