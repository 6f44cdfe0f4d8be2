"""The example trust's handbook, built into a temporary folder: links, drawings, no secrets."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import pytest
import yaml
from typer.testing import CliRunner

from matops.cli import app
from matops.handbook.drawing import svg_devices
from matops.handbook.runbooks import RUNBOOKS, command
from matops.handbook.site import PAGES, SCHOOL_SECTIONS, HandbookContext, build_site
from matops.inventory.loader import load_trust
from matops.lab.labsecrets import write_lab_secrets
from matops.report.compare import load_results
from matops.scan.results import Results
from tests.report.conftest import SECRETS, plant_configs, scan
from tests.report.test_tenants import pupil_names
from tests.support.results_factory import tenant_finding

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "inventories" / "example-trust"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for attr in ("href", "src", "xlink:href"):
            value = values.get(attr)
            if value is None:
                continue
            if "://" in value or value.startswith("//"):
                self.external.append(value)
            else:
                self.links.append(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> list[str]:
    """Every internal link of every page that names no file or no anchor in it."""
    pages = {p: _parse(p) for p in site.rglob("*.html")}
    broken = []
    for page, parsed in pages.items():
        for link in parsed.links:
            target, anchor = urldefrag(link)
            file = (page.parent / target).resolve() if target else page.resolve()
            if not file.is_file():
                broken.append(f"{page.relative_to(site)}: {link} (no file)")
            elif anchor and file.suffix == ".html" and anchor not in pages[file].ids:
                broken.append(f"{page.relative_to(site)}: {link} (no anchor)")
    return broken


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("handbook")
    ctx = HandbookContext(root=EXAMPLE, trust=load_trust(EXAMPLE), built=date(2026, 12, 5))
    build_site(ctx, out)
    return out


def test_every_page_and_school_is_written(site: Path) -> None:
    trust = load_trust(EXAMPLE)
    for page in PAGES:
        assert (site / f"{page.slug}.html").is_file()
    for school in trust.schools:
        text = (site / "schools" / f"{school.id}.html").read_text()
        for section in SCHOOL_SECTIONS:
            assert f'id="{section.anchor}"' in text
        for target in school.targets:
            assert target.name in text
        for vlan in school.info.network.vlans:
            assert vlan.name in text


def test_every_internal_link_resolves_and_nothing_is_fetched(site: Path) -> None:
    assert broken_links(site) == []
    for page in site.rglob("*.html"):
        parsed = _parse(page)
        assert parsed.external == [], page


def test_the_link_checker_sees_a_broken_link(site: Path, tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<a href="b.html">b</a><a href="#here">x</a>')
    assert broken_links(tmp_path) == ["a.html: b.html (no file)", "a.html: #here (no anchor)"]


def test_the_command_builds_the_site(tmp_path: Path) -> None:
    done = CliRunner().invoke(
        app, ["handbook", "build", str(EXAMPLE), "--output", str(tmp_path / "hb")]
    )
    assert done.exit_code == 0, done.output
    assert (tmp_path / "hb" / "index.html").is_file()
    assert (tmp_path / "hb" / "schools" / "riverside-academy.html").is_file()


def test_every_drawing_is_an_svg_with_every_switch_of_its_school(site: Path) -> None:
    for school in load_trust(EXAMPLE).schools:
        page = (site / "schools" / f"{school.id}.html").read_text()
        start, end = page.index("<svg"), page.index("</svg>") + len("</svg>")
        devices = svg_devices(page[start:end])
        switches = {t.name for t in school.targets if t.kind == "switch"}
        assert switches and switches <= devices, school.id
        assert "lacks what the inventory has" not in page
        drawio = site / "schools" / f"{school.id}.drawio"
        assert all(name in drawio.read_text() for name in switches)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An offline scan of the example trust from saved configs that carry planted secrets."""
    folder = tmp_path_factory.mktemp("scan")
    scan(plant_configs(folder / "configs"), folder / "results.json")
    return folder / "results.json"


def _with_pupil(results: Results) -> Results:
    """The scan's results plus a tenant finding that names a pupil in its detail and accounts."""
    pupil = sorted(n for n in pupil_names() if "@" in n)[0]
    leaky = tenant_finding(
        "oakfield-primary",
        "mfa_required_for_staff",
        "northfield-m365",
        "fail",
        {"accounts": 1},
        {"without_mfa": [pupil]},
    ).model_copy(update={"detail": f"{pupil} has no MFA"})
    return results.model_copy(update={"findings": [*results.findings, leaky]})


def _texts(site: Path) -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in site.rglob("*") if p.is_file()}


def test_the_standards_position_is_the_scans_own(scanned: Path, tmp_path: Path) -> None:
    results = load_results(scanned)
    trust = load_trust(EXAMPLE)
    build_site(HandbookContext(root=EXAMPLE, trust=trust, results=results), tmp_path)
    assert broken_links(tmp_path) == []
    seen = 0
    for school in trust.schools:
        page = _parse_rows(tmp_path / "schools" / f"{school.id}.html")
        for controls in results.controls[school.id].values():
            for control in controls:
                assert page[control.id] == control.status.value, (school.id, control.id)
                seen += 1
    assert seen > 100
    statuses = {c.status.value for s in results.controls.values() for f in s.values() for c in f}
    assert {"met", "not_met"} <= statuses  # the scan judged some: not all "not assessed"


def _parse_rows(path: Path) -> dict[str, str]:
    """Control id → the status class of its row on a school page."""
    text = path.read_text(encoding="utf-8")
    rows = re.findall(r'<tr id="c-[^"]+"><td><b>([^<]+)</b>.*?class="s-([a-z_]+)"', text)
    return dict(rows)


def test_without_results_every_control_is_not_assessed(site: Path) -> None:
    page = _parse_rows(site / "schools" / "oakfield-primary.html")
    assert len(page) > 100 and set(page.values()) == {"not_assessed"}
    assert "without scan results" in (site / "standards.html").read_text()


def test_every_dfe_control_says_by_when(site: Path) -> None:
    """Each DfE control's row ends with its moment from the framework file; a core standard's
    adds 2030, a non-core one does not."""
    text = (site / "schools" / "oakfield-primary.html").read_text(encoding="utf-8")
    due = dict(re.findall(r'<tr id="c-[^"]+"><td><b>(DFE-[^<]+)</b>.*?<td>([^<]*)</td></tr>', text))
    assert len(due) == 142 and all(due.values()), [k for k, v in due.items() if not v]
    assert due["DFE-SW-01.1"] == (
        "at the next upgrade or replacement; core standard: by 2030 at the latest"
    )
    assert due["DFE-DEV-03.2"] == "when buying"  # devices: not a core standard
    assert due["DFE-CYBER-05.5"].startswith("each time it arises")


def test_drawings_are_coloured_by_the_scan(scanned: Path, tmp_path: Path) -> None:
    ctx = HandbookContext(root=EXAMPLE, trust=load_trust(EXAMPLE), results=load_results(scanned))
    build_site(ctx, tmp_path)
    page = (tmp_path / "schools" / "oakfield-primary.html").read_text()
    assert 'fill="#ffcdd2"' in page  # oak-sw01's insecure saved config fails checks


def test_no_secret_and_no_pupil_reaches_the_handbook(
    scanned: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "trust"
    shutil.copytree(EXAMPLE, root)
    settings = root / "group_vars" / "all.yml"
    text = settings.read_text()
    assert '"{{ vault_radius_key }}"' in text
    settings.write_text(text.replace('"{{ vault_radius_key }}"', "Pl4ntedInlineRadiusKey", 1))
    lab = tmp_path / "lab"
    lab.mkdir()
    lab_values = yaml.safe_load(write_lab_secrets(lab).read_text())
    monkeypatch.setenv("MATOPS_LAB_DIR", str(lab))  # nothing in the handbook may read it
    out = tmp_path / "hb"
    done = CliRunner().invoke(
        app, ["handbook", "build", str(root), "--output", str(out), "--results", str(scanned)]
    )
    assert done.exit_code == 0, done.output
    ctx = HandbookContext(
        root=root, trust=load_trust(root), results=_with_pupil(load_results(scanned))
    )
    build_site(ctx, tmp_path / "hb2")
    secrets = [*SECRETS, *_leaves(lab_values)]
    assert len(secrets) > 5
    pupils = pupil_names()
    for site_dir in (out, tmp_path / "hb2"):
        texts = _texts(site_dir)
        assert len(texts) >= 9
        for path, text in texts.items():
            assert not [s for s in secrets if s in text], path
            assert not [p for p in pupils if p in text], path
    credentials = (out / "schools" / "riverside-academy.html").read_text()
    assert "move it to the vault" in credentials


def _leaves(value: object) -> list[str]:
    """Every secret string of the lab's secrets file (long enough not to occur by chance)."""
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [str(value)] if len(str(value)) >= 8 else []


def test_every_runbook_step_names_a_command_that_exists() -> None:
    named = [step.command for book in RUNBOOKS for step in book.steps if step.command]
    assert len(named) >= 12
    for path in named:
        assert command(path).example.startswith("matops " + " ".join(path))
    with pytest.raises(KeyError, match="valid"):
        command(("refresh", "rehearse"))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="Debian package poppler-utils missing")
def test_the_pdf_edition_renders(tmp_path: Path) -> None:
    done = CliRunner().invoke(
        app, ["handbook", "build", str(EXAMPLE), "--output", str(tmp_path), "--pdf"]
    )
    assert done.exit_code == 0, done.output
    pdf = tmp_path / "handbook.pdf"
    subprocess.run(
        ["pdftoppm", "-r", "20", "-png", "-f", "1", "-l", "60", str(pdf), str(tmp_path / "p")],
        check=True,
        timeout=120,
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) > 10 and all(p.stat().st_size > 1000 for p in pages)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for school in load_trust(EXAMPLE).schools:
        assert school.info.name in text
        for target in school.targets:
            assert target.name in text  # in the drawing and the device list
    assert not [s for s in SECRETS if s in text]
