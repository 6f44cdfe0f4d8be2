"""Where things live: trust inventories, lab state, caches."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_TRUST = "example-trust"


def inventories_root() -> Path:
    """The folder holding one folder per trust (``MATOPS_INVENTORIES`` or ``./inventories``)."""
    return Path(os.environ.get("MATOPS_INVENTORIES", "inventories"))


def resolve_trust(arg: str | None) -> Path:
    """A trust's inventory folder from a path or a trust name.

    ``None`` means ``MATOPS_TRUST`` or the example trust.

    >>> resolve_trust("inventories/example-trust")
    PosixPath('inventories/example-trust')
    """
    name = arg or os.environ.get("MATOPS_TRUST") or DEFAULT_TRUST
    candidate = Path(name)
    if candidate.is_dir() or "/" in name:
        return candidate
    return inventories_root() / name


def cache_dir() -> Path:
    """matops' cache (``MATOPS_CACHE_DIR`` or ``~/.cache/matops``)."""
    return Path(os.environ.get("MATOPS_CACHE_DIR", Path.home() / ".cache" / "matops"))


LAB_SECRETS_FILE = "lab-secrets.yml"
"""In the lab's state folder: made-up network secrets, read only by runs given ``--lab``."""

LAB_CA_FILE = "tenant-ca.pem"
"""In the lab's state folder: the lab CA's certificate, the CA bundle for the lab's HTTPS
servers (the tenant simulator); made by ``lab up`` (:mod:`matops.lab.labca`)."""
