"""Reports show what could not be judged, in every format, and never call such a school clean.

Four schools, every real host and network check on one Linux host and one switch each, controls
evaluated against the real frameworks:

* ``oakfield-primary``: every check errored (each target with its own reason);
* ``riverside-academy``: wholly unreachable;
* ``st-marys-ce-primary``: mixed: the switch passes everything but one check that errored, the
  host is unreachable; nothing failed;
* ``elm-academy``: every check passed (the only school allowed to read "No failing checks").
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped
from lxml import html as lxml_html
from typer.testing import CliRunner

from matops.cli import app
from matops.refresh.signoff import refresh_record, render_record
from matops.report.build import build_report, check_infos
from matops.report.compare import compare
from matops.report.registry import RENDERERS, write_report
from matops.report.templates import clean
from matops.scan.catalogue import load_catalogue
from matops.scan.controls import ControlStatus, evaluate_control
from matops.scan.frameworks import load_frameworks
from matops.scan.model import Finding
from matops.scan.results import Results, summarise, write_results
from tests.report.test_formats import _validator
from tests.support.results_factory import finding, results

CLEAN = "No failing checks"
TODAY = date(2026, 11, 22)
ALL_ERRORED, UNREACHABLE, MIXED, GOOD = (
    "oakfield-primary",
    "riverside-academy",
    "st-marys-ce-primary",
    "elm-academy",
)
NOT_CLEAN = (ALL_ERRORED, UNREACHABLE, MIXED)
REASONS = {
    "oak-srv01": ("error", "could not collect facts: `ss -tlnp` exited 127: ss: command not found"),
    "oak-sw01": ("error", "saved config oak-sw01.cfg is empty (0 bytes): nothing to judge"),
    "riv-srv01": ("unreachable", "host key for riv-srv01 (198.18.20.11) is not in known_hosts"),
    "riv-sw01": ("unreachable", "no SSH answer from riv-sw01 (198.18.20.2) within 10 s"),
    "stm-srv01": ("unreachable", "authentication refused for deploy@stm-srv01 (198.18.30.11)"),
}
MIXED_ERROR = (
    "switch_ntp_trust_servers",
    "could not collect facts: snmp-server community Pl4ntedNJ RO",
)
"""The mixed school's one erroring switch check; its reason carries a planted secret."""


def _checks() -> tuple[list[str], list[str]]:
    catalogue = load_catalogue()
    host = sorted(c.id for c in catalogue if c.meta.area.value == "host")
    network = sorted(c.id for c in catalogue if c.meta.area.value == "network")
    return host, network


def _rows() -> list[Finding]:
    host, network = _checks()
    found: list[Finding] = []
    for school, prefix in (
        (ALL_ERRORED, "oak"),
        (UNREACHABLE, "riv"),
        (MIXED, "stm"),
        (GOOD, "elm"),
    ):
        for target, checks in ((f"{prefix}-srv01", host), (f"{prefix}-sw01", network)):
            for check in checks:
                status, reason = REASONS.get(target, ("pass", f"{check} seen to hold"))
                if target == "stm-sw01" and check == MIXED_ERROR[0]:
                    status, reason = "error", MIXED_ERROR[1]
                made = finding(school, check, target, status)
                found.append(made.model_copy(update={"detail": reason}))
    return found


def _document() -> Results:
    findings = _rows()
    base = results([], schools=[ALL_ERRORED, UNREACHABLE, MIXED, GOOD])
    catalogue = load_catalogue()
    frameworks, _ = load_frameworks(catalogue.root / "frameworks", set(catalogue.checks))
    controls = {
        school: {
            name: [
                evaluate_control(
                    c, [f for f in findings if f.school == school], [], date(2026, 11, 22)
                )
                for c in fw.controls
            ]
            for name, fw in frameworks.items()
        }
        for school in base.scan.schools
    }
    scan = base.scan.model_copy(
        update={
            "targets": sorted({f.target for f in findings}),
            "checks": sorted({f.check for f in findings}),
        }
    )
    return base.model_copy(
        update={
            "findings": findings,
            "summary": summarise(findings, []),
            "controls": controls,
            "scan": scan,
        }
    )


@dataclass(frozen=True)
class Written:
    document: Results
    source: Path
    out: Path

    def expected(self, school: str) -> Counter[str]:
        return Counter(f.status.value for f in self.document.findings if f.school == school)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    """Every format of the report on the four schools."""
    folder = tmp_path_factory.mktemp("not-judged")
    document = _document()
    source = folder / "results.json"
    write_results(document, source)
    catalogue = load_catalogue()
    frameworks, _ = load_frameworks(catalogue.root / "frameworks", set(catalogue.checks))
    report = build_report(
        document,
        check_infos(catalogue),
        frameworks,
        None,
        compare(None, document),
        has_previous=False,
        generated="2026-11-22 03:00 UTC",
        tool_version="0.1.0",
    )
    out = folder / "report"
    write_report(report, out, list(RENDERERS))
    return Written(document, source, out)


def _groups(document: Results, school: str) -> dict[tuple[str, str], set[str]]:
    """(target, reason as published: redacted) → checks, for the school's unjudged findings."""
    groups: dict[tuple[str, str], set[str]] = {}
    for f in document.findings:
        if f.school == school and f.status.value in ("error", "unreachable"):
            groups.setdefault((f.target, clean(f.detail)), set()).add(f.check)
    return groups


def test_the_fixture_holds_what_it_says() -> None:
    document = _document()
    counts = {s: Counter(f.status.value for f in document.findings if f.school == s) for s in
              document.scan.schools}  # fmt: skip
    assert set(counts[ALL_ERRORED]) == {"error"}
    assert set(counts[UNREACHABLE]) == {"unreachable"}
    assert set(counts[MIXED]) == {"pass", "error", "unreachable"} and counts[MIXED]["error"] == 1
    assert set(counts[GOOD]) == {"pass"}


def test_controls_of_unjudged_schools_are_never_met(written: Written) -> None:
    controls = written.document.controls
    for school in (ALL_ERRORED, UNREACHABLE):
        statuses = {r.status for fw in controls[school].values() for r in fw}
        assert statuses <= {ControlStatus.NOT_VERIFIED, ControlStatus.NOT_ASSESSED}, school
        assert ControlStatus.NOT_VERIFIED in statuses
        for fw in controls[school].values():
            for r in fw:
                if r.checks:
                    assert r.status is ControlStatus.NOT_VERIFIED, (school, r.id)
    mixed = [r for fw in controls[MIXED].values() for r in fw if r.checks.get("unreachable")]
    assert mixed and all(r.status is not ControlStatus.MET for r in mixed)
    good = {r.status for fw in controls[GOOD].values() for r in fw if r.automation == "automated"}
    assert ControlStatus.MET in good


def test_markdown_counts_and_lists_every_unjudged_finding(written: Written) -> None:
    text = (written.out / "summary.md").read_text()
    lines = [line for line in text.splitlines() if CLEAN in line]
    assert len(lines) == 1 and lines[0].startswith(f"| {GOOD} |"), lines
    assert "No judged check failed, but" in text
    total = sum(
        written.expected(s)["error"] + written.expected(s)["unreachable"] for s in NOT_CLEAN
    )
    unreachable = sum(written.expected(s)["unreachable"] for s in NOT_CLEAN)
    assert f"| {total} ({unreachable}, {total - unreachable}) |" in text
    for school in NOT_CLEAN:
        counts = written.expected(school)
        row = next(line for line in text.splitlines() if line.startswith(f"| {school} |"))
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[2:7] == [str(counts["pass"]), "0", "0",
                              str(counts["error"] + counts["unreachable"]), "0"], row  # fmt: skip
        assert "Not judged:" in cells[7] and CLEAN not in cells[7]
        for (target, reason), checks in _groups(written.document, school).items():
            line = next(x for x in text.splitlines() if x.startswith(f"- {target} ") and
                        ("Pl4nted" in reason or reason in x))  # fmt: skip
            assert all(c in line for c in checks), line
    good = next(line for line in text.splitlines() if line.startswith(f"| {GOOD} |"))
    assert "no failures" in good and CLEAN in good


def test_the_headline_sentence(written: Written) -> None:
    data = json.loads((written.out / "report.json").read_text())
    by_school = {s["school"]: s for s in data["schools"]}
    errors = written.expected(ALL_ERRORED)["error"]
    assert by_school[ALL_ERRORED]["headline"] == (
        f"Position unknown: no check could be judged. 0 passed, 0 failed. "
        f"Not judged: {errors} checks gave no verdict (error: {errors})."
    )
    stm = written.expected(MIXED)
    assert by_school[MIXED]["headline"].startswith("Incomplete: no judged check failed")
    assert (
        f"Not judged: {stm['unreachable'] + 1} checks gave no verdict "
        f"(unreachable: {stm['unreachable']}, error: 1)."
    ) in by_school[MIXED]["headline"]
    assert by_school[GOOD]["headline"].startswith(CLEAN)


def test_json_counts_standings_and_reasons(written: Written) -> None:
    data = json.loads((written.out / "report.json").read_text())
    _validator().validate(data)
    by_school = {s["school"]: s for s in data["schools"]}
    assert {s: by_school[s]["standing"] for s in by_school} == {
        ALL_ERRORED: "not_judged",
        UNREACHABLE: "not_judged",
        MIXED: "incomplete",
        GOOD: "no_failures",
    }
    for school in NOT_CLEAN:
        counts = written.expected(school)
        entry = by_school[school]
        assert entry["counts"] == dict(counts)
        assert entry["not_judged_by_status"] == {
            "unreachable": counts["unreachable"],
            "error": counts["error"],
        }
        grouped = {
            (g["target"], g["reason"]): set(g["checks"]) for g in entry["not_judged_findings"]
        }
        expected = _groups(written.document, school)
        assert {t for t, _ in grouped} == {t for t, _ in expected}
        assert sorted(map(sorted, grouped.values())) == sorted(map(sorted, expected.values()))
    headline = data["headline"]
    assert headline["not_judged"] == sum(by_school[s]["not_judged"] for s in NOT_CLEAN)
    assert headline["standings"] == {"not_judged": 2, "incomplete": 1, "no_failures": 1}
    details = {(f["target"], f["check"]): f["detail"] for f in data["results"]["findings"]}
    assert details[("riv-srv01", "auditd_running")] == clean(REASONS["riv-srv01"][1])
    cells = [c for c in data["areas"] if c["school"] in (ALL_ERRORED, UNREACHABLE)]
    assert cells and {c["status"] for c in cells} <= {"not_verified", "not_assessed"}


def test_csv_has_each_unjudged_finding_with_its_reason(written: Written) -> None:
    with (written.out / "findings.csv").open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    for school in (*NOT_CLEAN, GOOD):
        got = Counter(r["status"] for r in rows if r["school"] == school)
        assert got == written.expected(school), school
    riv = [r for r in rows if r["target"] == "riv-sw01"]
    assert riv and all(r["status"] == "unreachable" and r["detail"] == clean(REASONS["riv-sw01"][1])
                       for r in riv)  # fmt: skip


def test_junit_reports_unjudged_findings_as_errors(written: Written) -> None:
    xml = JUnitXml.fromfile(str(written.out / "junit.xml"))
    suites = {s.name: s for s in xml}
    for school in (*NOT_CLEAN, GOOD):
        counts = written.expected(school)
        suite = suites[school]
        assert suite.errors == counts["error"] + counts["unreachable"], school
        assert suite.failures == 0 and suite.skipped == 0
        cases = list(suite)
        errored = [c for c in cases if any(isinstance(r, Error) for r in c.result)]
        passed = [c for c in cases if not c.result]
        assert len(errored) == counts["error"] + counts["unreachable"]
        assert len(passed) == counts["pass"]
        assert not [c for c in cases if any(isinstance(r, Failure | Skipped) for r in c.result)]
    case = next(c for c in suites[UNREACHABLE] if c.name == "auditd_running on riv-srv01")
    (error,) = case.result
    assert error.type == "unreachable" and clean(REASONS["riv-srv01"][1]) in error.message


def _page(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(path.read_text(encoding="utf-8"))


def _text(node: lxml_html.HtmlElement) -> str:
    return " ".join(node.text_content().split())


def test_overview_never_reads_clean_and_shows_counts_only(written: Written) -> None:
    raw = (written.out / "index.html").read_text(encoding="utf-8")
    page = _page(written.out / "index.html")
    shown = [n for n in page.xpath("//body//*[not(*)]") if CLEAN in (n.text or "")]
    assert [n.getparent().get("id") for n in shown] == [f"standing-{GOOD}"]
    assert "this is not a clean result" in _text(page.xpath('//section[@id="top-risks"]')[0])
    for school, standing in ((ALL_ERRORED, "not_judged"), (UNREACHABLE, "not_judged"),
                             (MIXED, "incomplete"), (GOOD, "no_failures")):  # fmt: skip
        (row,) = page.xpath(f'//tr[@id="standing-{school}"]')
        assert row.get("data-standing") == standing
        counts = written.expected(school)
        assert _text(row.xpath('td[@class="nj"]')[0]) == str(
            counts["error"] + counts["unreachable"]
        )
    cells = page.xpath(
        f'//table[@class="heatmap"]//tr[th/a[text()="{UNREACHABLE}"]]/td[@data-status]'
    )
    assert cells and {c.get("data-status") for c in cells} <= {"not_verified", "not_assessed"}
    for _, reason in REASONS.values():
        assert clean(reason) not in raw, "governors' overview carries counts, not technical reasons"


def test_school_pages_list_each_reason(written: Written) -> None:
    for school in NOT_CLEAN:
        raw = (written.out / "schools" / f"{school}.html").read_text(encoding="utf-8")
        assert CLEAN not in raw
        page = _page(written.out / "schools" / f"{school}.html")
        standing = page.xpath('//p[@id="standing"]')[0]
        assert "Not judged:" in _text(standing)
        rows = page.xpath('//section[@id="not-judged"]//table[@class="not-judged"]//tr[td]')
        shown = {(_text(r.xpath("td")[0]).split(" (")[0], _text(r.xpath('td[@class="reason"]')[0]))
                 for r in rows}  # fmt: skip
        expected = _groups(written.document, school)
        assert len(rows) == len(expected)
        for target, reason in expected:
            if "Pl4nted" not in reason:
                assert (target, reason) in shown
        for control in page.xpath('//div[@class="control"]'):
            if school != MIXED:
                assert control.get("data-status") in ("not_verified", "not_assessed")
    good = (written.out / "schools" / f"{GOOD}.html").read_text(encoding="utf-8")
    assert CLEAN in good


def _pdftotext(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")
def test_pdf_shows_position_and_reasons(written: Written) -> None:
    for school in NOT_CLEAN:
        body = _pdftotext(written.out / "pdf" / f"{school}.pdf")
        assert CLEAN not in body
        assert "Could not be judged" in body and "Not judged:" in body
        for target, reason in _groups(written.document, school):
            if "Pl4nted" not in reason:
                # long cells wrap: compare the first words of the reason
                assert " ".join(reason.split()[:4]) in body, (school, target, reason)
    assert "Position unknown" in _pdftotext(written.out / "pdf" / f"{UNREACHABLE}.pdf")
    assert CLEAN in _pdftotext(written.out / "pdf" / f"{GOOD}.pdf")


def test_no_planted_secret_from_a_reason_reaches_any_file(written: Written) -> None:
    for path in written.out.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("latin-1")
            if path.suffix == ".pdf" and shutil.which("pdftotext"):
                text += _pdftotext(path)
            assert "Pl4nted" not in text, path


def test_signoff_record_never_reads_clean(written: Written, tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    journal.write_text("")
    school = {"id": UNREACHABLE, "name": "Riverside Academy", "wave": 1}
    record = refresh_record(tmp_path, journal, UNREACHABLE, written.document, written.document)
    md, _ = render_record(record, school, tmp_path)
    text = md.read_text()
    assert CLEAN not in text
    assert "**after (post-scan): not judged.** Position unknown" in text
    for (target, reason), checks in _groups(written.document, UNREACHABLE).items():
        line = next(x for x in text.splitlines() if x.startswith(f"- {target} "))
        assert reason in line and str(len(checks)) in line
    good = refresh_record(tmp_path, journal, GOOD, None, written.document)
    assert "No failing checks" in good["position"]["after (post-scan)"]["headline"]
    assert good["position"]["before (pre-scan)"] is None


def test_results_check_names_what_could_not_be_judged(written: Written) -> None:
    result = CliRunner().invoke(
        app, ["results", "check", str(written.source), "--fail-on", "never"], terminal_width=400
    )
    assert result.exit_code == 0, result.output
    assert CLEAN not in result.output
    total = written.document.summary.by_status
    assert re.search(
        rf"Not judged: {total['error'] + total['unreachable']} checks gave no verdict "
        rf"\(unreachable: {total['unreachable']}, error: {total['error']}\)\.",
        result.output,
    )
    for school in NOT_CLEAN:
        assert f"{school}: " in result.output
    assert f"{GOOD}: " not in result.output
    data = CliRunner().invoke(
        app, ["results", "check", str(written.source), "--fail-on", "high", "--json"]
    )
    assert data.exit_code == 1
    report = json.loads(data.output)
    assert report["not_judged"][UNREACHABLE] == {
        "unreachable": written.expected(UNREACHABLE)["unreachable"],
        "error": 0,
    }
    assert GOOD not in report["not_judged"]
