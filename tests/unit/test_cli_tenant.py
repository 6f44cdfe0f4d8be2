"""``matops tenant permissions``: the permission table, as text and as JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from matops.cli import app
from matops.facts.tenant.permissions import PERMISSIONS
from tests.conftest import FIXTURES

runner = CliRunner()


def test_prints_every_permission_with_why_and_facts() -> None:
    result = runner.invoke(app, ["tenant", "permissions"])
    assert result.exit_code == 0, result.output
    for permission in PERMISSIONS:
        assert permission.name in result.output
        assert permission.why[:40] in result.output.replace("\n", " ")
    assert "Directory.Read.All: reads the whole directory" in result.output
    assert "answers only with Microsoft Entra ID P1" in result.output


def test_json_lists_the_same_table() -> None:
    result = runner.invoke(app, ["tenant", "permissions", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    names = [p["name"] for rows in data["permissions"].values() for p in rows]
    assert names == [p.name for p in PERMISSIONS]


def test_with_a_trust_names_each_tenant_and_what_to_grant() -> None:
    result = runner.invoke(app, ["tenant", "permissions", "example-trust"])
    assert result.exit_code == 0, result.output
    assert "grant to northfield-m365: Entra tenant" in result.output
    assert "acting as matops-reader@northfield.example" in result.output


def test_a_trust_without_tenants_says_so(tmp_path: Path) -> None:
    root = tmp_path / "trust"
    shutil.copytree(FIXTURES / "trusts" / "mini", root)
    path = root / "group_vars" / "all.yml"
    text = path.read_text()
    path.write_text(text[: text.index("  tenants:")])
    result = runner.invoke(app, ["tenant", "permissions", str(root)])
    assert result.exit_code == 0, result.output
    assert "declares no tenants" in result.output
