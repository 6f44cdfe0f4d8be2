"""The loader on valid inventories, and its warnings."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from matops.cli import app
from matops.inventory import Severity, load
from matops.inventory.model import PortRole, VlanPurpose, expand_port_names
from tests.conftest import FIXTURES


def test_mini_trust_loads_into_the_model() -> None:
    result = load(FIXTURES / "trusts" / "mini")
    assert result.problems == []
    trust = result.trust
    assert trust is not None
    assert [s.id for s in trust.schools] == ["alpha-primary", "beta-academy"]
    switch = next(t for t in trust.targets("switch") if t.name == "alpha-sw01")
    assert switch.platform == "cisco_ios"
    assert str(switch.address) == "198.18.1.2"
    ports = [n for g in switch.vars.ports for n in g.port_names()]
    assert len(ports) == 25 and len(set(ports)) == 25
    assert switch.vars.ports[0].role is PortRole.STAFF
    school = trust.school("alpha-primary")
    parking = school.vlan_by_purpose(VlanPurpose.PARKING)
    assert parking is not None and parking.id == 999
    assert len(school.assets) == 3


def test_port_ranges_expand() -> None:
    assert expand_port_names("GigabitEthernet1/0/9-11") == [
        "GigabitEthernet1/0/9",
        "GigabitEthernet1/0/10",
        "GigabitEthernet1/0/11",
    ]
    assert expand_port_names("TenGigabitEthernet1/1/1") == ["TenGigabitEthernet1/1/1"]


def test_plaintext_secret_is_a_warning_not_an_error(mini_trust: Path) -> None:
    path = mini_trust / "group_vars" / "all.yml"
    end = len(path.read_text().splitlines())
    path.write_text(path.read_text() + "snmp_community: public\nradius_password: hunter2\n")

    result = CliRunner().invoke(app, ["inventory", "validate", str(mini_trust)])

    assert result.exit_code == 0, result.output
    warnings = [line.replace(f"{mini_trust}/", "") for line in result.stderr.splitlines()]
    community, password = (
        f"all.yml:{end + 1}: warning: 'snmp",
        f"all.yml:{end + 2}: warning: 'radius",
    )
    assert any(w.startswith(f"group_vars/{community}") for w in warnings), warnings
    assert any(w.startswith(f"group_vars/{password}") for w in warnings), warnings


def test_vault_and_template_values_are_not_plaintext_secrets(mini_trust: Path) -> None:
    path = mini_trust / "group_vars" / "all.yml"
    vaulted = "vault_snmp_key: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n"
    path.write_text(path.read_text() + vaulted + "snmp_key: '{{ vault_snmp_key }}'\n")
    result = load(mini_trust)
    assert [p for p in result.problems if p.severity is Severity.WARNING] == []


def test_show_json_lists_schools_and_targets() -> None:
    result = CliRunner().invoke(
        app, ["inventory", "show", str(FIXTURES / "trusts" / "mini"), "--json"]
    )
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.stdout)
    assert data["trust"]["id"] == "mini-trust"
    names = [t["name"] for s in data["schools"] for t in s["targets"]]
    assert names == ["alpha-srv01", "alpha-sw01", "beta-srv01", "beta-sw01"]


def test_show_unknown_school_is_a_clean_error() -> None:
    mini = str(FIXTURES / "trusts" / "mini")
    result = CliRunner().invoke(app, ["inventory", "show", mini, "--school", "nope"])
    assert result.exit_code == 2
    assert "no school 'nope'" in result.stderr
    assert "Traceback" not in result.output


def test_missing_inventory_directory_is_a_clean_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["inventory", "validate", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'nothing'}:1: inventory directory not found" in result.stderr


def test_group_vars_file_beside_folder_is_an_error(mini_trust: Path) -> None:
    folder = mini_trust / "group_vars" / "all"
    folder.mkdir()
    (folder / "vault.yml").write_text("vault_radius_key: x\n")
    result = load(mini_trust)
    lines = [str(p).replace(f"{mini_trust}/", "") for p in result.problems]
    assert (
        "group_vars/all.yml:1: Ansible ignores this file because group_vars/all/ exists: "
        "move it into all/" in lines
    )
