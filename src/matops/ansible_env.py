"""The environment matops gives Ansible, in-process and in subprocesses.

A trust folder holds more than inventory: asset registers (CSV), attestations, the staff list
(``people/``), waivers, the price list (``prices.yml``) and endpoint refresh plans
(``refresh/``). Ansible would try to parse those as inventory sources, so they are ignored by
name here and in the repository's ansible.cfg.
"""

from __future__ import annotations

import os

INVENTORY_IGNORE_PATTERNS = (
    r"^assets$",
    r"^attestations$",
    r"^people$",
    r"^waivers\.ya?ml$",
    r"^prices\.ya?ml$",
    r"^backups$",
    r"^lab$",
    r"^refresh$",
    r"^README",
)


def ansible_environment() -> dict[str, str]:
    """Variables to set for any Ansible run that reads a trust folder as its inventory."""
    return {
        "ANSIBLE_INVENTORY_IGNORE_REGEX": ",".join(INVENTORY_IGNORE_PATTERNS),
        "ANSIBLE_HOST_KEY_CHECKING": "True",
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "ANSIBLE_INTERPRETER_PYTHON": "auto_silent",
    }


def prepare_in_process() -> None:
    """Apply :func:`ansible_environment` before Ansible's modules are first imported.

    Ansible reads its configuration once, at import time; call this before importing it.
    """
    for key, value in ansible_environment().items():
        os.environ.setdefault(key, value)
