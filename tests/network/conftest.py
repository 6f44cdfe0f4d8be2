"""Fixtures for the network tests: the example trust with fictional vault values.

No secret is kept in the repository. Each test session copies the example trust, writes a
generated vault password file beside the copy and appends ansible-vault encrypted *fictional*
values (see inventories/README.md, "Network baseline variables"). The values below are made up
for the tests and protect nothing.
"""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

import pytest

from matops.ansible_env import prepare_in_process
from tests.conftest import EXAMPLE_TRUST

prepare_in_process()

from ansible.parsing.vault import VaultLib, VaultSecret  # noqa: E402

FICTIONAL = {
    "vault_radius_key": "fictional-radius-key-for-tests",
    "vault_network_admin_hash_ios": "$9$goldenfixture1$FictionalHashForMatopsTestsOnlyNotAPassword",
    "vault_network_admin_hash_aoscx": "AQBapFictionalCiphertextForMatopsTestsOnly",
    "vault_network_snmp_auth_key": "fictional-snmp-auth-key",
    "vault_network_snmp_priv_key": "fictional-snmp-priv-key",
}
"""Made-up values that play the role of the trust's vault in tests."""

REFERENCES = """
network_admin_secret_hash:
  cisco_ios: "{{ vault_network_admin_hash_ios }}"
  aruba_aoscx: "{{ vault_network_admin_hash_aoscx }}"
network_snmp_auth_key: "{{ vault_network_snmp_auth_key }}"
network_snmp_priv_key: "{{ vault_network_snmp_priv_key }}"
"""


def vault_block(name: str, value: str, password: bytes) -> str:
    """``name: !vault |`` followed by the encrypted value, as ``ansible-vault encrypt_string``."""
    vault = VaultLib([("default", VaultSecret(password))])
    body = vault.encrypt(value).decode()
    return f"{name}: !vault |\n" + "".join(f"  {line}\n" for line in body.splitlines())


def make_vaulted_trust(
    directory: Path, values: dict[str, str] | None = None, references: str = REFERENCES
) -> tuple[Path, Path]:
    """Copy the example trust under ``directory`` and add encrypted fictional values.

    Returns (trust folder, vault password file).
    """
    root = directory / "example-trust"
    shutil.copytree(EXAMPLE_TRUST, root)
    password = directory / "vault-password"
    secret = secrets.token_hex(16)
    password.write_text(secret + "\n")
    password.chmod(0o600)
    blocks = [vault_block(k, v, secret.encode()) for k, v in (values or FICTIONAL).items()]
    vars_file = root / "group_vars" / "all.yml"
    vars_file.write_text(vars_file.read_text() + "\n" + "".join(blocks) + references)
    return root, password


@pytest.fixture(scope="session")
def vaulted_trust(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example trust with every network secret defined (fictional, vault-encrypted)."""
    return make_vaulted_trust(tmp_path_factory.mktemp("network-trust"))
