"""The lab's made-up network secrets: written 0600 by lab up, read only by a run given --lab."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml

from matops.connect.profile import build_profile
from matops.inventory.ansible_vars import AnsibleVariables, VariableError
from matops.lab.labsecrets import write_lab_secrets
from matops.network.render import render_device
from matops.platforms import network_platform
from tests.conftest import EXAMPLE_TRUST


def test_written_owner_only_with_every_network_secret(tmp_path: Path) -> None:
    path = write_lab_secrets(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    values = yaml.safe_load(path.read_text())
    form = network_platform("cisco_ios").admin_hash
    assert form is not None and form.pattern.match(values["network_admin_secret_hash"]["cisco_ios"])
    assert values["network_admin_secret_hash"]["aruba_aoscx"]
    assert values["network_snmp_auth_key"] != values["network_snmp_priv_key"]
    again = yaml.safe_load(write_lab_secrets(tmp_path).read_text())
    assert again["vault_radius_key"] != values["vault_radius_key"], "fresh values per lab"


def test_lab_profile_supplies_the_secrets_the_example_trust_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = yaml.safe_load(write_lab_secrets(tmp_path).read_text())
    monkeypatch.setenv("MATOPS_LAB_DIR", str(tmp_path))  # the environment decides nothing
    plain = AnsibleVariables(EXAMPLE_TRUST).rendered("oak-sw01")
    assert "network_snmp_auth_key" not in plain
    assert "trust.services.radius[0].key" in str(plain["matops_unresolved"])

    secrets = build_profile(EXAMPLE_TRUST, lab_dir=tmp_path).secrets
    assert secrets.lab_secrets_file == tmp_path / "lab-secrets.yml"
    variables = AnsibleVariables(EXAMPLE_TRUST, None, secrets.lab_secrets_file)
    lab = variables.rendered("oak-sw01")
    assert lab["network_snmp_auth_key"] == values["network_snmp_auth_key"]
    assert lab["trust"]["services"]["radius"][0]["key"] == values["vault_radius_key"]
    config = render_device(EXAMPLE_TRUST, "oak-sw01", variables)
    assert values["network_admin_secret_hash"]["cisco_ios"] in config


def test_a_trust_profile_never_names_the_lab_secrets(tmp_path: Path) -> None:
    write_lab_secrets(tmp_path)
    env = {"MATOPS_LAB_DIR": str(tmp_path), "MATOPS_NET_USERNAME": "ops"}
    profile = build_profile(EXAMPLE_TRUST, environment=env)
    assert not profile.is_lab
    assert profile.secrets.lab_secrets_file is None
    assert str(tmp_path) not in profile.model_dump_json()


def test_a_missing_extra_vars_file_is_an_error_not_silence(tmp_path: Path) -> None:
    with pytest.raises(VariableError, match=r"lab-secrets\.yml: cannot read"):
        AnsibleVariables(EXAMPLE_TRUST, None, tmp_path / "lab-secrets.yml")
