"""Figures the README states about the catalogue are the catalogue's."""

from __future__ import annotations

import re
from pathlib import Path

from matops.scan.catalogue import load_catalogue

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_check_counts_match_the_catalogue() -> None:
    text = README.read_text(encoding="utf-8")
    counts = {int(n) for n in re.findall(r"(?:judges|with) (\d+) checks\b", text)}
    assert counts, "the README no longer states how many checks there are"
    assert counts == {len(load_catalogue().checks)}, counts
