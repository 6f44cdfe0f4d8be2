"""A framework is one YAML file: order, area names, titles and controls all live in it.

The toy framework below is added from a temporary copy of ``checks/`` (``MATOPS_CHECKS``) with no
Python change, then scanned offline and reported, and it is listed first because its file says
``order: 0``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matops.cli import app
from matops.report.compare import load_results
from matops.report.inputs import Inputs, make_report
from matops.scan.frameworks import load_frameworks

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"

TOY = """\
framework: toy_standard
title: Toy standard for schools
version: "1"
order: 0
areas:
  NET: Network kit
  PAP: Paperwork
controls:
  - {id: TOY-NET-01, title: Switches refuse telnet, status: automated,
     checks: [switch_telnet_disabled]}
  - {id: TOY-PAP-01, title: Someone signs the policy, status: manual}
"""


@pytest.fixture
def checks_with_toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    checks = tmp_path / "checks"
    shutil.copytree(REPO / "checks", checks, ignore=shutil.ignore_patterns("__pycache__"))
    (checks / "frameworks" / "toy_standard.yml").write_text(TOY)
    monkeypatch.setenv("MATOPS_CHECKS", str(checks))
    return checks


def _trust(tmp_path: Path, frameworks: str) -> Path:
    root = tmp_path / "scan"
    shutil.copytree(FIXTURES / "trusts" / "scan", root)
    settings = root / "group_vars" / "all.yml"
    text = settings.read_text()
    old = "  frameworks: [dfe_standards, cyber_essentials, rpa_cyber]\n"
    assert old in text
    settings.write_text(text.replace(old, frameworks))
    (root / "backups" / "alpha-primary").mkdir(parents=True)
    shutil.copy(
        FIXTURES / "configs" / "ios_insecure.cfg", root / "backups/alpha-primary/alpha-sw02.cfg"
    )
    return root


def _scan(root: Path) -> tuple[int, str, Path]:
    output = root.parent / "results.json"
    result = CliRunner().invoke(
        app, ["scan", str(root), "--offline", "--scan-date", "2026-11-22", "--output", str(output)]
    )
    return result.exit_code, result.output, output


def test_a_toy_framework_file_is_scanned_and_reported_first(
    checks_with_toy: Path, tmp_path: Path
) -> None:
    root = _trust(tmp_path, "")  # no frameworks key: every framework file is in scope
    code, output, path = _scan(root)
    assert code in (0, 1), output
    results = load_results(path)
    toy = {c.id: c for c in results.controls["alpha-primary"]["toy_standard"]}
    assert toy["TOY-NET-01"].status.value == "not_met"  # alpha-sw02 allows telnet
    assert toy["TOY-PAP-01"].status.value == "not_assessed"
    report = make_report(Inputs(results, inventory=root))
    assert next(iter(report.frameworks)) == "toy_standard"
    assert report.frameworks["toy_standard"] == "Toy standard for schools"
    assert report.areas["toy_standard"] == ["NET", "PAP"]
    assert report.area_names["PAP"] == "Paperwork"


def test_a_trust_naming_a_framework_with_no_file_is_refused(
    checks_with_toy: Path, tmp_path: Path
) -> None:
    root = _trust(tmp_path, "  frameworks: [toy_standard, iso_27001]\n")
    code, output, _ = _scan(root)
    assert code == 2
    assert "'iso_27001', which has no file in checks/frameworks/" in output
    assert "valid: cyber_essentials, dfe_standards, rpa_cyber, toy_standard" in output


def test_a_control_in_an_area_the_file_does_not_name_is_a_problem(
    checks_with_toy: Path,
) -> None:
    path = checks_with_toy / "frameworks" / "toy_standard.yml"
    path.write_text(TOY.replace("  PAP: Paperwork\n", ""))
    ids = {p.name for p in (checks_with_toy / "network").iterdir()}
    frameworks, problems = load_frameworks(checks_with_toy / "frameworks", ids)
    assert "toy_standard" not in frameworks
    assert any("['PAP'] are not listed under areas" in p.message for p in problems)


def test_the_shipped_frameworks_name_their_order_and_every_area() -> None:
    frameworks, problems = load_frameworks(REPO / "checks" / "frameworks", _all_check_ids())
    assert problems == []
    ordered = sorted(frameworks.values(), key=lambda f: f.order)
    assert [f.framework for f in ordered] == ["dfe_standards", "cyber_essentials", "rpa_cyber"]


def _all_check_ids() -> set[str]:
    areas = ("host", "network", "register", "tenant", "device")
    return {p.name for a in areas for p in (REPO / "checks" / a).iterdir() if p.is_dir()}
