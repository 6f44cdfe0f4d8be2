"""The command examples of README.md and docs/*.md marked ``<!-- lab -->`` run as written.

They run against the session's lab, found by ``--lab`` alone (no ``MATOPS_LAB_DIR`` in the
environment), each doc's blocks in order in one working folder with its own copy of the example
trust, so that backups, journals and sign-off packs land there. ``matops lab up`` and
``matops lab down`` lines stand for the session's lab and are not run. Each doc starts on a
fresh lab (hosts as built, switches at factory defaults), as its reader would after
``matops lab up``, and the lab is left so for the other tests. Docs whose examples only read
(scans, exports, dry runs) run first and share one fresh lab; each doc that deploys, pushes or
refreshes gets a fresh one. The README's lab
walkthrough is run by ``test_connection_profile_lab.py``; the examples that need no lab by
``tests/unit/test_docs_examples.py``; how a block is marked: ``tests/support/doc_examples.py``.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from matops.lab import lifecycle
from tests.conftest import REPO
from tests.support import doc_examples as dx

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration

LAB_BLOCKS = [
    block
    for doc in dx.doc_files(REPO)
    for block in dx.parse(str(doc.relative_to(REPO)), doc.read_text(encoding="utf-8"))
    if block.kind == "lab"
]


def _stands_for_the_lab(command: dx.Command) -> bool:
    return dx.argv(command)[:3] in (["matops", "lab", "up"], ["matops", "lab", "down"])


def test_lab_doc_examples_run_as_written(lab: Lab, tmp_path: Path) -> None:
    lab.require_own()  # deploys to hosts and pushes to switches, then resets the lab
    assert len(LAB_BLOCKS) >= 5, [b.where for b in LAB_BLOCKS]
    env = {k: v for k, v in os.environ.items() if k != "MATOPS_LAB_DIR"}
    found: list[str] = []
    paths = sorted(dict.fromkeys(b.path for b in LAB_BLOCKS), key=_changes_the_lab)
    changed = True  # the lab as the earlier tests left it
    try:
        for path in paths:
            blocks = [b for b in LAB_BLOCKS if b.path == path]
            if changed:  # each doc starts where its reader does, after `matops lab up`
                _fresh(lab)
            changed = _changes_the_lab(path)
            work, scratch = _working_folder(tmp_path / path.replace("/", "_"))
            for block in blocks:
                run = [c for c in block.commands if not _stands_for_the_lab(c)]
                block = dataclasses.replace(block, commands=tuple(run))
                found += dx.problems(block, dx.run_block(block, work, scratch, env), scratch)
    finally:  # fresh hosts and factory switches for the other tests
        if changed:
            _fresh(lab)
    assert not found, "\n".join(found)


CHANGES_THE_LAB = (["matops", "deploy"], ["matops", "network", "push"], ["matops", "refresh"])
"""Commands that change hosts or switches (a doc with none of them leaves the lab fresh)."""


def _changes_the_lab(path: str) -> bool:
    """Whether a doc's examples change the lab (read-only docs run first, on one fresh lab)."""
    return any(
        dx.argv(c)[: len(prefix)] == prefix
        for b in LAB_BLOCKS
        if b.path == path
        for c in b.commands
        for prefix in CHANGES_THE_LAB
    )


def _fresh(lab: Lab) -> None:
    """Fresh hosts and factory-default switches."""
    lifecycle.lab_down(lab.state_dir, reset=True)
    lab.up()


def _working_folder(root: Path) -> tuple[Path, Path]:
    """Copies of what the examples name relative to the repository, and the scratch folder."""
    work = root / "work"
    for name in ("inventories", "roles", "tests/fixtures"):
        shutil.copytree(REPO / name, work / name)
    (work / "docs").mkdir()
    scratch = root / "matops-docs"
    scratch.mkdir(parents=True)
    return work, scratch
