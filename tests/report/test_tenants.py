"""The cloud identity section of the example trust's reports, from an offline scan whose tenants
were exported from the tenant simulator (the example trust's data, its planted problems): MFA
coverage as a number and a chart, administrators, leavers; counts for governors, staff names for
technicians, pupils never named anywhere (HTML, PDF, Markdown, JSON, CSV, JUnit, sign-off pack).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from matops.refresh.signoff import pack_dir, write_pack
from tests.report.conftest import EXAMPLE, Scans, scan

M365, GOOGLE = "northfield-m365", "northfield-google"
TENANT_DATA = EXAMPLE / "lab" / "tenants"
LEAVER_ENABLED = "p.quinn@northfield.example"
"""The planted leaver (left 21/07/2026) still enabled in the Microsoft 365 tenant."""
LEAVER_DISABLED = "k.osei@northfield.example"


def pupil_names() -> set[str]:
    """Every pupil's names and addresses in the simulator's example data: the Microsoft 365
    tenant's 'All Pupils' group members and the Google users under the /Pupils org unit."""
    users = json.loads((TENANT_DATA / M365 / "users.json").read_text())
    groups = json.loads((TENANT_DATA / M365 / "groups.json").read_text())
    members = {m for g in groups if g["displayName"] == "All Pupils" for m in g["members"]}
    found: set[str] = set()
    for u in users:
        if u["id"] in members:
            found |= {u["displayName"], u["givenName"], u["surname"], u["userPrincipalName"]}
            found.add(u["userPrincipalName"].split("@")[0])
    for u in json.loads((TENANT_DATA / GOOGLE / "users.json").read_text()):
        if u["orgUnitPath"].startswith("/Pupils"):
            name = u["name"]
            found |= {name["fullName"], name["givenName"], name["familyName"], u["primaryEmail"]}
            found.add(u["primaryEmail"].split("@")[0])
    return {n for n in found if n}


def _pdftotext(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def _texts(folder: Path) -> dict[Path, str]:
    """Every file's text; PDFs by their extracted text (poppler-utils; left out without it,
    their compressed streams hold no readable text to search)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".pdf":
            if shutil.which("pdftotext"):
                out[path] = _pdftotext(path)
        elif path.is_file():
            out[path] = path.read_text(encoding="utf-8")
    return out


def _section(path: Path) -> Any:
    page = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    found = page.xpath('//section[@id="tenants"]')
    assert found, f"no tenants section in {path}"
    return found[0]


def test_the_scan_judged_the_tenants_with_figures(scans: Scans) -> None:
    tenant = [f for f in scans.data["findings"] if f["subject"] == "tenant"]
    assert {f["target"] for f in tenant} == {M365, GOOGLE}
    leavers = next(
        f for f in tenant if f["check"] == "entra_leavers_disabled" and f["target"] == M365
    )
    assert leavers["status"] == "fail"
    assert leavers["figures"] == {"leavers": 2, "leavers_enabled": 1, "leavers_disabled": 1}
    assert leavers["staff_accounts"]["leavers_enabled"] == [LEAVER_ENABLED]


def test_a_school_page_shows_coverage_chart_admins_and_leavers(full_report: Path) -> None:
    section = _section(full_report / "schools" / "riverside-academy.html")
    tenant = section.xpath(f'.//div[@id="tenant-{M365}"]')[0]
    text = " ".join(tenant.text_content().split())
    assert "92% staff with MFA (13 of 14)" in text
    assert "6 Global Administrators" in text
    assert "1 leavers still enabled (of 2 past their leave date)" in text
    bars = tenant.xpath(
        './/svg[@aria-label="MFA coverage in northfield-m365"]//rect[@class="mfa-bar"]'
    )
    assert [b.get("width") for b in bars] == ["334.3", "360.0"]  # 13/14 and 6/6 of 360
    # the technician's part names staff: the leavers and the administrators
    assert f"Leavers still enabled (1): {LEAVER_ENABLED}" in text
    assert f"Leavers disabled (1): {LEAVER_DISABLED}" in text
    assert "Global Administrators (6): adm-hokafor@northfield.example" in text
    # St Mary's is served by the Google tenant only
    stm = _section(full_report / "schools" / "st-marys-ce-primary.html")
    assert [d.get("id") for d in stm.xpath('.//div[@class="tenant"]')] == [f"tenant-{GOOGLE}"]


def test_the_governors_views_give_counts_and_no_account(full_report: Path) -> None:
    overview = " ".join(_section(full_report / "index.html").text_content().split())
    assert "92% staff with MFA (13 of 14)" in overview and "@" not in overview
    summary = (full_report / "summary.md").read_text(encoding="utf-8")
    row = next(line for line in summary.splitlines() if line.startswith(f"| {M365} |"))
    assert "13 of 14 (92%)" in row and "| 1 of 2 |" in row and "@" not in row
    report = json.loads((full_report / "report.json").read_text(encoding="utf-8"))
    m365 = next(t for t in report["tenants"] if t["tenant"] == M365)
    assert m365["mfa"] == [
        {"group": "staff", "registered": 13, "required": 14},
        {"group": "administrators", "registered": 6, "required": 6},
    ]
    assert (m365["top_admins"], m365["leavers"], m365["leavers_enabled"]) == (6, 2, 1)
    assert m365["schools"] == ["oakfield-primary", "riverside-academy"]
    google = next(t for t in report["tenants"] if t["tenant"] == GOOGLE)
    assert google["mfa"] == [  # seven active staff enrolled in 2SV (the suspended leaver left out)
        {"group": "staff", "registered": 7, "required": 7},
        {"group": "administrators", "registered": 3, "required": 3},
    ]
    assert (google["leavers"], google["leavers_enabled"], google["leavers_disabled"]) == (2, 0, 1)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")
def test_the_pdf_gives_the_tenant_counts(full_report: Path) -> None:
    body = _pdftotext(full_report / "pdf" / "riverside-academy.pdf")
    assert "Cloud identity" in body and "staff with MFA (13 of 14)" in body
    assert "1 leavers still enabled (of 2 past their leave date)" in body


def test_tenants_bring_the_not_assessed_controls_down(scans: Scans, tmp_path: Path) -> None:
    """The same offline scan without the tenant export leaves the tenant controls unassessed."""
    configs = scans.current.parent / "configs"
    without = scan(configs, tmp_path / "without.json")

    def not_assessed(data: dict[str, Any]) -> int:
        return sum(
            1
            for frameworks in data["controls"].values()
            for controls in frameworks.values()
            for c in controls
            if c["status"] == "not_assessed"
        )

    assert not [f for f in without["findings"] if f["subject"] == "tenant"]
    assert not_assessed(scans.data) < not_assessed(without)
    assert len(scans.data["skipped"]) < len(without["skipped"])


def test_no_pupil_name_reaches_any_report(full_report: Path, scans: Scans, tmp_path: Path) -> None:
    names = pupil_names()
    assert len(names) > 20  # 11 pupils in the example data, each by name, parts and address
    journal = tmp_path / "journal.jsonl"
    journal.write_text("")
    school = {"id": "oakfield-primary", "name": "Oakfield Primary", "wave": 1}
    write_pack(tmp_path, journal, school, tmp_path / "no-pre.json", scans.current)
    texts = _texts(full_report) | _texts(pack_dir(tmp_path, "oakfield-primary"))
    texts[scans.current] = scans.current.read_text(encoding="utf-8")
    assert any(LEAVER_ENABLED in t for t in texts.values())  # staff do reach the reports
    assert any(p.name == "refresh.md" and LEAVER_ENABLED in t for p, t in texts.items())
    pdfs = [t for p, t in texts.items() if p.suffix == ".pdf"]
    assert pdfs and all("Cloud identity" in t for t in pdfs if shutil.which("pdftotext"))
    pattern = re.compile(
        r"(?<![\w.])(" + "|".join(re.escape(n) for n in sorted(names)) + r")(?![\w])",
        re.IGNORECASE,
    )
    for path, text in texts.items():
        leaked = sorted({m.group(1) for m in pattern.finditer(text)})
        assert not leaked, f"{path}: {leaked}"
