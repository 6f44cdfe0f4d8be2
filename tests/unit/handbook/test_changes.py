"""What changed: a small git repository made in the test, with a trust folder whose register,
group_vars and waivers change over a few dated commits."""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matops.cli import app
from matops.handbook.changes import Change, changes_html, changes_page, inventory_changes
from matops.handbook.context import HandbookContext
from matops.inventory.loader import load_trust

REPO = Path(__file__).resolve().parents[3]

HEAD = "asset_tag,type,model,assigned_to,disposed_date\n"
SECRET = "s3cret-radius-key-planted"
PUPIL = "Pupil Example-Name"
OLD_WAIVER = (
    "  - {check: c_old, scope: target, name: A2, reason: r, approver: Head, expires: 2026-10-31}\n"
)
NEW_WAIVER = (
    "  - {check: c_new, scope: school, name: oak, reason: r, approver: Head, expires: 2027-03-31}\n"
)


def _commit(repo: Path, day: str, message: str, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00",
    }
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "user.email", "tech@example.org"],
        ["config", "user.name", "Tech"],
    ):
        subprocess.run(["git", "-C", str(repo), *args], check=True)
    trust = "inventories/t"
    _commit(
        repo,
        "2026-08-20",
        "Start",
        {
            f"{trust}/assets/oak.csv": HEAD
            + "A1,laptop,L1,,\nA2,tablet,T1,,\nA9,laptop,L0,,2025-01-01\n",
            f"{trust}/group_vars/all.yml": f"trust:\n  ntp: [198.18.0.1]\n  radius_key: {SECRET}\n",
            f"{trust}/waivers.yml": "waivers:\n" + OLD_WAIVER,
            "README.md": "outside the trust\n",
        },
    )
    _commit(
        repo,
        "2026-09-10",
        "Autumn: new laptops, a tablet retired, NTP moved, a waiver",
        {
            f"{trust}/assets/oak.csv": HEAD
            + f"A1,laptop,L1,,\nA2,tablet,T1,,2026-09-09\nA3,laptop,L2,{PUPIL},\n"
            + "A9,laptop,L0,,2025-01-01\n",
            f"{trust}/group_vars/all.yml": "trust:\n  ntp: [198.18.0.2]\n"
            f"  radius_key: other-{SECRET}\n  syslog: [198.18.0.3]\n",
            f"{trust}/waivers.yml": "waivers:\n" + OLD_WAIVER + NEW_WAIVER,
            "README.md": "changed outside the trust\n",
        },
    )
    _commit(
        repo,
        "2026-11-02",
        "A laptop dropped from the register; the new waiver withdrawn",
        {
            f"{trust}/assets/oak.csv": HEAD
            + f"A2,tablet,T1,,2026-09-09\nA3,laptop,L2,{PUPIL},\nA9,laptop,L0,,2025-01-01\n",
            f"{trust}/waivers.yml": "waivers:\n" + OLD_WAIVER,
        },
    )
    _commit(repo, "2027-01-15", "After the period", {f"{trust}/assets/oak.csv": HEAD})
    return repo


def test_the_autumn_term_summarised(repo: Path) -> None:
    changes = inventory_changes(repo, repo / "inventories/t", date(2026, 9, 1), date(2026, 12, 31))
    seen = [(c.day.isoformat(), c.kind, c.school, c.summary) for c in changes]
    assert seen == [
        ("2026-09-10", "baseline changed", "", "group_vars/all.yml: trust.ntp changed"),
        ("2026-09-10", "baseline changed", "", "group_vars/all.yml: trust.radius_key changed"),
        ("2026-09-10", "baseline changed", "", "group_vars/all.yml: trust.syslog added"),
        ("2026-09-10", "device added", "oak", "A3: laptop L2"),
        ("2026-09-10", "device retired", "oak", "A2: tablet T1, disposed of 2026-09-09"),
        (
            "2026-09-10",
            "waiver granted",
            "",
            "c_new for oak (school), until 2027-03-31",
        ),
        ("2026-10-31", "waiver expired", "", "c_old for A2 (target), until 2026-10-31"),
        ("2026-11-02", "device removed", "oak", "A1: laptop L1 (not marked disposed)"),
        ("2026-11-02", "waiver withdrawn", "", "c_new for oak (school), until 2027-03-31"),
    ]
    assert all(len(c.commit) == 10 for c in changes if c.kind != "waiver expired")
    text = repr(changes)
    assert SECRET not in text and PUPIL not in text and "Head" not in text


def test_a_period_before_any_commit_and_one_day(repo: Path) -> None:
    trust = repo / "inventories/t"
    assert inventory_changes(repo, trust, date(2026, 1, 1), date(2026, 8, 1)) == []
    first = inventory_changes(repo, trust, date(2026, 8, 20), date(2026, 8, 20))
    # the first commit adds the live rows (not the one already disposed of)
    assert [(c.kind, c.summary) for c in first if c.kind == "device added"] == [
        ("device added", "A1: laptop L1"),
        ("device added", "A2: tablet T1"),
    ]
    assert all(isinstance(c, Change) for c in first)


def test_git_failing_is_an_error_not_an_empty_summary(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    with pytest.raises(RuntimeError, match="git log failed"):
        inventory_changes(tmp_path, tmp_path / "t", date(2026, 1, 1), date(2026, 12, 31))


def test_the_summary_as_html(repo: Path) -> None:
    since, until = date(2026, 9, 1), date(2026, 12, 31)
    changes = inventory_changes(repo, repo / "inventories/t", since, until)
    page = str(changes_html(changes, since, until))
    assert "<tr><td>baseline changed</td><td>trust</td><td>3</td></tr>" in page
    assert "<tr><td>device added</td><td>oak</td><td>1</td></tr>" in page
    assert "Every change (9)" in page
    assert page.count("<code>") == 9
    bad = Change(date(2026, 9, 1), "device added", "oak", "<script>x</script>")
    assert "<script>" not in str(changes_html([bad], since, until))


def _ctx(root: Path) -> HandbookContext:
    trust = load_trust(REPO / "inventories" / "example-trust")
    return HandbookContext(root=root, trust=trust, built=date(2026, 12, 31))


def test_the_page_covers_the_twelve_months_to_the_build(repo: Path) -> None:
    page = str(changes_page(_ctx(repo / "inventories/t")))
    # 2025-12-31 to 2026-12-31: every commit but the one of 2027
    assert "From 2025-12-31 to 2026-12-31" in page
    assert "<tr><td>device added</td><td>oak</td><td>3</td></tr>" in page


def test_the_page_covers_the_period_asked(repo: Path) -> None:
    """``since`` (``matops handbook build --since``) starts the period: from 2026-10-01 only the
    November commit is in it (a device removed and the new waiver withdrawn)."""
    ctx = _ctx(repo / "inventories/t")
    page = str(changes_page(replace(ctx, since=date(2026, 10, 1))))
    assert "From 2026-10-01 to 2026-12-31" in page
    assert "device removed" in page and "device added" not in page


def test_the_period_option_reaches_the_page(tmp_path: Path) -> None:
    """The command's ``--since`` is the page's first day; a day after today is refused."""
    runner = CliRunner()
    out = tmp_path / "hb"
    trust = str(REPO / "inventories" / "example-trust")
    done = runner.invoke(
        app, ["handbook", "build", trust, "--output", str(out), "--since", "2026-01-02"]
    )
    assert done.exit_code == 0, done.output
    page = (out / "changes.html").read_text(encoding="utf-8")
    assert "From 2026-01-02 to " in page
    later = runner.invoke(
        app, ["handbook", "build", trust, "--output", str(out), "--since", "2999-01-01"]
    )
    assert later.exit_code != 0 and "after today" in later.output


def test_the_page_refuses_a_shallow_clone_and_no_repository(repo: Path, tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(shallow)], check=True)
    page = str(changes_page(_ctx(shallow / "inventories/t")))
    assert "shallow clone" in page and "<table" not in page
    alone = tmp_path / "alone"
    alone.mkdir()
    assert "not in a git repository" in str(changes_page(_ctx(alone)))
