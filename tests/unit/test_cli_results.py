"""End to end: per-school offline scans of the example trust, merged, compared and checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from matops.cli import app
from matops.scan.results import write_results
from tests.support.results_factory import results

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "schemas" / "results.schema.json").read_text())
TRUST = str(REPO / "inventories" / "example-trust")
SCHOOLS = ["oakfield-primary", "riverside-academy", "st-marys-ce-primary"]
DAY = "2026-11-22"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), terminal_width=200)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One offline scan per school and one of the whole trust, judged on the same day."""
    root = tmp_path_factory.mktemp("scans")
    for school in SCHOOLS:
        code, out = run(
            "scan", TRUST, "--offline", "--school", school, "--scan-date", DAY,
            "--output", str(root / f"{school}.json"),
        )  # fmt: skip
        assert code in (0, 1), out
    code, out = run(
        "scan", TRUST, "--offline", "--scan-date", DAY, "--output", str(root / "trust.json")
    )
    assert code in (0, 1), out
    return root


def _without_times(document: dict[str, Any]) -> dict[str, Any]:
    for finding in document["findings"]:
        for evidence in finding["evidence"]:
            evidence.pop("collected_at")
    for key in ("started", "finished"):
        document["scan"].pop(key)
    return document


def test_merged_per_school_scans_equal_a_whole_trust_scan(scans: Path) -> None:
    inputs = [str(scans / f"{school}.json") for school in SCHOOLS]
    code, out = run("results", "merge", *inputs, "--output", str(scans / "all.json"))
    assert code == 0, out
    assert "3 school(s)" in out
    merged = json.loads((scans / "all.json").read_text())
    jsonschema.validate(merged, SCHEMA)
    whole = json.loads((scans / "trust.json").read_text())
    assert _without_times(merged) == _without_times(whole)
    assert merged["expired_waivers"], "the example trust has expired waivers to deduplicate"


def test_merge_refuses_the_same_school_twice(scans: Path) -> None:
    oak = str(scans / "oakfield-primary.json")
    code, out = run("results", "merge", oak, oak, "--output", str(scans / "twice.json"))
    assert code == 2
    assert "school oakfield-primary is in both" in out
    assert not (scans / "twice.json").exists()


def test_merge_refuses_different_commits_with_a_clear_error(tmp_path: Path) -> None:
    write_results(results([("a", "c", "t", "pass", "low")], commit="1" * 40), tmp_path / "a.json")
    write_results(results([("b", "c", "t", "pass", "low")], commit="2" * 40), tmp_path / "b.json")
    code, out = run(
        "results", "merge", str(tmp_path / "a.json"), str(tmp_path / "b.json"),
        "--output", str(tmp_path / "all.json"),
    )  # fmt: skip
    assert code == 2
    assert "different inventory commits" in out and "1111111" in out and "2222222" in out


def test_not_a_results_file_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": "1.0"}')
    code, out = run("results", "check", str(bad))
    assert code == 2
    assert "not a matops results document" in out
    code, out = run("results", "diff", str(tmp_path / "missing.json"), str(bad))
    assert code == 2
    assert "cannot read" in out


def test_check_applies_the_scan_exit_rule(scans: Path) -> None:
    trust = str(scans / "trust.json")
    code, out = run("results", "check", trust, "--fail-on", "high", "--json")
    assert code == 1
    report = json.loads(out)
    assert report["blocking"] > 0 and report["expired_waivers"] == 2
    code, _ = run("results", "check", trust, "--fail-on", "never")
    assert code == 1, "an expired waiver fails whatever --fail-on says"
    code, out = run("results", "check", trust, "--fail-on", "sometimes")
    assert code == 2


def test_check_passes_clean_results_and_fails_on_threshold(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    write_results(results([("a", "c", "t", "fail", "medium"), ("a", "d", "t", "pass")]), path)
    assert run("results", "check", str(path), "--fail-on", "high")[0] == 0
    assert run("results", "check", str(path), "--fail-on", "medium")[0] == 1
    write_results(results([("a", "c", "t", "unreachable", "critical")]), path)
    assert run("results", "check", str(path), "--fail-on", "critical")[0] == 1


def test_diff_reports_changes_and_exit_code(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    write_results(
        results([("a", "ssh_root_login_disabled", "srv", "pass"), ("a", "x", "sw", "fail")]), old
    )
    write_results(
        results([("a", "ssh_root_login_disabled", "srv", "fail"), ("a", "x", "sw", "pass")]), new
    )
    code, out = run("results", "diff", str(old), str(new))
    assert code == 0
    assert "Regressed (passed before) (1)" in out and "Fixed (1)" in out
    assert "ssh_root_login_disabled" in out
    assert run("results", "diff", str(old), str(new), "--fail-on-new")[0] == 1
    assert run("results", "diff", str(new), str(new), "--fail-on-new")[0] == 0
    code, out = run("results", "diff", str(old), str(new), "--json")
    assert json.loads(out)["regressed"][0]["before"] == "pass"
    code, out = run("results", "diff", str(new), str(new))
    assert "no changes since the previous scan" in out
