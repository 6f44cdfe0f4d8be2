"""One way to reach targets, against the running lab.

* The README's lab walkthrough runs exactly as written (``--lab``, no ``MATOPS_LAB_DIR`` in the
  environment): scan, deploy with both engines, network backup/diff/push, refresh plan.
* Without ``--lab``, a command pointed at the lab refuses in one line naming ``--lab``, and a
  run without ``--lab`` never reads the lab's made-up secrets, even with ``MATOPS_LAB_DIR``
  pointing at the lab that is up.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from typer.testing import CliRunner

from matops.cli import app
from matops.inventory import ansible_vars
from tests.conftest import EXAMPLE_TRUST, REPO
from tests.integration.refresh_support import factory_reset
from tests.support import doc_examples

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration

MATOPS = str(Path(sys.executable).parent / "matops")


def readme_lab_commands() -> list[list[str]]:
    """The ``$ matops …`` lines of the README's lab walkthrough, as argv lists (read as
    ``tests/unit/test_docs_examples.py`` reads every example)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in doc_examples.parse("README.md", text) if b.kind == "lab walkthrough"]
    return [doc_examples.argv(c) for c in block.commands if c.text.startswith("matops ")]


def _env() -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("MATOPS_LAB_DIR", None)  # --lab must find the lab by itself
    return env


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A folder with its own copy of the example trust, so backups and results land there."""
    shutil.copytree(EXAMPLE_TRUST, tmp_path / "inventories" / "example-trust")
    return tmp_path


def test_the_readme_lab_walkthrough_runs_as_written(lab: Lab, workdir: Path) -> None:
    commands = readme_lab_commands()
    connecting = [argv for argv in commands if argv[1] != "lab"]
    assert [argv[1:3] for argv in connecting] == [
        ["scan", "example-trust"], ["deploy", "example-trust"], ["deploy", "example-trust"],
        ["network", "backup"], ["network", "diff"], ["network", "push"], ["refresh", "plan"],
    ]  # fmt: skip
    assert all("--lab" in argv for argv in connecting)
    engines = [argv[argv.index("--engine") + 1] if "--engine" in argv else "ansible"
               for argv in connecting if argv[1] == "deploy"]  # fmt: skip
    assert sorted(engines) == ["ansible", "pyinfra"]
    pushed = [argv[argv.index("--device") + 1] for argv in connecting if "push" in argv]
    try:
        for argv in connecting:
            done = subprocess.run([MATOPS, *argv[1:]], env=_env(), cwd=workdir, text=True,
                                  capture_output=True, timeout=900, check=False)  # fmt: skip
            shown = f"{shlex.join(argv)}: rc {done.returncode}\n{done.stdout[-3000:]}{done.stderr}"
            assert "Traceback" not in done.stderr, shown
            _assert_it_worked(argv, done, shown, workdir)
    finally:
        factory_reset(lab.state_dir, pushed)
    assert list((workdir / "inventories" / "example-trust" / "backups").rglob("*.cfg"))


NOT_READ = ("could not collect", "Graph", "Google", "HTTP", "not assessed")
"""Words of a device check's error when the device read itself failed."""


def _not_reached(finding: dict[str, Any]) -> bool:
    """A finding that shows a target (or tenant) not reached or not read. A device check's
    error about the devices themselves (a stale data table, a device that reported no state)
    is a verdict about what was read, not a failure to read it."""
    if finding["status"] == "unreachable":
        return True
    if finding["status"] != "error":
        return False
    return finding["area"] != "device" or any(w in finding["detail"] for w in NOT_READ)


def _assert_it_worked(
    argv: list[str], done: subprocess.CompletedProcess[str], shown: str, workdir: Path
) -> None:
    """Each command reached its targets: no unreachable target, no connection error."""
    out = done.stdout
    if argv[1] == "scan":
        assert done.returncode in (0, 1), shown  # 1: a fresh lab fails checks, as it should
        path = re.search(r"^results: (\S+)$", out, re.M)
        assert path, shown
        findings = json.loads((workdir / path[1]).read_text())["findings"]
        reached = {f["target"] for f in findings if f["area"] in ("host", "network")}
        assert {"oak-srv01", "oak-sw01"} <= reached, shown
        bad = [f for f in findings if _not_reached(f)]
        assert not bad, bad[:3]
    elif argv[1] == "deploy":
        assert done.returncode == 0, shown
        assert "would change (--check)" in out, shown
    elif argv[1] == "network":
        assert done.returncode == 0, shown
        assert "│ error" not in out and "failed" not in out, shown
    else:  # refresh plan: blockers exit 1; none of them may be about reaching a device
        assert done.returncode in (0, 1), shown
        assert "no answer at" not in out and "host key" not in out, shown


def test_without_lab_a_lab_target_is_refused_in_one_line(lab: Lab, workdir: Path) -> None:
    argv = [MATOPS, "network", "diff", "example-trust", "--device", "oak-sw01"]
    done = subprocess.run(argv, env=_env(), cwd=workdir, text=True, capture_output=True,
                          timeout=300, check=False)  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert "oak-sw01" in line and "the lab is up" in line and "add --lab" in line
    assert str(lab.state_dir) in line


def test_a_run_without_lab_never_reads_the_lab_secrets(
    lab: Lab, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``MATOPS_LAB_DIR`` points at the lab that is up; the switch is moved off the lab's
    addresses so that the run is not refused. The lab's secrets file is never read: the
    template still lacks the secrets the example trust keeps in no vault."""
    root = workdir / "inventories" / "example-trust"
    school = root / "schools" / "oakfield-primary.yml"
    school.write_text(school.read_text().replace("ansible_host: 198.18.10.2\n",
                                                 "ansible_host: 198.18.10.250\n"))  # fmt: skip
    read: list[Path | None] = []
    real = ansible_vars.read_extra_vars

    def spy(path: Path | None) -> dict[str, Any]:
        read.append(path)
        return real(path)

    monkeypatch.setattr(ansible_vars, "read_extra_vars", spy)
    monkeypatch.setenv("MATOPS_LAB_DIR", str(lab.state_dir))
    args = ["network", "diff", str(root), "--device", "oak-sw01"]
    without = CliRunner().invoke(app, args, terminal_width=200)
    assert without.exit_code == 1, without.output
    squashed = re.sub(r"[\s│]", "", without.output)  # the table folds the detail column
    assert "network_admin_secret_hashisnotdefined" in squashed, without.output
    assert read and read == [None] * len(read)
    lab_values = yaml.safe_load((lab.state_dir / "lab-secrets.yml").read_text())
    assert lab_values["network_snmp_auth_key"] not in without.output

    read.clear()  # the control: with --lab the same spy sees the lab's file
    with_lab = CliRunner().invoke(app, [*args, "--lab"], terminal_width=200)
    assert lab.state_dir / "lab-secrets.yml" in read, with_lab.output
