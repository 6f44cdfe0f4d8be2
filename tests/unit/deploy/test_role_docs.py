"""Role READMEs: the variable table is generated from meta/argument_specs.yml and must be fresh;
every default is declared in the spec and named after its role."""

from __future__ import annotations

from pathlib import Path

import pytest

from matops.deploy import role_docs

ROLES = sorted(
    p.parent.parent
    for p in (Path(__file__).resolve().parents[3] / "roles").glob("*/meta/argument_specs.yml")
)


@pytest.mark.parametrize("role_dir", ROLES, ids=[r.name for r in ROLES])
def test_readme_table_is_fresh(role_dir: Path) -> None:
    readme = (role_dir / "README.md").read_text(encoding="utf-8")
    assert readme == role_docs.updated_readme(role_dir), (
        f"{role_dir.name}/README.md is stale: run python -m matops.deploy.role_docs"
    )


@pytest.mark.parametrize("role_dir", ROLES, ids=[r.name for r in ROLES])
def test_defaults_match_argument_spec(role_dir: Path) -> None:
    assert role_docs.problems(role_dir) == []


def test_stale_readme_is_reported(tmp_path: Path) -> None:
    role = tmp_path / "demo"
    (role / "meta").mkdir(parents=True)
    (role / "defaults").mkdir()
    (role / "meta" / "argument_specs.yml").write_text(
        "argument_specs:\n  main:\n    options:\n"
        "      demo_port: {type: int, description: Port (number).}\n"
    )
    (role / "defaults" / "main.yml").write_text("demo_port: 22\nstray: 1\n")
    (role / "README.md").write_text(f"# demo\n{role_docs.BEGIN}\nold\n{role_docs.END}\n")
    assert role_docs.main(["--check", str(tmp_path)]) == 1
    assert role_docs.problems(role) == [
        "demo: stray is in defaults/main.yml but not in meta/argument_specs.yml"
    ]
    role_docs.main([str(tmp_path)])
    assert "| `demo_port` | int | `22` | Port (number). |" in (role / "README.md").read_text()
