"""The HTML report as a browser shows it (headless Chromium), the PDFs as pdftotext reads them,
no external resources anywhere, and no planted secret in any file of the report."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from matops.report.text import slug
from tests.report.conftest import REPO, SECRETS, Scans, finding_id

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO / "test-artifacts"
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Debian package chromium missing")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")

_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions"]


def dom(page: Path) -> lxml_html.HtmlElement:
    """The page's DOM after Chromium loaded it (scripts run)."""
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, *_FLAGS, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return lxml_html.fromstring(done.stdout)


def text(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


@needs_chromium
def test_school_page_shows_verdicts_for_governors(full_report: Path, scans: Scans) -> None:
    school = "oakfield-primary"
    page = dom(full_report / "schools" / f"{school}.html")
    controls = scans.data["controls"][school]
    for framework in ("dfe_standards", "cyber_essentials"):
        for control in controls[framework]:
            (node,) = page.xpath(f'//div[@id="ctl-{control["id"]}"]')
            assert node.get("data-status") == control["status"]
            badge = text(node.xpath(".//span[contains(@class,'badge')]")[0])
            assert badge == control["status"].replace("_", " ")
            verdict = text(node.xpath(".//p[@class='verdict']")[0])
            openings = {
                "met": ("In place.",),
                "partly_met": ("Partly in place", "Partly verified"),
                "not_met": ("Not in place.",),
                "not_assessed": ("Not yet assessed.",),
                "not_verified": ("Could not be verified",),
                "accepted_risk": ("A known gap the trust has formally accepted",),
            }[control["status"]]
            assert verdict.startswith(openings), (control["id"], verdict)
    expired = next(c for c in controls["rpa_cyber"] if c["id"] == "RPA-CYB-02")
    node = page.xpath('//div[@id="ctl-RPA-CYB-02"]')[0]
    assert f"expired on {expired['attestation']['expires']}" in text(node)


@needs_chromium
def test_school_page_shows_a_findings_evidence(full_report: Path, scans: Scans) -> None:
    finding = next(
        f
        for f in scans.data["findings"]
        if f["check"] == "switch_aaa_radius" and f["status"] == "fail"
    )
    page = dom(full_report / "schools" / f"{slug(finding['school'])}.html")
    (node,) = page.xpath(f'//div[@id="{finding_id(finding)}"]')
    evidence = finding["evidence"][0]
    assert evidence["source"] in text(node.xpath(".//*[@class='ev-source']")[0])
    assert evidence["collected_at"][:19].replace("T", " ") in text(node)
    excerpt = node.xpath(".//pre[@class='excerpt']")[0].text_content()
    assert excerpt.splitlines()[:5] == evidence["excerpt"].splitlines()[:5]
    check = node.getparent()
    assert "Fix:" in text(check) and finding["detail"] in text(node)


@needs_chromium
def test_overview_changes_section_lists_each_kind_of_change(
    full_report: Path, scans: Scans
) -> None:
    page = dom(full_report / "index.html")
    (section,) = page.xpath('//section[@id="changes"]')
    planned = scans.previous
    for anchor, finding, before in (
        ("regressed", planned.regressed, "pass"),
        ("new-failures", planned.new_failure, "absent"),
        ("fixed", planned.fixed, "fail"),
        ("newly-waived", planned.newly_waived, "fail"),
    ):
        rows = section.xpath(f'.//h3[@id="{anchor}"]/following-sibling::table[1]//tr[td]')
        cells = [[text(td) for td in row.xpath("td")] for row in rows]
        assert [finding["school"], finding["target"], finding["check"]] in [c[:3] for c in cells]
        assert len(rows) == 1, (anchor, cells)
        assert cells[0][4] == before and cells[0][5] == finding["status"]
    expired = section.xpath('.//h3[@id="expired-waivers"]/following-sibling::table[1]//tr[td]')
    assert len(expired) == len(scans.data["expired_waivers"]) > 0
    attest = section.xpath('.//h3[@id="expired-attestations"]/following-sibling::table[1]//tr[td]')
    assert len(attest) == len(scans.data["expired_attestations"]) > 0


@needs_chromium
def test_overview_heatmap_and_screenshot(full_report: Path, scans: Scans) -> None:
    page = dom(full_report / "index.html")
    cells = page.xpath('//table[@class="heatmap"]//td[@data-status]')
    schools = scans.data["scan"]["schools"]
    assert len(cells) % len(schools) == 0 and len(cells) >= 3 * len(schools)
    statuses = {c.get("data-status") for c in cells}
    assert statuses <= {
        "met",
        "partly_met",
        "not_met",
        "not_assessed",
        "not_verified",
        "accepted_risk",
    }
    assert page.xpath('//section[@id="top-risks"]//tr[td]')
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-overview.png"
    shot.unlink(missing_ok=True)
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            *_FLAGS,
            "--hide-scrollbars",
            f"--screenshot={shot}",
            "--window-size=1400,1000",
            (full_report / "index.html").as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_chromium
def test_lifecycle_page_counts_and_chart(full_report: Path) -> None:
    page = dom(full_report / "lifecycle.html")
    rows = page.xpath('//section[@id="lifecycle-support"]//table//tr[td]')
    assert [text(r.xpath("td")[0]) for r in rows] == [
        "oakfield-primary",
        "riverside-academy",
        "st-marys-ce-primary",
    ]
    for row in rows:
        _already, m12, m24, m36 = (int(text(td)) for td in row.xpath("td")[1:5])
        assert m12 <= m24 <= m36
    assert page.xpath('//section[@id="lifecycle-support"]//svg//rect')


@needs_poppler
def test_pdf_has_a_cover_and_numbered_pages(full_report: Path, scans: Scans) -> None:
    pdfs = sorted((full_report / "pdf").glob("*.pdf"))
    assert [p.stem for p in pdfs] == scans.data["scan"]["schools"]
    pdf = full_report / "pdf" / "oakfield-primary.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    assert pages > 2
    cover = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for expected in (
        "Meadowbrook Learning Trust",
        "oakfield-primary",
        "2026-11-22",
        "Cyber Essentials",
        scans.data["tool"]["version"],
        scans.data["inventory"]["commit"],
    ):
        assert expected in cover, expected
    assert "Page 1 of" not in cover
    body = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"Page 2 of {pages}" in body and f"Page {pages} of {pages}" in body
    assert "DFE-CYBER" in body and "Technical findings" in body
    assert "switch_aaa_radius" in body


_EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def test_no_external_resource_in_any_html(full_report: Path) -> None:
    pages = list(full_report.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        content = page.read_text(encoding="utf-8")
        assert not _EXTERNAL.search(content), page
        assert "<link" not in content and "@import" not in content, page


def _all_text(folder: Path) -> dict[Path, str]:
    texts = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".pdf":
            texts[path] = subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout
        texts[path] = texts.get(path, "") + path.read_bytes().decode("latin-1")
    return texts


@needs_poppler
def test_planted_secrets_appear_in_no_report_file(full_report: Path, scans: Scans) -> None:
    network = [f for f in scans.data["findings"] if f["area"] == "network"]
    assert network, "the planted configs were not scanned"
    files = _all_text(full_report)
    assert any(p.suffix == ".pdf" for p in files)
    for path, content in files.items():
        for secret in SECRETS:
            assert secret not in content, f"{secret} in {path}"
    assert any("<redacted>" in c or "&lt;redacted&gt;" in c for c in files.values())


def test_secrets_that_reach_the_results_are_redacted_in_every_format(
    scans: Scans, tmp_path: Path
) -> None:
    """Defence in depth: even a results file carrying secrets gives reports without them."""
    import json

    from typer.testing import CliRunner

    from matops.cli import app
    from tests.report.conftest import EXAMPLE, PLANTED

    data = json.loads(scans.current.read_text())
    leaky = next(f for f in data["findings"] if f["area"] == "network" and f["status"] == "fail")
    leaky["detail"] = "saw: " + PLANTED["ios"][0]
    leaky["evidence"][0]["excerpt"] = "\n".join(PLANTED["ios"] + PLANTED["aoscx"])
    source = tmp_path / "leaky.json"
    source.write_text(json.dumps(data))
    assert "Pl4nted" in source.read_text()
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(source),
            "--output",
            str(out),
            "--inventory",
            str(EXAMPLE),
            "--format",
            "html,md,json,csv,junit",
        ],
    )
    assert result.exit_code == 0, result.output
    for path, content in _all_text(out).items():
        for secret in SECRETS:
            assert secret not in content, f"{secret} in {path}"
