"""Made-up secrets for the lab, so that a rehearsal never needs (or exposes) the trust's own.

``lab up`` writes ``<state>/lab-secrets.yml`` (mode 0600) with random values for the variables
the switch baseline needs: the admins' password hash per platform, the SNMPv3 keys and the
RADIUS key; when the lab simulates the trust's tenants, their made-up credentials too (client
secret, service account key) under the variable names the inventory gives them. A run given
``--lab`` (its connection profile, :mod:`matops.connect.profile`) reads
them as Ansible extra variables (highest precedence, as ``ansible-playbook -e @file``; see
:mod:`matops.inventory.ansible_vars`), so the trust's real vault values never reach a lab
switch; a run without ``--lab`` never names the file. ``lab down`` removes it with the rest of
the lab.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from pathlib import Path

import yaml

from matops.lab.switches import write_secret
from matops.paths import LAB_SECRETS_FILE

_HASH_ALPHABET = string.ascii_letters + string.digits + "./"


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def lab_secret_values() -> dict[str, object]:
    """Fresh random values for every network secret the baseline templates use.

    The IOS value has the shape of a type 9 (scrypt) hash, as the template demands; it is the
    hash of no known password (the lab signs in with its own ``admin`` account).

    >>> sorted(lab_secret_values())
    ['network_admin_secret_hash', 'network_snmp_auth_key', 'network_snmp_priv_key', 'vault_radius_key']
    """  # noqa: E501
    ios = f"$9${_random(_HASH_ALPHABET, 14)}${_random(_HASH_ALPHABET, 43)}"
    return {
        "network_admin_secret_hash": {
            "cisco_ios": ios,
            "aruba_aoscx": "AQBap" + _random(string.ascii_letters + string.digits, 40),
        },
        "network_snmp_auth_key": "lab-auth-" + secrets.token_hex(12),
        "network_snmp_priv_key": "lab-priv-" + secrets.token_hex(12),
        "vault_radius_key": "lab-radius-" + secrets.token_hex(12),
    }


def write_lab_secrets(state_dir: Path, extra: Mapping[str, object] | None = None) -> Path:
    """Write a fresh ``lab-secrets.yml`` into the lab's state folder (mode 0600).

    ``extra``: more made-up values, e.g. the simulated tenants' credentials under the variable
    names the inventory gives them (:func:`matops.lab.tenants.bring_up_tenants`).
    """
    path = state_dir / LAB_SECRETS_FILE
    header = "# matops lab: random values for this lab only (removed by `matops lab down`)\n"
    values = {**lab_secret_values(), **(extra or {})}
    write_secret(path, header + yaml.safe_dump(values, sort_keys=True))
    return path
