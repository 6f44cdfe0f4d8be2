#!/usr/bin/python
"""Ansible module: push a switch's matops baseline (the same code as ``matops network push``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ansible.module_utils.basic import AnsibleModule

DOCUMENTATION = r"""
module: matops_network_push
short_description: Push a switch baseline; diff, lint, save, verify and roll back on failure
description:
  - "Runs matops' network push for one switch of a trust inventory, on the controller: use
    connection local and the Python that has matops installed. The work runs in a fresh
    interpreter (python -m matops.network.module_entry), which needs the full Ansible."
  - Backs up the running config to <trust>/backups/<school>/<switch>.cfg (redacted unless
    unredacted_backup), computes the remediation with hier_config, refuses a change that would
    cut management access, pushes with netmiko, saves, verifies, and rolls back on any failure.
  - In check mode nothing is sent; the commands that would be sent are returned (redacted).
  - Credentials and host keys as for the CLI without --lab (MATOPS_NET_USERNAME,
    MATOPS_NET_PASSWORD, MATOPS_NET_KNOWN_HOSTS or the trust's known_hosts, vault variables),
    or with lab_dir as for the CLI with --lab (the lab's known_hosts, passwords and made-up
    secrets).
options:
  trust_dir:
    description: The trust's inventory folder.
    type: path
    required: true
  device:
    description: The switch's inventory name.
    type: str
    required: true
  dry_run:
    description: Show the commands only, as in check mode.
    type: bool
    default: false
  unredacted_backup:
    description: Keep secrets in the backup (written with mode 0600).
    type: bool
    default: false
  vault_password_file:
    description: Vault password file (default $ANSIBLE_VAULT_PASSWORD_FILE).
    type: path
  lab_dir:
    description: A running lab's state folder; reach the switch the way `--lab` does.
    type: path
  host:
    description: Connect here instead of the switch's ansible_host (a port forward).
    type: str
  port:
    description: SSH port used with host.
    type: int
    default: 22
"""

EXAMPLES = r"""
- name: Push the switch baseline
  matops_network_push:
    trust_dir: "{{ ansible_inventory_sources[0] }}"
    device: "{{ inventory_hostname }}"
"""

RETURN = r"""
outcome:
  description: unchanged, planned, applied, refused, rolled back, rollback failed or error
  type: str
commands: {description: The commands sent or to send (secrets redacted)., type: list}
backup: {description: Path of the backup taken before the push., type: str}
seconds: {description: Time taken for this switch., type: float}
"""

ARGUMENTS: dict[str, Any] = {
    "trust_dir": {"type": "path", "required": True},
    "device": {"type": "str", "required": True},
    "dry_run": {"type": "bool", "default": False},
    "unredacted_backup": {"type": "bool", "default": False},
    "vault_password_file": {"type": "path", "required": False, "no_log": False},
    "lab_dir": {"type": "path", "required": False},
    "host": {"type": "str", "required": False},
    "port": {"type": "int", "default": 22},
}


def main() -> None:
    """Run matops' push for one switch in a fresh interpreter and report it the Ansible way."""
    module = AnsibleModule(argument_spec=ARGUMENTS, supports_check_mode=True)
    params = dict(module.params)
    params["dry_run"] = module.check_mode or params["dry_run"]
    command = [sys.executable, "-m", "matops.network.module_entry"]
    rc, out, err = module.run_command(command, data=json.dumps(params), cwd=str(Path.cwd()))
    try:
        report: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        module.fail_json(msg=f"matops did not run with {sys.executable} (rc {rc}): {err[-2000:]}")
    commands = report.get("commands") or []
    report["diff"] = {"prepared": "\n".join(commands)} if commands else {}
    if report.pop("failed"):
        module.fail_json(**report)
    module.exit_json(**report)


if __name__ == "__main__":
    main()
