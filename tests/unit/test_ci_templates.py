"""The scheduled-scan CI templates: valid against the published schemas, safe with secrets, and
every ``matops`` command they run exists with the options they use; the pipeline they describe
(scan per school → merge → diff → check) is run end to end offline on the example trust.

The workflow schemas are SchemaStore's (Apache-2.0) and GitLab's (MIT), as shipped inside the
check-jsonschema package (a dev dependency), so the test needs no network.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import check_jsonschema
import jsonschema
import pytest
import typer.main
import yaml
from typer.testing import CliRunner

from benchmarks.shards import build_trust
from matops.cli import app
from matops.inventory.loader import load_trust
from matops.scan.catalogue import load_catalogue
from matops.scan.model import Severity
from matops.scan.results import write_results
from matops.scan.runner import Selection
from matops.scan.session import ScanRequest, run_scan

REPO = Path(__file__).resolve().parents[2]
GITHUB = REPO / "ci-templates" / "github" / "nightly-scan.yml"
GITLAB = REPO / "ci-templates" / "gitlab" / ".gitlab-ci.yml"
VENDOR = Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor"
EXAMPLE = REPO / "inventories" / "example-trust"
CI_DOC = REPO / "docs" / "ci.md"
MANY = 50
"""Schools of the large trust the sharding tests generate (docs/ci.md's 50-school night)."""
GITHUB_MATRIX_JOBS = 256
"""GitHub makes at most this many jobs from one matrix in a workflow run."""
GITLAB_MATRIX_JOBS = 200
"""GitLab makes at most this many jobs from one ``parallel:matrix``."""
GITLAB_NEEDS = 50
"""GitLab's default instance limit on the jobs one job may list in ``needs``."""


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


@pytest.fixture(scope="module")
def many_schools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trust of 50 schools: the example's 3 and 47 generated by the benchmarks' generator,
    one switch each (benchmarks/shards.py runs the same trust at full size)."""
    root = tmp_path_factory.mktemp("many") / "trust"
    assert len(build_trust(root, MANY, per_school=1)) == MANY
    return root


def _school_files(trust: Path) -> list[str]:
    return sorted(p.stem for p in (trust / "schools").glob("*.yml"))


def test_github_plan_lists_every_school_of_a_50_school_trust(
    many_schools: Path, tmp_path: Path
) -> None:
    """The plan job's own script, run as GitHub runs a step, gives the scan matrix its schools."""
    (plan,) = [s["run"] for s in _load(GITHUB)["jobs"]["plan"]["steps"] if s.get("id") == "plan"]
    output = tmp_path / "github_output"
    env = {
        **os.environ,
        "TRUST": str(many_schools),
        "GITHUB_OUTPUT": str(output),
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', os.defpath)}",
    }
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", plan],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    schools = json.loads(outputs["schools"])
    assert sorted(schools) == _school_files(many_schools)
    assert len(schools) == len(set(schools)) == MANY <= GITHUB_MATRIX_JOBS
    assert date.fromisoformat(outputs["scan_date"])
    matrix = _load(GITHUB)["jobs"]["scan"]["strategy"]["matrix"]["school"]
    assert matrix == "${{ fromJSON(needs.plan.outputs.schools) }}"


def _needed_jobs(data: dict[str, Any], need: str) -> int:
    """The jobs GitLab counts for one ``needs`` entry (a matrix job counts each of its jobs)."""
    job = data[need]
    if "parallel" not in job:
        return 1
    (matrix,) = job["parallel"]["matrix"]
    count = 1
    for values in matrix.values():
        count *= len(values) if isinstance(values, list) else 1
    return count


@pytest.mark.parametrize("schools", [MANY, MANY + 1])
def test_gitlab_pipeline_for_a_large_trust(many_schools: Path, schools: int) -> None:
    """GitLab's school list is kept by hand: the pipeline a trust gets by listing its 50 schools
    (or 51) as docs/ci.md says is valid, scans exactly those schools, and stays within GitLab's
    limits (no job needs the scan jobs one by one, which stops at 50)."""
    names = _school_files(many_schools) + [f"extra-{n}" for n in range(schools - MANY)]
    data = _load(GITLAB)
    (matrix,) = data["scan"]["parallel"]["matrix"]
    matrix["SCHOOL"] = names
    validator = jsonschema.Draft7Validator(json.loads((VENDOR / "gitlab-ci.json").read_text()))
    assert [e.message for e in validator.iter_errors(data)] == []
    assert sorted(matrix["SCHOOL"]) == sorted(set(names)) and len(names) == schools
    assert _needed_jobs(data, "scan") == schools <= GITLAB_MATRIX_JOBS
    for name, job in data.items():
        if isinstance(job, dict) and "needs" in job:
            needed = sum(_needed_jobs(data, n if isinstance(n, str) else n["job"])
                         for n in job["needs"])  # fmt: skip
            assert needed <= GITLAB_NEEDS, f"{name} needs {needed} jobs"
    assert data["report"]["stage"] == "report" and data["stages"].index("report") > 0


def test_ci_doc_says_what_a_large_trust_must_do() -> None:
    text = " ".join(CI_DOC.read_text(encoding="utf-8").split())
    assert "keep the list equal to `inventories/<trust>/schools/`" in text
    for fact in (
        "at most 200 jobs",
        "at most 50 others",
        "256 jobs",
        "benchmarks/results/shards.json",
    ):
        assert fact in text, fact


def test_50_shard_results_merge_into_one_and_the_gate_judges_it(
    many_schools: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """50 per-school results, one from the template's own scan line and the rest from the same
    offline scan in this process (loading the trust once keeps the test short), merged and
    checked with the template's lines: every school is in the merged file and the gate counts
    the blocking findings of all 50."""
    monkeypatch.chdir(tmp_path)
    lines = {argv[1] if argv[1] != "results" else argv[2]: argv for argv in _matops_lines(GITHUB)}
    env = {"TRUST": str(many_schools), "SCAN_DATE": "2026-11-22", "FAIL_ON": "high"}
    schools = _school_files(many_schools)
    scan = lines["scan"]
    cut = scan.index("--ssh-config")
    offline = [*scan[:cut], "--offline", *scan[cut + 2 :]]
    code, out = _run(list(_expanded(offline, {**env, "SCHOOL": schools[0]})))
    assert code == 1, out
    trust, catalogue = load_trust(many_schools), load_catalogue()
    for school in schools[1:]:
        request = ScanRequest(
            root=many_schools, trust=trust, catalogue=catalogue, checks=list(catalogue),
            selection=Selection(frozenset({school})), scan_date=date(2026, 11, 22),
            operator="ci", fail_on=Severity.HIGH,
        )  # fmt: skip
        write_results(run_scan(request), tmp_path / "per-school" / f"{school}.json")
    shards = {p.stem: json.loads(p.read_text()) for p in (tmp_path / "per-school").glob("*.json")}
    assert sorted(shards) == schools
    merge = [a for a in lines["merge"] if a != "per-school/*.json"]
    merge[3:3] = sorted(str(p) for p in (tmp_path / "per-school").glob("*.json"))
    code, out = _run(merge)
    assert code == 0, out
    merged = json.loads((tmp_path / "merged" / "results.json").read_text())
    assert sorted(merged["scan"]["schools"]) == schools
    assert {f["school"] for f in merged["findings"]} == set(schools)
    assert len(merged["findings"]) == sum(len(s["findings"]) for s in shards.values())
    assert merged["summary"]["findings"] == len(merged["findings"])
    blocking = sum(
        1
        for s in shards.values()
        for f in s["findings"]
        if f["status"] in ("fail", "error", "unreachable") and f["severity"] in ("critical", "high")
    )
    generated = [s for s in schools if s.startswith("scale-")]
    assert len(generated) == MANY - 3 and all(shards[s]["findings"] for s in generated)
    code, out = _run([*_expanded(lines["check"], env), "--json"])
    assert code == 1, out  # blocking findings and the example trust's expired waivers
    verdict = json.loads(out)
    assert verdict["blocking"] == blocking > 0 and verdict["expired_waivers"] > 0
    code, out = _run(list(_expanded(lines["check"], env)))
    assert code == 1 and f"{blocking} finding(s) at or above high" in out, out
