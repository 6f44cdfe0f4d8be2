"""Host variables computed by Ansible's own inventory and variable manager.

This is the one variable resolver of matops: Ansible playbooks, the pyinfra adapter and matops'
own code (network templates, checks) all see the values computed here, vault included.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from matops.ansible_env import prepare_in_process

prepare_in_process()

from ansible import constants as ansible_constants  # noqa: E402 - configured just above
from ansible.cli import CLI  # noqa: E402
from ansible.errors import AnsibleError  # noqa: E402
from ansible.inventory.manager import InventoryManager  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.parsing.vault import EncryptedString, VaultSecretsContext  # noqa: E402
from ansible.template import Templar  # noqa: E402
from ansible.vars.manager import VariableManager  # noqa: E402


class VariableError(Exception):
    """Ansible could not compute variables (e.g. a vault value without its password)."""


def plain(value: Any) -> Any:
    """Convert Ansible's tagged values to plain Python, decrypting vault values.

    >>> plain({"a": [1, "x"]})
    {'a': [1, 'x']}
    """
    if isinstance(value, EncryptedString):
        try:
            return str(value)
        except AnsibleError as exc:
            raise VariableError(f"cannot decrypt a vault value: {exc.message}") from exc
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    for kind in (str, int, float):
        if isinstance(value, kind):
            return kind(value)
    return value


def vault_password_files(explicit: Path | None = None) -> list[str]:
    """Vault password files to use: an explicit one, else ``ANSIBLE_VAULT_PASSWORD_FILE``."""
    if explicit is not None:
        return [str(explicit)]
    configured = os.environ.get("ANSIBLE_VAULT_PASSWORD_FILE")
    return [configured] if configured else []


def _activate(secrets: list[tuple[str, Any]]) -> None:
    """Make these the secrets that vault values decrypt with, in this process.

    Ansible 2.19 keeps them in one process-wide context that may only be initialised once;
    matops may read several inventories (tests do), so the context is replaced instead.
    """
    VaultSecretsContext._current = VaultSecretsContext(secrets)


def read_extra_vars(path: Path | None) -> dict[str, Any]:
    """Extra variables from a YAML file (the lab's made-up secrets), or none without a file.

    Only a run given ``--lab`` names such a file (its connection profile does); nothing here
    looks for one.
    """
    if path is None:
        return {}
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise VariableError(f"{path}: cannot read the extra variables: {exc}") from exc
    if not isinstance(loaded, dict):
        raise VariableError(f"{path}: expected a mapping of variables")
    return loaded


class AnsibleVariables:
    """Variables of every host of an Ansible inventory directory.

    >>> AnsibleVariables(Path("inventories/example-trust")).raw("oak-srv01")["ansible_host"]
    ... # doctest: +SKIP
    '198.18.10.11'
    """

    def __init__(
        self,
        inventory_dir: Path,
        vault_password_file: Path | None = None,
        extra_vars_file: Path | None = None,
    ) -> None:
        self.inventory_dir = inventory_dir
        self.loader = DataLoader()
        self.extra_vars = read_extra_vars(extra_vars_file)
        files = vault_password_files(vault_password_file)
        if files:
            secrets = CLI.setup_vault_secrets(
                self.loader,
                vault_ids=[],
                vault_password_files=files,
                ask_vault_pass=False,
                initialize_context=False,
            )
            self.loader.set_vault_secrets(secrets)
            _activate(secrets)

    @cached_property
    def inventory(self) -> InventoryManager:
        """Ansible's inventory of the directory."""
        return InventoryManager(loader=self.loader, sources=[str(self.inventory_dir)])

    @cached_property
    def manager(self) -> VariableManager:
        """Ansible's variable manager over the inventory."""
        return VariableManager(loader=self.loader, inventory=self.inventory)

    def hosts(self) -> list[str]:
        """Every host name, in inventory order."""
        return [h.name for h in self.inventory.get_hosts()]

    def groups(self, host: str) -> list[str]:
        """The groups a host belongs to (without ``all``)."""
        return sorted(g.name for g in self.inventory.get_host(host).get_groups() if g.name != "all")

    def _vars(self, host: str) -> dict[str, Any]:
        found = self.inventory.get_host(host)
        if found is None:
            raise VariableError(f"no host {host!r} in {self.inventory_dir}")
        values = dict(self.manager.get_vars(host=found, include_hostvars=False, stage="all"))
        for internal in ansible_constants.INTERNAL_STATIC_VARS:
            values.pop(internal, None)
        values.update(self.extra_vars)  # extra variables win over everything, as in Ansible
        return values

    def raw(self, host: str) -> dict[str, Any]:
        """A host's variables as ``ansible-inventory --host`` computes them, vault decrypted."""
        return dict(plain(self._vars(host)))

    def rendered(self, host: str) -> dict[str, Any]:
        """A host's variables with Jinja2 references (``{{ vault_radius_key }}``) resolved.

        As in Ansible, a value that cannot be resolved is only an error where it is used: it is
        left out, and its dotted path and reason are listed under ``matops_unresolved``.
        """
        values = self._vars(host)
        templar = Templar(loader=self.loader, variables=values)
        unresolved: dict[str, str] = {}
        result = _render(templar, values, "", unresolved)
        result["matops_unresolved"] = unresolved
        return dict(result)


def _render(templar: Templar, value: Any, path: str, unresolved: dict[str, str]) -> Any:
    """Template every leaf on its own, so one undefined value spoils only itself."""
    if isinstance(value, Mapping):
        rendered = {}
        for key, item in value.items():
            result = _render(templar, item, f"{path}.{key}" if path else str(key), unresolved)
            if result is not _MISSING:
                rendered[str(key)] = result
        return rendered
    if isinstance(value, list | tuple):
        items = [_render(templar, v, f"{path}[{i}]", unresolved) for i, v in enumerate(value)]
        return [None if v is _MISSING else v for v in items]
    try:
        return plain(templar.template(value))
    except AnsibleError as exc:
        unresolved[path] = str(exc.message)
        return _MISSING


_MISSING = object()
