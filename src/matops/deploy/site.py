"""The site's role order, read from ``playbooks/site.yml``: the one list both engines follow.

``site.yml`` imports one playbook per concern; each of those plays names its role. The order of
the imports is the order in which ``matops deploy`` applies roles with Ansible and with pyinfra.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PLAYBOOKS_DIR = Path(__file__).resolve().parents[3] / "playbooks"
_IMPORT_KEYS = ("ansible.builtin.import_playbook", "import_playbook")


class SiteError(Exception):
    """``site.yml`` or a playbook it imports cannot be read as a list of plays."""


def _plays(path: Path) -> list[dict[str, Any]]:
    try:
        plays = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise SiteError(f"{path}: {exc}") from None
    if not isinstance(plays, list) or not all(isinstance(p, dict) for p in plays):
        raise SiteError(f"{path}: not a list of plays")
    return plays


def _role_name(entry: Any) -> str:
    return str(entry.get("role") or entry.get("name")) if isinstance(entry, dict) else str(entry)


def site_roles(playbooks: Path = PLAYBOOKS_DIR) -> tuple[str, ...]:
    """Every role ``site.yml`` applies, in its order (a role named twice counts once).

    >>> site_roles()[:2]
    ('baseline', 'ssh_hardening')
    """
    roles: dict[str, None] = {}
    for entry in _plays(playbooks / "site.yml"):
        imported = next((entry[k] for k in _IMPORT_KEYS if k in entry), None)
        plays = _plays(playbooks / str(imported)) if imported else [entry]
        for play in plays:
            roles |= dict.fromkeys(_role_name(r) for r in play.get("roles") or [])
    return tuple(roles)
