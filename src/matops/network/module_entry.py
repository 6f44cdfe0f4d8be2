"""Entry point for the Ansible module ``matops_network_push``: JSON in, JSON out.

Ansible runs a module with its own partial copy of ``ansible`` on ``sys.path``; matops needs the
full Ansible (its variable resolver), so the module starts this in a fresh interpreter::

    echo '{"trust_dir": "inventories/example-trust", "device": "oak-sw01", "dry_run": true}' \\
        | python -m matops.network.module_entry
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from matops.connect.profile import build_profile
from matops.network.jobs import push_one
from matops.network.push import Outcome, PushOptions, PushResult


def run(params: dict[str, Any], env: dict[str, str]) -> PushResult:
    """Push one switch as the module's parameters say.

    >>> run({"trust_dir": "inventories/example-trust", "device": "oak-sw01"}, {})  # doctest: +SKIP
    PushResult(device='oak-sw01', ...)
    """
    trust_dir = Path(params["trust_dir"])
    options = PushOptions(
        trust_dir,
        dry_run=bool(params.get("dry_run")),
        unredacted_backup=bool(params.get("unredacted_backup")),
    )
    vault = params.get("vault_password_file") or env.get("ANSIBLE_VAULT_PASSWORD_FILE")
    lab_dir = params.get("lab_dir")
    profile = build_profile(
        trust_dir,
        lab_dir=Path(lab_dir) if lab_dir else None,
        vault_password_file=Path(vault) if vault else None,
        environment=env,
    )
    host = params.get("host")
    address = (str(host), int(params.get("port") or 22)) if host else None
    return push_one(trust_dir, str(params["device"]), options, profile, address=address)


def report(result: PushResult) -> dict[str, Any]:
    """The module's return values for a result."""
    return {
        "changed": result.outcome in (Outcome.APPLIED, Outcome.PLANNED),
        "failed": result.failed,
        "outcome": result.outcome.value,
        "msg": result.message or result.outcome.value,
        "commands": list(result.commands),
        "backup": str(result.backup) if result.backup else None,
        "seconds": result.seconds,
    }


def main() -> int:
    """Read parameters from stdin, push, write the report to stdout."""
    params = json.loads(sys.stdin.read())
    print(json.dumps(report(run(params, dict(os.environ)))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
