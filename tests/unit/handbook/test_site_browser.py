"""The example trust's handbook in headless Chromium: every internal link followed from the index,
every drawing rendered with every switch of its school, no console message on any page."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from lxml import html as lxml_html

from matops.handbook.site import HandbookContext, build_site
from matops.inventory.loader import load_trust

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "inventories" / "example-trust"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions"]
SVG = "{http://www.w3.org/2000/svg}"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian package chromium missing")


def load(page: Path) -> tuple[lxml_html.HtmlElement, list[str]]:
    """The page's DOM after Chromium loaded it, and every console message it logged."""
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, *FLAGS, "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return lxml_html.fromstring(done.stdout), console


def test_console_messages_are_seen(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<html><body><script>missing();</script></body></html>")
    assert any("missing is not defined" in m for m in load(page)[1])


def test_the_handbook_in_chromium(tmp_path: Path) -> None:
    trust = load_trust(EXAMPLE)
    build_site(HandbookContext(root=EXAMPLE, trust=trust, built=date(2026, 12, 5)), tmp_path)
    switches = {
        f"schools/{s.id}.html": {t.name for t in s.targets if t.kind == "switch"}
        for s in trust.schools
    }
    queue, doms, wanted = [tmp_path / "index.html"], {}, []
    while queue:
        page = queue.pop().resolve()
        if page in doms:
            continue
        assert page.is_file(), page
        doms[page], console = load(page)
        assert console == [], (page, console)
        for link in doms[page].xpath("//a/@href"):
            target, anchor = urldefrag(str(link))
            assert "://" not in target, (page, link)
            file = (page.parent / target).resolve() if target else page
            wanted.append((page, file, anchor))
            if file.suffix == ".html":
                queue.append(file)
            else:
                assert file.is_file() and file.stat().st_size > 0, (page, link)
    assert {str(p.relative_to(tmp_path)) for p in doms} >= {"index.html", *switches}
    for page, file, anchor in wanted:
        if anchor and file.suffix == ".html":
            assert doms[file].get_element_by_id(anchor, None) is not None, (page, anchor)
    for rel, names in switches.items():
        svgs = doms[(tmp_path / rel).resolve()].xpath("//*[local-name()='svg']")
        assert svgs, rel
        drawing = svgs[0]
        assert float(drawing.get("width", "0pt").removesuffix("pt")) > 100, rel
        titles = {t.text_content() for t in drawing.xpath(".//*[local-name()='title']")}
        assert names and names <= titles, rel
