"""The flat formats: Markdown summary, JSON (results plus computed status), CSV, JUnit XML."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from jinja2 import Environment

from matops.report.model import Report
from matops.report.templates import clean, environment
from matops.scan.model import Finding

REPORT_VERSION = "1.4"
"""Version of ``report.json``'s shape (``schemas/report.schema.json``)."""

CSV_COLUMNS = (
    "school",
    "target",
    "kind",
    "check",
    "title",
    "area",
    "status",
    "severity",
    "detail",
    "waiver_approver",
    "waiver_expires",
    "evidence_source",
    "evidence_sha256",
    "collected_at",
    "fix",
)


def render_markdown(report: Report, out: Path, env: Environment | None = None) -> list[Path]:
    """``summary.md``: headline, heatmap as a table, top risks and changes (for a PR or ticket)."""
    text = (env or environment()).get_template("summary.md.j2").render(r=report)
    path = out / "summary.md"
    path.write_text(text, encoding="utf-8")
    return [path]


def _clean_results(report: Report) -> dict[str, Any]:
    data = report.results.model_dump(mode="json")
    for finding in data["findings"]:
        finding["detail"] = clean(finding["detail"])
        for evidence in finding["evidence"]:
            evidence["excerpt"] = clean(evidence["excerpt"])
    return data


def _clean_changes(report: Report) -> dict[str, Any]:
    data = report.changes.model_dump(mode="json")
    for items in data.values():
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict) and "detail" in item:
                    item["detail"] = clean(item["detail"])
    return data


def report_document(report: Report) -> dict[str, Any]:
    """The JSON report: the results (secrets redacted again) plus what the report computed."""
    return {
        "report_version": REPORT_VERSION,
        "generated": report.generated,
        "tool_version": report.tool_version,
        "results": _clean_results(report),
        "areas": [cell.model_dump(mode="json") for cell in report.cells],
        "headline": report.headline.model_dump(mode="json"),
        "schools": [school.standing.model_dump(mode="json") for school in report.schools],
        "top_risks": [risk.model_dump(mode="json") for risk in report.top_risks],
        "changes": _clean_changes(report),
        "has_previous": report.has_previous,
        "lifecycle": [band.model_dump(mode="json") for band in report.lifecycle],
        "tenants": [t.figures.model_dump(mode="json") for t in report.tenants],
        "devices": {
            "models": [line.model_dump(mode="json") for line in report.devices],
            "terms": [term.model_dump(mode="json") for term in report.device_terms],
        },
    }


def render_json(report: Report, out: Path) -> list[Path]:
    """``report.json`` (schema ``schemas/report.schema.json``)."""
    path = out / "report.json"
    with path.open("w", encoding="utf-8") as stream:
        json.dump(report_document(report), stream, indent=1, ensure_ascii=False)
        stream.write("\n")
    return [path]


def _csv_row(report: Report, f: Finding) -> list[str]:
    evidence = f.evidence[0] if f.evidence else None
    info = report.checks.get(f.check)
    return [
        f.school,
        f.target,
        f.kind,
        f.check,
        f.title,
        f.area,
        f.status.value,
        f.severity.value,
        clean(f.detail),
        f.waiver.approver if f.waiver else "",
        f.waiver.expires.isoformat() if f.waiver else "",
        clean(evidence.source) if evidence else "",
        evidence.sha256 if evidence else "",
        evidence.collected_at.isoformat() if evidence else "",
        info.fix if info else "",
    ]


def render_csv(report: Report, out: Path) -> list[Path]:
    """``findings.csv``: one row per finding (first evidence item's source, hash and time)."""
    path = out / "findings.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        for finding in report.results.findings:
            writer.writerow(_csv_row(report, finding))
    return [path]


def _testcase(suite: ET.Element, f: Finding) -> None:
    case = ET.SubElement(
        suite, "testcase", name=f"{f.check} on {f.target}", classname=f"{f.school}.{f.check}"
    )
    case.set("time", "0")
    detail = clean(f.detail)
    element = f.status.junit
    if element == "failure":
        failure = ET.SubElement(case, "failure", message=detail, type=f.severity.value)
        failure.text = "\n".join(f"{e.source} ({e.collected_at.isoformat()})" for e in f.evidence)
    elif element == "error":
        error = ET.SubElement(case, "error", message=f"{f.status.value}: {detail}")
        error.set("type", f.status.value)
        error.text = f"not judged ({f.status.value}): {detail}"
    elif element == "skipped":
        ET.SubElement(case, "skipped", message=f"{f.status.value}: {detail}")


def render_junit(report: Report, out: Path) -> list[Path]:
    """``junit.xml``: one test suite per school, one test case per check and target."""
    root = ET.Element("testsuites", name=f"matops {report.trust}")
    by_school: dict[str, list[Finding]] = {}
    for finding in report.results.findings:
        by_school.setdefault(finding.school, []).append(finding)
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for school in sorted(by_school):
        findings = by_school[school]
        counts = {
            "tests": len(findings),
            "failures": sum(1 for f in findings if f.status.junit == "failure"),
            "errors": sum(1 for f in findings if f.status.junit == "error"),
            "skipped": sum(1 for f in findings if f.status.junit == "skipped"),
        }
        attrib = {
            "name": school,
            "timestamp": report.results.scan.started.replace(tzinfo=None).isoformat(),
            "time": "0",
            **{k: str(v) for k, v in counts.items()},
        }
        suite = ET.SubElement(root, "testsuite", attrib)
        for finding in findings:
            _testcase(suite, finding)
        totals = {k: totals[k] + counts[k] for k in totals}
    for key, value in totals.items():
        root.set(key, str(value))
    path = out / "junit.xml"
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return [path]
