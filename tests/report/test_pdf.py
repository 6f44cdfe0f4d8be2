"""The PDF edition as pdftotext reads it: on the example trust's full report, every school's PDF
carries every section heading, every control with its status and verdict, every finding that
failed or gave no verdict (with its evidence's source and hash), what was not judged and what was
not assessed; and it says where the evidence excerpts it leaves out are.

The PDF lays long lists out as lines of text rather than tables (docs/reports.md, "Speed"), and
pdftotext breaks long lines at hyphens and spaces, so the text is compared with all whitespace
removed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from matops.report.model import STATUS_LABELS
from matops.report.templates import one_line
from matops.report.text import slug, verdict
from matops.scan.controls import ControlResult, ControlStatus
from tests.report.conftest import Scans

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")

SECTIONS = ("Could not be judged", "Technical findings", "Waivers", "Attestations")
FRAMEWORK_HEADINGS = {
    "dfe_standards": "DfE digital and technology standards",
    "cyber_essentials": "Cyber Essentials",
}
PROBLEMS = ("fail", "error", "unreachable")


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _pdf_text(path: Path, footer: str) -> str:
    """The PDF's text without the page footers (a list entry may run over a page break).

    ``-layout`` keeps a hyphen where a line broke after one (plain pdftotext joins the halves
    without it, taking the break for hyphenation).
    """
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    lines = done.stdout.replace("\f", "\n").splitlines()
    pattern = rf"({re.escape(footer)})?\s*(Page \d+ of \d+)?"
    kept = [ln for ln in lines if not (ln.strip() and re.fullmatch(pattern, ln.strip()))]
    assert len(kept) < len(lines), "no page footer found"
    return _squeezed("\n".join(kept))


@pytest.fixture(scope="module")
def texts(full_report: Path, scans: Scans) -> dict[str, str]:
    trust: str = scans.data["inventory"]["name"]
    schools: list[str] = scans.data["scan"]["schools"]
    return {s: _pdf_text(full_report / "pdf" / f"{slug(s)}.pdf", f"{trust}: {s}") for s in schools}


def test_every_school_has_a_pdf_with_every_section(
    texts: dict[str, str], scans: Scans, full_report: Path
) -> None:
    assert sorted(p.stem for p in (full_report / "pdf").glob("*.pdf")) == sorted(
        slug(s) for s in scans.data["scan"]["schools"]
    )
    skipped = {s["school"] for s in scans.data["skipped"]}
    for school, body in texts.items():
        assert _squeezed(f"Compliance report: {school}") in body
        for heading in (*SECTIONS, "Cloud identity", *FRAMEWORK_HEADINGS.values()):
            assert _squeezed(heading) in body, (school, heading)
        assert (_squeezed("Not assessed in this scan") in body) == (school in skipped), school
        assert _squeezed(f"schools/{slug(school)}.html") in body, "where the excerpts are"


def test_every_control_appears_with_its_status_and_verdict(
    texts: dict[str, str], scans: Scans
) -> None:
    seen = 0
    for school, frameworks in scans.data["controls"].items():
        body = texts[school]
        for controls in frameworks.values():
            for raw in controls:
                control = ControlResult.model_validate(raw)
                line = _squeezed(f"• {control.id} {one_line(control.title)}")
                assert line in body, (school, control.id)
                # the group heading above the control: its status label, then its verdict
                group = _squeezed(
                    f"{STATUS_LABELS[ControlStatus(control.status)]} {verdict(control)}"
                )
                heading_at = body.rfind(group, 0, body.index(line))
                assert heading_at >= 0, (school, control.id, group)
                seen += 1
    assert seen > 100


def _problems(data: dict[str, Any], school: str) -> list[dict[str, Any]]:
    return [f for f in data["findings"] if f["school"] == school and f["status"] in PROBLEMS]


def test_every_problem_finding_appears_with_its_evidence(
    texts: dict[str, str], scans: Scans
) -> None:
    checked = 0
    for school, body in texts.items():
        for f in _problems(scans.data, school):
            assert _squeezed(f["check"]) in body, (school, f["check"])
            entry = _squeezed(f"• {f['target']} {f['status']}: {one_line(f['detail'])}")
            assert entry in body, (school, f["check"], f["target"])
            for ev in f["evidence"]:
                assert _squeezed(f"sha256 {ev['sha256'][:16]}") in body
                assert _squeezed(one_line(ev["source"])) in body
            checked += 1
    assert checked > 20
    assert {f["status"] for s in texts for f in _problems(scans.data, s)} >= {"fail"}


def test_every_reason_for_not_assessing_appears_with_its_count(
    texts: dict[str, str], full_report: Path
) -> None:
    document = json.loads((full_report / "report.json").read_text())
    by_reason: dict[tuple[str, str], int] = {}
    for s in document["results"]["skipped"]:
        key = (s["school"], s["reason"])
        by_reason[key] = by_reason.get(key, 0) + 1
    assert by_reason, "the offline scan should leave host checks not assessed"
    for (school, reason), count in by_reason.items():
        noun = "check" if count == 1 else "checks"
        assert _squeezed(f"• {one_line(reason)}: {count} {noun} on") in texts[school], reason
