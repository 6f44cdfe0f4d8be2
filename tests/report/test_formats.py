"""The flat formats read back: JUnit parses as JUnit, CSV has one row per finding, JSON validates
against the report schema (which embeds the results schema), and the manifest catches changes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml, Skipped
from referencing import Registry, Resource
from typer.testing import CliRunner

from matops.cli import app
from matops.report.manifest import MANIFEST, verify
from tests.report.conftest import REPO, Scans, copy_report


def test_junit_is_valid_junit_with_one_case_per_check_and_target(
    full_report: Path, scans: Scans
) -> None:
    xml = JUnitXml.fromfile(str(full_report / "junit.xml"))
    cases = [case for suite in xml for case in suite]
    findings = scans.data["findings"]
    assert len(cases) == len(findings)
    assert len({(c.classname, c.name) for c in cases}) == len(cases)
    failing = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]
    assert len(failing) == sum(1 for f in findings if f["status"] == "fail")
    skipped = [c for c in cases if any(isinstance(r, Skipped) for r in c.result)]
    assert len(skipped) == sum(1 for f in findings if f["status"] in {"waived", "not_applicable"})
    errors = [c for c in cases if any(isinstance(r, Error) for r in c.result)]
    assert len(errors) == sum(1 for f in findings if f["status"] in {"error", "unreachable"})
    assert {s.name for s in xml} == set(scans.data["scan"]["schools"])
    assert sum(s.tests for s in xml) == len(findings)


def test_csv_reads_back_one_row_per_finding(full_report: Path, scans: Scans) -> None:
    with (full_report / "findings.csv").open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    findings = scans.data["findings"]
    assert len(rows) == len(findings)
    assert [(r["school"], r["target"], r["check"], r["status"]) for r in rows] == [
        (f["school"], f["target"], f["check"], f["status"]) for f in findings
    ]
    radius = next(r for r in rows if r["check"] == "switch_aaa_radius" and r["status"] == "fail")
    assert radius["evidence_source"].endswith(".cfg") and len(radius["evidence_sha256"]) == 64
    assert radius["fix"]


def _validator() -> jsonschema.Draft202012Validator:
    schemas = [json.loads((REPO / "schemas" / n).read_text()) for n in ("results.schema.json",)]
    registry: Registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas
    )
    schema = json.loads((REPO / "schemas" / "report.schema.json").read_text())
    return jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=jsonschema.FormatChecker()
    )


def test_json_validates_against_the_report_schema(full_report: Path, scans: Scans) -> None:
    data = json.loads((full_report / "report.json").read_text())
    _validator().validate(data)
    assert len(data["results"]["findings"]) == len(scans.data["findings"])
    assert data["has_previous"] is True
    assert {c["school"] for c in data["areas"]} == set(scans.data["scan"]["schools"])


def test_json_schema_rejects_a_wrong_control_status(full_report: Path) -> None:
    data = json.loads((full_report / "report.json").read_text())
    data["areas"][0]["status"] = "mostly_fine"
    with pytest.raises(jsonschema.ValidationError):
        _validator().validate(data)


def test_markdown_summary_has_heatmap_and_changes(full_report: Path, scans: Scans) -> None:
    text = (full_report / "summary.md").read_text()
    assert "## Changes since the previous scan" in text
    assert "- regressed: 1" in text and "- fixed: 1" in text
    assert scans.previous.regressed["check"] in text
    for school in scans.data["scan"]["schools"]:
        assert f"| {school} |" in text


def test_verify_passes_on_the_written_report(full_report: Path) -> None:
    assert verify(full_report) == []
    result = CliRunner().invoke(app, ["report", "verify", str(full_report)])
    assert result.exit_code == 0, result.output


def test_verify_detects_a_changed_byte_in_every_file(full_report: Path, tmp_path: Path) -> None:
    folder = copy_report(full_report, tmp_path / "copy")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST)
    assert len(files) > 10
    for path in files:
        original = path.read_bytes()
        middle = len(original) // 2
        path.write_bytes(original[:middle] + bytes([original[middle] ^ 1]) + original[middle + 1 :])
        rel = path.relative_to(folder).as_posix()
        assert [(p.path, p.reason) for p in verify(folder)] == [(rel, "altered")]
        path.write_bytes(original)
    assert verify(folder) == []


def test_verify_cli_names_altered_missing_and_extra_files(
    full_report: Path, tmp_path: Path
) -> None:
    folder = copy_report(full_report, tmp_path / "copy")
    (folder / "summary.md").write_text("all fine\n")
    (folder / "findings.csv").unlink()
    (folder / "extra.html").write_text("<p>added later</p>")
    result = CliRunner().invoke(app, ["report", "verify", str(folder)], terminal_width=300)
    assert result.exit_code == 1
    assert "summary.md: altered" in result.output
    assert "findings.csv: missing" in result.output
    assert "extra.html: not in manifest" in result.output


def test_manifest_is_sha256sum_compatible(full_report: Path) -> None:
    import subprocess

    done = subprocess.run(
        ["sha256sum", "--check", "--quiet", MANIFEST], cwd=full_report, capture_output=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_unknown_format_is_a_usage_error(scans: Scans, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["report", str(scans.current), "--format", "html,docx", "--output", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "docx" in result.output and "junit" in result.output
