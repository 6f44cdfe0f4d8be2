"""``matops tenant permissions``: the permission table, as text and as JSON."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from matops.cli import app
from matops.facts.tenant.permissions import PERMISSIONS

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
