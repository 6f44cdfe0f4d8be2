"""Every scenario beside every check: the judge gives the status the file name promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from matops.scan.catalogue import Check, load_catalogue
from matops.scan.scenarios import load_scenario, run_scenario

CATALOGUE = load_catalogue()
CASES = [
    pytest.param(check, path, id=f"{check.id}/{path.name}")
    for check in CATALOGUE
    for path in check.scenario_files()
]


@pytest.mark.parametrize(("check", "path"), CASES)
def test_scenario(check: Check, path: Path) -> None:
    scenario, problems = load_scenario(check, path)
    assert not problems, "\n".join(str(p) for p in problems)
    assert scenario is not None
    verdict = run_scenario(check, scenario)
    assert verdict.status == scenario.expect, (
        f"{path}: {scenario.description}: expected {scenario.expect.value}, "
        f"got {verdict.status.value}: {verdict.detail}"
    )
    for text in scenario.detail_contains:
        assert text in verdict.detail, f"{path}: {text!r} not in detail {verdict.detail!r}"
    assert verdict.detail.strip(), f"{path}: empty detail"
