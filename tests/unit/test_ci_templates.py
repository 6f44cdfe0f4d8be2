"""The scheduled-scan CI templates: valid against the published schemas, safe with secrets, and
every ``matops`` command they run exists with the options they use; the pipeline they describe
(scan per school → merge → diff → check) is run end to end offline on the example trust.

The workflow schemas are SchemaStore's (Apache-2.0) and GitLab's (MIT), as shipped inside the
check-jsonschema package (a dev dependency), so the test needs no network.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import check_jsonschema
import jsonschema
import pytest
import typer.main
import yaml
from typer.testing import CliRunner

from matops.cli import app

REPO = Path(__file__).resolve().parents[2]
GITHUB = REPO / "ci-templates" / "github" / "nightly-scan.yml"
GITLAB = REPO / "ci-templates" / "gitlab" / ".gitlab-ci.yml"
VENDOR = Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor"
EXAMPLE = REPO / "inventories" / "example-trust"


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


def _scripts(path: Path) -> list[str]:
    """Every shell script of a template: GitHub ``run`` steps, GitLab ``script`` lines."""
    data = _load(path)
    if "jobs" in data:
        return [s["run"] for job in data["jobs"].values() for s in job["steps"] if "run" in s]
    found: list[str] = []
    for job in data.values():
        if isinstance(job, dict):
            for key in ("before_script", "script"):
                found += job.get(key, [])
    return found


def _matops_lines(path: Path) -> list[list[str]]:
    """Each ``matops …`` command of a template as argv (continuations joined, redirects cut)."""
    commands = []
    for script in _scripts(path):
        for line in script.replace("\\\n", " ").splitlines():
            match = re.search(r"(?:^|[\s(])(matops\s[^|;)]*?)(?:\s*(?:\|\||\||;|\)|$))", line)
            if match:
                commands.append(shlex.split(match.group(1), comments=True))
    return commands


def _command(argv: list[str]) -> tuple[Any, list[str]]:
    """The (click) command an argv reaches, and the rest of the argv."""
    command: Any = typer.main.get_command(app)
    rest = argv[1:]
    while rest and rest[0] in getattr(command, "commands", {}):
        command, rest = command.commands[rest[0]], rest[1:]
    return command, rest


def _options(command: Any) -> set[str]:
    return {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}


@pytest.mark.parametrize(
    ("template", "schema"), [(GITHUB, "github-workflows.json"), (GITLAB, "gitlab-ci.json")]
)
def test_template_validates_against_the_published_schema(template: Path, schema: str) -> None:
    validator = jsonschema.Draft7Validator(json.loads((VENDOR / schema).read_text()))
    errors = [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(_load(template))
    ]
    assert errors == []
    broken = _load(template)
    if "jobs" in broken:
        broken["jobs"]["gate"]["runs-on"] = 7  # GitHub: a runner label is a string
    else:
        broken["gate"]["when"] = "sometimes"  # GitLab: not a `when` value
    assert list(validator.iter_errors(broken)), "the schema must reject a broken template"


def test_templates_are_yamllint_clean() -> None:
    result = subprocess.run(
        ["yamllint", "-s", str(GITHUB), str(GITLAB)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("template", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_every_matops_command_and_option_exists(template: Path) -> None:
    commands = _matops_lines(template)
    used = {" ".join(argv[:3]) for argv in commands}
    for needed in ("matops scan", "matops results merge", "matops results check", "matops report"):
        assert any(u.startswith(needed) for u in used), f"{template.name} never runs {needed}"
    for argv in commands:
        command, rest = _command(argv)
        options = _options(command)
        assert options - {"--help"}, f"{' '.join(argv)}: not a command"
        unknown = {a.split("=")[0] for a in rest if a.startswith("--")} - options
        assert not unknown, f"{' '.join(argv)}: no such option {unknown}"


@pytest.mark.parametrize("template", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_credentials_are_handled_safely(template: Path) -> None:
    text = template.read_text()
    assert not re.search(r"StrictHostKeyChecking\s+(no|accept-new|off)", text, re.IGNORECASE)
    assert "StrictHostKeyChecking yes" in text and "UserKnownHostsFile" in text
    assert "ANSIBLE_VAULT_PASSWORD_FILE=" in text
    assert "umask 077" in text
    for script in _scripts(template):
        assert "${{ secrets." not in script, "secrets go through env:, never into the script text"
        assert not re.search(
            r"\b(echo|cat)\b[^\n]*\$(ANSIBLE_VAULT_PASSWORD|VAULT_PASSWORD)\b", script
        )


def test_github_workflow_shape() -> None:
    data = _load(GITHUB)
    assert data["on"]["schedule"][0]["cron"] and "workflow_dispatch" in data["on"]
    assert data["permissions"] == {"contents": "read", "actions": "read"}
    jobs = data["jobs"]
    assert jobs["scan"]["strategy"]["matrix"]["school"] == (
        "${{ fromJSON(needs.plan.outputs.schools) }}"
    )
    assert jobs["scan"]["strategy"]["fail-fast"] is False
    cleanup = jobs["scan"]["steps"][-1]
    assert cleanup["if"] == "always()" and "rm -rf" in cleanup["run"]
    uploads = {
        s["with"]["name"]
        for j in jobs.values()
        for s in j["steps"]
        if "upload-artifact" in s.get("uses", "")
    }
    assert {"results-${{ matrix.school }}", "merged-results"} <= uploads
    assert jobs["gate"]["needs"] == "report"


def test_gitlab_pipeline_shape_and_schools_match_the_inventory() -> None:
    data = _load(GITLAB)
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in data["workflow"]["rules"]
    (matrix,) = data["scan"]["parallel"]["matrix"]
    schools = sorted(p.stem for p in (EXAMPLE / "schools").glob("*.yml"))
    assert data["variables"]["TRUST"] == "example-trust"
    assert sorted(matrix["SCHOOL"]) == schools
    assert "merged/results.json" in data["report"]["artifacts"]["paths"]
    assert data["gate"]["needs"] == ["report"]


def _run(argv: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, argv[1:], terminal_width=200)
    return result.exit_code, result.output


def _expanded(argv: list[str], env: dict[str, str]) -> Iterator[str]:
    for arg in argv:
        yield re.sub(r"\$\{?(\w+)\}?", lambda m: env[m.group(1)], arg)


def test_the_templates_pipeline_runs_offline_on_the_example_trust(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run the GitHub template's own scan, merge, diff and check lines, offline instead of SSH."""
    monkeypatch.chdir(tmp_path)
    # A copy outside git: every school is scanned at the same (no) commit even while other
    # work is being committed to this repository during the test.
    trust = tmp_path / "example-trust"
    shutil.copytree(EXAMPLE, trust)
    lines = {argv[1] if argv[1] != "results" else argv[2]: argv for argv in _matops_lines(GITHUB)}
    env = {"TRUST": str(trust), "SCAN_DATE": "2026-11-22", "FAIL_ON": "high"}
    scan = lines["scan"]
    cut = scan.index("--ssh-config")
    offline = [*scan[:cut], "--offline", *scan[cut + 2 :]]
    for school in sorted(p.stem for p in (EXAMPLE / "schools").glob("*.yml")):
        code, out = _run(list(_expanded(offline, {**env, "SCHOOL": school})))
        assert code == 1, out  # the example trust has findings and expired waivers
    merge = [a for a in lines["merge"] if a != "per-school/*.json"]
    merge[3:3] = sorted(str(p) for p in (tmp_path / "per-school").glob("*.json"))
    code, out = _run(merge)
    assert code == 0, out
    merged = json.loads((tmp_path / "merged" / "results.json").read_text())
    assert len(merged["scan"]["schools"]) == 3
    (tmp_path / "previous").mkdir()
    (tmp_path / "previous" / "results.json").write_text(
        (tmp_path / "per-school" / "oakfield-primary.json").read_text()
    )
    code, out = _run(lines["diff"])
    assert code == 0 and "New failures" in out, out
    code, out = _run(list(_expanded(lines["check"], env)))
    assert code == 1 and "expired waiver" in out, out
