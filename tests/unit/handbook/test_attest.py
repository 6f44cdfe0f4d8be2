"""``matops attest`` driven through its prompts on a copy of the example trust: what it asks,
what it writes, that a scan's loader reads the file back and counts the new attestation."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matops.cli import app
from matops.inventory import load
from matops.scan.attestations import LocatedAttestation, load_attestations
from matops.scan.catalogue import load_catalogue
from matops.scan.controls import ControlStatus, evaluate_control
from matops.scan.frameworks import Control, load_frameworks

REPO = Path(__file__).resolve().parents[3]
DAY = "2026-12-05"


@pytest.fixture
def trust(tmp_path: Path) -> Path:
    root = tmp_path / "trust"
    shutil.copytree(REPO / "inventories" / "example-trust", root, ignore=_skip_lab)
    return root


def _skip_lab(folder: str, names: list[str]) -> set[str]:
    return {"lab"} & set(names)


def _run(root: Path, school: str, answers: list[str], *extra: str) -> tuple[int, str]:
    args = ["attest", str(root), "--school", school, "--date", DAY, *extra]
    result = CliRunner().invoke(app, args, input="\n".join(answers) + "\n")
    return result.exit_code, result.output


def _records(root: Path) -> tuple[dict[str, Control], list[LocatedAttestation]]:
    catalogue = load_catalogue()
    frameworks, problems = load_frameworks(catalogue.root / "frameworks", set(catalogue.checks))
    assert problems == []
    controls = {c.id: c for f in frameworks.values() for c in f.controls}
    model = load(root).trust
    assert model is not None
    schools = {s.id for s in model.schools}
    found, problems = load_attestations(root / "attestations", schools, set(controls))
    assert problems == []
    return controls, found


def test_expired_rpa_controls_are_asked_and_written(trust: Path) -> None:
    # Oakfield's RPA-CYB-02 (expired 2026-09-30) and RPA-CYB-03 (expired 2026-11-03) are the
    # RPA controls not counting on 2026-12-05; RPA-CYB-01 and -04 are valid and not asked.
    path = trust / "attestations" / "oakfield-primary.yml"
    before = path.read_text()
    answers = [
        "y",  # RPA-CYB-02 in place?
        "All staff completed the NCSC training for 2026-27",
        "HR/Training/NCSC certificates 2026-27.pdf",
        "School business manager",
        "2026-11-28",
        "",  # expiry: the default, a year on (2027-11-28)
        "n",  # RPA-CYB-03 not in place
    ]
    code, output = _run(trust, "oakfield-primary", answers, "--control", "RPA")
    assert code == 0, output
    assert "2 controls to attest" in output
    assert "RPA-CYB-02" in output and "RPA-CYB-03" in output
    assert "RPA-CYB-01" not in output
    assert "expired on 2026-09-30" in output
    assert "Recorded 1 attestations" in output
    text = path.read_text()
    assert text.startswith(before), "the file's own lines (comments included) are kept"
    controls, found = _records(trust)
    mine = [a for a in found if a.school == "oakfield-primary"]
    new = [a.attestation for a in mine if a.attestation.control == "RPA-CYB-02"]
    latest = max(new, key=lambda a: a.expires)
    assert (latest.date, latest.expires) == (dt.date(2026, 11, 28), dt.date(2027, 11, 28))
    assert latest.by == "School business manager"
    result = evaluate_control(controls["RPA-CYB-02"], [], mine, dt.date(2026, 12, 5))
    assert result.status is ControlStatus.MET
    result = evaluate_control(controls["RPA-CYB-03"], [], mine, dt.date(2026, 12, 5))
    assert result.status is ControlStatus.NOT_MET


def test_a_bad_answer_is_asked_again_and_quit_writes_nothing_more(trust: Path) -> None:
    path = trust / "attestations" / "st-marys-ce-primary.yml"
    path.unlink()
    answers = [
        "maybe",  # not a choice: asked again
        "y",
        "Backups taken nightly to an offline copy",
        "IT/Backups/log.pdf",
        "IT lead",
        "yesterday",  # not a date: asked again
        "2026-12-01",
        "2026-11-01",  # expires before the date: the whole answer is asked again
        "Backups taken nightly to an offline copy",
        "IT/Backups/log.pdf",
        "IT lead",
        "2026-12-01",
        "2027-12-01",
        "q",
    ]
    code, output = _run(trust, "st-marys-ce-primary", answers, "--control", "RPA")
    assert code == 0, output
    assert "is not a date" in output
    assert "not recorded: expires 2026-11-01 is before date 2026-12-01" in output
    assert "Recorded 1 attestations" in output
    text = path.read_text()
    assert text.startswith("# Evidence for controls no probe can see, for St Mary")
    _, found = _records(trust)
    mine = [a.attestation for a in found if a.school == "st-marys-ce-primary"]
    assert [(a.control, a.expires) for a in mine] == [("RPA-CYB-01", dt.date(2027, 12, 1))]


def test_nothing_to_attest_and_an_unknown_school(trust: Path) -> None:
    code, output = _run(trust, "riverside-academy", [], "--control", "NO-SUCH")
    assert code == 0 and "Nothing to attest" in output
    code, output = _run(trust, "nowhere", [])
    assert code == 2
    assert "no school 'nowhere'" in output


def test_declining_everything_leaves_the_file_untouched(trust: Path) -> None:
    path = trust / "attestations" / "oakfield-primary.yml"
    before = path.read_text()
    code, output = _run(trust, "oakfield-primary", ["s", "n"], "--control", "RPA")
    assert code == 0, output
    assert "Nothing recorded" in output
    assert path.read_text() == before
