"""The example trust's handbook, built into a temporary folder: links, drawings, no secrets."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from typer.testing import CliRunner

from matops.cli import app
from matops.handbook.drawing import svg_devices
from matops.handbook.site import PAGES, SCHOOL_SECTIONS, HandbookContext, build_site
from matops.inventory.loader import load_trust

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
