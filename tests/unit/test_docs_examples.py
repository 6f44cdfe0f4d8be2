"""Every command example in README.md and docs/*.md runs as written.

Blocks that need nothing but the repository run here, each doc's blocks in order in one working
folder (a copy of ``inventories/`` and ``tests/fixtures/``, and an empty ``docs/``), so that
nothing in the repository changes. Lab blocks run in
``tests/integration/test_docs_examples_lab.py``; blocks marked ``not run`` are listed and few.
How a block is marked and what is checked: ``tests/support/doc_examples.py``.
"""

from __future__ import annotations

import doctest
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.support import doc_examples as dx

DOCS = dx.doc_files(REPO)
BLOCKS = {
    doc: dx.parse(str(doc.relative_to(REPO)), doc.read_text(encoding="utf-8")) for doc in DOCS
}
ALL = [block for blocks in BLOCKS.values() for block in blocks]
MOST_NOT_RUN = 5
"""Blocks that are not run at all: each has its reason, and there must stay few of them."""


def working_folder(root: Path) -> tuple[Path, Path]:
    """A folder to run doc commands in (as if the repository's root) and the scratch folder."""
    work = root / "work"
    shutil.copytree(REPO / "inventories", work / "inventories")
    shutil.copytree(REPO / "tests" / "fixtures", work / "tests" / "fixtures")
    (work / "docs").mkdir()
    scratch = root / "matops-docs"
    scratch.mkdir()
    return work, scratch


@pytest.mark.parametrize("doc", [d for d in DOCS if any(b.kind == "offline" for b in BLOCKS[d])],
                         ids=lambda d: str(d.relative_to(REPO)))  # fmt: skip
def test_doc_examples_run_as_written(doc: Path, tmp_path: Path) -> None:
    work, scratch = working_folder(tmp_path)
    found = []
    for block in BLOCKS[doc]:
        if block.kind == "offline":
            found += dx.problems(block, dx.run_block(block, work, scratch), scratch)
    assert not found, "\n".join(found)


def test_every_example_block_is_run_or_says_why_not() -> None:
    assert len(ALL) >= 15, [b.where for b in ALL]  # a broken reader would find few
    assert all(b.commands for b in ALL), [b.where for b in ALL if not b.commands]
    not_run = {b.where: b.not_run_reason for b in ALL if b.kind == "not run"}
    assert all(not_run.values()), f"a 'not run' marker without its reason: {not_run}"
    assert len(not_run) <= MOST_NOT_RUN, not_run
    walkthrough = [b.where for b in ALL if b.kind == "lab walkthrough"]
    assert len(walkthrough) == 1 and walkthrough[0].startswith("README.md:"), walkthrough
    assert sum(b.kind == "lab" for b in ALL) >= 5  # run by test_docs_examples_lab.py


def test_no_command_hides_in_an_untagged_block() -> None:
    """A command example must be tagged console, sh or bash, or this test would not see it."""
    untagged = [w for d in DOCS for w in dx.untagged_command_blocks(
        str(d.relative_to(REPO)), d.read_text(encoding="utf-8"))]  # fmt: skip
    assert not untagged, (
        f"tag these blocks console/sh/bash (and mark them if they cannot run): {untagged}"
    )


def test_a_failing_or_unknown_command_is_reported_with_its_place(tmp_path: Path) -> None:
    """The checker itself: a wrong exit status, an unknown command and missing output fail."""
    doc = (
        "```console\n"
        "$ matops inventory validate inventories/example-trust\n"
        "valid: … 3 schools\n"
        "$ matops inventory validate nowhere   # exits 2\n"
        "$ matops checks list --area network\n"
        "no such line\n"
        "$ matops no-such-command\n"
        "```\n"
    )
    (block,) = dx.parse("docs/x.md", doc)
    work, scratch = working_folder(tmp_path)
    found = dx.problems(block, dx.run_block(block, work, scratch), scratch)
    assert [p.splitlines()[0] for p in found] == [
        "docs/x.md:5: matops checks list --area network",
        "docs/x.md:7: matops no-such-command",
    ]
    assert "output lacks: no such line" in found[0]
    assert "exit 2, the doc says 0" in found[1]


def test_the_reader_s_own_examples() -> None:
    result = doctest.testmod(dx, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 5 and result.failed == 0, result
