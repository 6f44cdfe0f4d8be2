"""The README's main command, ``./run demo``: the whole summer refresh of the example trust.

As root it brings up its own lab (the test lab is taken down for it and brought back after),
runs ``matops refresh run`` on a copy of the trust, taking every school through pre-scan,
network backup and push, host deploy, post-scan and sign-off pack, and takes its lab down.
Before, every school fails automated Linux and network checks; after, none does (waived and
not-applicable findings stay visible as such), and each sign-off pack shows both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from matops.inventory import load_trust
from matops.lab import lifecycle
from matops.scan.catalogue import load_catalogue
from tests.conftest import REPO

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration

AUTOMATED_AREAS = {"host", "network"}
NOT_PASSING = {"fail", "error", "unreachable"}


def _automated() -> set[str]:
    catalogue = load_catalogue()
    return {cid for cid, check in catalogue.checks.items() if check.meta.area in AUTOMATED_AREAS}


def _failing(results: dict[str, Any], automated: set[str]) -> Counter[tuple[str, str]]:
    return Counter(
        (f["check"], f["target"])
        for f in results["findings"]
        if f["check"] in automated and f["status"] in NOT_PASSING
    )


def test_readme_demo_takes_every_school_from_failing_to_passing(lab: Lab, tmp_path: Path) -> None:
    lab.require_own()  # only one lab per machine: the demo brings up its own
    lifecycle.lab_down(lab.state_dir, reset=True)
    try:
        _demo_and_check(tmp_path)
    finally:  # back to factory switches and fresh hosts for the tests that expect them
        lab.up()


def _demo_and_check(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    # short: SSH control socket paths are limited to about 100 characters
    lab_dir = Path(tempfile.mkdtemp(prefix="matops-demo-"))
    try:
        _run_demo(out, lab_dir)
    finally:
        shutil.rmtree(lab_dir, ignore_errors=True)


def _run_demo(out: Path, lab_dir: Path) -> None:
    env = {**os.environ, "MATOPS_DEMO_OUT": str(out), "MATOPS_LAB_DIR": str(lab_dir)}
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '/usr/sbin:/usr/bin')}"
    done = subprocess.run(
        ["./run", "demo"], cwd=REPO, env=env, capture_output=True, text=True, timeout=2400,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "sign-off packs:" in done.stderr
    assert not (lab_dir / "lab.json").exists(), "the demo left its lab up"
    root = out / "example-trust"
    matops = str(Path(sys.executable).parent / "matops")
    journal = out / "run" / "journal.jsonl"
    assert journal.is_file()
    automated = _automated()
    run = journal.parent
    for school in load_trust(root).schools:
        scans = run / "scans" / school.id
        before = _failing(json.loads((scans / "pre-scan.json").read_text()), automated)
        after = _failing(json.loads((scans / "post-scan.json").read_text()), automated)
        assert before, f"{school.id}: nothing failed before the refresh"
        assert not after, f"{school.id}: still failing after the refresh: {sorted(after)}"

        pack = run / "signoff" / school.id
        record = (pack / "refresh.md").read_text()
        assert "before (pre-scan)" in record and "after (post-scan)" in record
        assert (pack / "index.html").is_file() and any((pack / "pdf").glob("*.pdf"))
        verified = subprocess.run(
            [matops, "report", "verify", str(pack)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert verified.returncode == 0, verified.stdout + verified.stderr
