"""The simulated tenants' data: ``DIR/<tenant-name>/*.json``, one folder per tenant.

Each folder holds ``tenant.json`` (``provider``: ``microsoft365`` or ``google_workspace``, the
tenant's identity and its registered app or service account with what it was granted) and one
file per collection, named after it (``users.json``, ``groups.json``, ``policies.json`` …; the
data folder's README lists them). ``credentials.json`` is written beside them by whoever starts
the simulator (the lab, a test): the SHA-256 of each client secret, the certificates of each
app, the public keys of each service account; never a private key or a secret itself.

Dates may be written relative to the moment the data is loaded, ``{{now-12d}}`` (``d``, ``h``
or ``m``; ``+`` or ``-``), so that "signed in last week" stays true whenever the lab runs;
they are rendered in the provider's own format.

A ``tenant.json`` with ``"generate": {...}`` gets its collections from :mod:`tenantsim.generate`
instead (the large tenant of the benchmark, made at start, never stored).

>>> render_dates({"t": "{{now-1d}}"}, datetime(2026, 1, 2, tzinfo=UTC), "microsoft365")
{'t': '2026-01-01T00:00:00Z'}
"""

from __future__ import annotations

import copy
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PROVIDERS = ("microsoft365", "google_workspace")
CREDENTIALS = "credentials.json"
_RELATIVE = re.compile(r"^\{\{now(?:([+-])(\d+)([dhm]))?\}\}$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


class DataError(Exception):
    """The data folder cannot be served (the message names the file)."""


def format_time(moment: datetime, provider: str) -> str:
    """A timestamp as the provider writes it (Google adds milliseconds).

    >>> format_time(datetime(2026, 3, 1, 8, 5, tzinfo=UTC), "google_workspace")
    '2026-03-01T08:05:00.000Z'
    """
    if provider == "google_workspace":
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def render_dates(value: Any, now: datetime, provider: str) -> Any:
    """Replace every ``{{now±N[dhm]}}`` string in ``value`` (recursively) by a timestamp."""
    if isinstance(value, str):
        match = _RELATIVE.match(value)
        if not match:
            return value
        sign, amount, unit = match.groups()
        delta = timedelta(**{_UNITS[unit]: int(amount)}) if unit else timedelta()
        return format_time(now - delta if sign == "-" else now + delta, provider)
    if isinstance(value, list):
        return [render_dates(v, now, provider) for v in value]
    if isinstance(value, dict):
        return {k: render_dates(v, now, provider) for k, v in value.items()}
    return value


@dataclass
class Tenant:
    """One tenant's data in memory: ``info`` (tenant.json), collections by file stem."""

    name: str
    provider: str
    info: dict[str, Any]
    collections: dict[str, Any] = field(default_factory=dict)
    credentials: dict[str, Any] = field(default_factory=dict)
    _indexes: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, repr=False)

    def index(self, collection: str, key: str = "id") -> dict[str, Any]:
        """A collection's items by ``key`` (cached until the collection is replaced)."""
        cached = self._indexes.get((collection, key))
        if cached is None:
            items = self.collections.get(collection) or []
            cached = {str(item[key]): item for item in items if key in item}
            self._indexes[(collection, key)] = cached
        return cached

    def get(self, collection: str, default: Any = None) -> Any:
        """A collection (list or object), or ``default`` when the tenant has none."""
        return self.collections.get(collection, default)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: {exc}") from exc


def load_tenant(folder: Path, now: datetime | None = None) -> Tenant:
    """Load one tenant folder; DataError names the file that is wrong."""
    info_path = folder / "tenant.json"
    if not info_path.is_file():
        raise DataError(f"{folder}: no tenant.json")
    info = _read_json(info_path)
    provider = info.get("provider") if isinstance(info, dict) else None
    if provider not in PROVIDERS:
        raise DataError(f"{info_path}: provider must be one of {', '.join(PROVIDERS)}")
    moment = now or datetime.now(UTC)
    tenant = Tenant(folder.name, provider, render_dates(info, moment, provider))
    if "generate" in info:
        from tenantsim.generate import generate

        tenant.collections = generate(tenant.info, moment)
    for path in sorted(folder.glob("*.json")):
        if path.name in ("tenant.json", CREDENTIALS):
            continue
        tenant.collections[path.stem] = render_dates(_read_json(path), moment, provider)
    if (folder / CREDENTIALS).is_file():
        tenant.credentials = _read_json(folder / CREDENTIALS)
    return tenant


class Store:
    """Every tenant of a data folder; replaceable per collection, reloadable from disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self.tenants: dict[str, Tenant] = {}
        self.reload()

    def reload(self) -> None:
        """(Re)load every tenant folder from disk, forgetting replaced data."""
        if not self.root.is_dir():
            raise DataError(f"{self.root}: no such data folder")
        tenants = {}
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir()):
            if (folder / "tenant.json").is_file():
                tenants[folder.name] = load_tenant(folder)
        with self._lock:
            self.tenants = tenants

    def replace(self, name: str, collection: str, value: Any) -> None:
        """Replace one collection (or ``tenant`` for tenant.json) of one tenant, in memory."""
        with self._lock:
            tenant = self.tenants.get(name)
            if tenant is None:
                raise KeyError(name)
            rendered = render_dates(copy.deepcopy(value), datetime.now(UTC), tenant.provider)
            tenant._indexes.clear()
            if collection == "tenant":
                tenant.info = rendered
            elif collection == "credentials":
                tenant.credentials = rendered
            else:
                tenant.collections[collection] = rendered

    def apply_overlay(self, name: str, overlay: str) -> list[str]:
        """Replace the collections found in ``<tenant>/<overlay>/*.json`` (e.g. ``fixed``).

        Returns the collections replaced; KeyError for an unknown tenant or overlay.
        """
        if name not in self.tenants or not overlay.isidentifier():
            raise KeyError(name)
        folder = self.root / name / overlay
        if not folder.is_dir():
            raise KeyError(overlay)
        replaced = []
        for path in sorted(folder.glob("*.json")):
            self.replace(name, path.stem, _read_json(path))
            replaced.append(path.stem)
        return replaced

    def microsoft(self, tenant_id: str) -> Tenant | None:
        """The Microsoft 365 tenant with this tenant id (GUID) or one of its domains."""
        wanted = tenant_id.lower()
        for tenant in self.tenants.values():
            if tenant.provider != "microsoft365":
                continue
            names = [str(tenant.info.get("tenant_id", "")).lower()]
            names += [str(d).lower() for d in tenant.info.get("domains", [])]
            if wanted in names:
                return tenant
        return None

    def google_by_client_email(self, email: str) -> Tenant | None:
        """The Google tenant whose service account has this ``client_email``."""
        for tenant in self.tenants.values():
            if tenant.provider != "google_workspace":
                continue
            accounts = tenant.info.get("service_accounts", [])
            if any(a.get("client_email") == email for a in accounts):
                return tenant
        return None
