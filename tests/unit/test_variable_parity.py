"""One variable resolver: the pyinfra adapter sees exactly what Ansible computes, vault included."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from matops.ansible_env import ansible_environment
from matops.inventory.ansible_vars import AnsibleVariables
from matops.inventory.pyinfra_adapter import SshSettings, build_inventory
from tests.conftest import EXAMPLE_TRUST

BIN = Path(sys.executable).parent
SECRET = "radius-shared-secret-for-tests"


def _run(*args: str, stdin: str | None = None) -> str:
    env = {**os.environ, **ansible_environment()}
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, env=env, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def vaulted_trust(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the example trust whose RADIUS key is an ansible-vault encrypted variable."""
    root = tmp_path_factory.mktemp("vault") / "example-trust"
    shutil.copytree(EXAMPLE_TRUST, root)
    password = root.parent / "vault-password"
    password.write_text("correct horse battery staple\n")
    password.chmod(0o600)
    encrypted = _run(
        str(BIN / "ansible-vault"), "encrypt_string", "--vault-password-file", str(password),
        "--name", "vault_radius_key", SECRET,
    )  # fmt: skip
    vars_file = root / "group_vars" / "all.yml"
    lookup = "{{ lookup('env', 'MATOPS_TEST_ENV_SECRET') }}"
    extra = f'\n{encrypted}\nradius_key_from_env: "{lookup}"\n'
    vars_file.write_text(vars_file.read_text() + extra)
    return root, password


def _decrypt_ansible_json(value: Any, password: Path) -> Any:
    """Decrypt ``{"__ansible_vault": ...}`` values with the ansible-vault CLI (independently)."""
    if isinstance(value, dict) and set(value) == {"__ansible_vault"}:
        return _run(
            str(BIN / "ansible-vault"), "decrypt", "--vault-password-file", str(password),
            "--output", "-", stdin=value["__ansible_vault"],
        )  # fmt: skip
    if isinstance(value, dict):
        return {k: _decrypt_ansible_json(v, password) for k, v in value.items()}
    if isinstance(value, list):
        return [_decrypt_ansible_json(v, password) for v in value]
    return value


def test_adapter_variables_equal_ansible_inventory_host(vaulted_trust: tuple[Path, Path]) -> None:
    root, password = vaulted_trust
    variables = AnsibleVariables(root, password)
    hosts = variables.hosts()
    assert len(hosts) >= 16

    def ansible_host_vars(host: str) -> Any:
        out = _run(
            str(BIN / "ansible-inventory"), "-i", str(root), "--host", host,
            "--vault-password-file", str(password),
        )  # fmt: skip
        return _decrypt_ansible_json(json.loads(out), password)

    with ThreadPoolExecutor(max_workers=4) as pool:
        expected = dict(zip(hosts, pool.map(ansible_host_vars, hosts), strict=True))

    for host in hosts:
        assert variables.raw(host) == expected[host], host
        assert expected[host]["vault_radius_key"] == SECRET


def test_pyinfra_inventory_carries_rendered_values(
    vaulted_trust: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, password = vaulted_trust
    monkeypatch.setenv("MATOPS_TEST_ENV_SECRET", "from-the-environment")
    ssh = SshSettings(config_file=Path("/lab/ssh_config"), known_hosts_file=Path("/lab/kh"))
    inventory = build_inventory(root, ssh=ssh, vault_password_file=password)
    variables = AnsibleVariables(root, password)
    names = sorted(h.name for h in inventory)
    assert names == sorted(variables.hosts())
    for host in inventory:
        raw = variables.raw(host.name)
        assert host.data.ssh_hostname == raw["ansible_host"]
        assert host.data.ssh_strict_host_key_checking == "yes"
        assert host.data.ssh_known_hosts_file == "/lab/kh"
        assert host.data.vault_radius_key == SECRET
        assert host.data.trust["services"]["radius"][0]["key"] == SECRET
        assert host.data.radius_key_from_env == "from-the-environment"
        assert host.data.school == raw["school"]
    linux = sorted(h.name for h in inventory.get_group("linux"))
    assert linux == sorted(h for h in variables.hosts() if "linux" in variables.groups(h))


def test_wrong_vault_password_is_a_clear_error(vaulted_trust: tuple[Path, Path]) -> None:
    root, _password = vaulted_trust
    wrong = root.parent / "wrong-password"
    wrong.write_text("not it\n")
    variables = AnsibleVariables(root, wrong)
    from matops.inventory.ansible_vars import VariableError

    with pytest.raises(VariableError, match="decrypt"):
        variables.raw(variables.hosts()[0])
