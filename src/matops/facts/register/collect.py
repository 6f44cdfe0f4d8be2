"""Fact providers over the loaded trust: inventory settings and the asset registers (pure)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from pydantic import BaseModel

from matops.facts.device_tables import load_ipados_releases, load_windows_releases
from matops.facts.model import Fact, FactUnavailableError, Subject, make_evidence
from matops.facts.register.model import OsLifecycle, load_os_lifecycle
from matops.facts.tenant.devices import trust_register
from matops.inventory.model import Asset, School, Trust


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _dump(value: Any) -> str:
    """Compact, stable JSON of an inventory value (empty fields left out)."""
    return json.dumps(_plain(value), default=str, separators=(",", ":"), sort_keys=True)


def inventory_fact(name: str, value: Any, source: str) -> Fact:
    """A fact whose evidence is the inventory value itself (hashed as JSON)."""
    text = _dump(value)
    return Fact(name=name, value=value, evidence=make_evidence(source, text))


_windows_releases = cache(load_windows_releases)
_ipados_releases = cache(load_ipados_releases)
"""The device data tables, read once per process (they ship with matops)."""


class InventoryProvider:
    """Trust-wide settings and the target's own inventory variables."""

    _ANY = frozenset(
        {
            "scan_date",
            "trust_services",
            "trust_admins",
            "management_sources",
            "automation_accounts",
            "login_banner",
            "refresh_policy",
            "os_lifecycle",
            "apt_list_max_age_days",
            "windows_releases",
            "ipados_releases",
        }
    )
    _TARGET = frozenset({"target_info", "school_network", "filtering_ca"})
    _TENANT = frozenset({"tenant_info", "staff_list"})

    def __init__(self, trust: Trust, scan_date: date, lifecycle: list[OsLifecycle] | None = None):
        self._trust = trust
        self._scan_date = scan_date
        self._lifecycle = lifecycle if lifecycle is not None else load_os_lifecycle()

    def provides(self, subject: Subject) -> frozenset[str]:
        """Trust facts for every subject, target facts for targets, tenant facts (its inventory
        entry, the trust's staff list) for tenants."""
        own = self._TARGET if subject.target is not None else frozenset()
        if subject.tenant is not None:
            own = self._TENANT
        return self._ANY | own

    def _values(self, subject: Subject) -> dict[str, Callable[[], Any]]:
        settings = self._trust.settings
        school = self._trust.school(subject.school)
        return {
            "scan_date": lambda: self._scan_date,
            "trust_services": lambda: settings.services,
            "trust_admins": lambda: settings.admins,
            "management_sources": lambda: settings.management_sources,
            "automation_accounts": lambda: settings.automation_accounts,
            "login_banner": lambda: settings.login_banner,
            "refresh_policy": lambda: settings.refresh_policy,
            "os_lifecycle": lambda: self._lifecycle,
            "windows_releases": _windows_releases,
            "ipados_releases": _ipados_releases,
            "apt_list_max_age_days": lambda: (
                settings.apt_mirror.max_list_age_days if settings.apt_mirror else 2
            ),
            "target_info": lambda: subject.target.vars if subject.target else None,
            "school_network": lambda: school.info.network,
            "filtering_ca": lambda: school.info.filtering_ca_cert,
            "tenant_info": lambda: subject.tenant,
            "staff_list": lambda: self._trust.staff,
        }

    def collect(self, name: str, subject: Subject) -> Fact:
        """The named inventory fact for ``subject``."""
        if name not in self.provides(subject):
            raise FactUnavailableError(f"{name} is not an inventory fact for {subject.kind}s")
        where = "target" if name in self._TARGET else "trust"
        where = "tenant" if name in self._TENANT else where
        return inventory_fact(name, self._values(subject)[name](), f"inventory:{where}:{name}")


def register_match(school: School, hostname: str) -> Asset | None:
    """The register row for ``hostname``: a live row first, else a disposed one, else None."""
    rows = [a for a in school.assets if a.hostname and a.hostname.lower() == hostname.lower()]
    live = [a for a in rows if a.disposed_date is None]
    chosen = live or rows
    return chosen[0] if chosen else None


class RegisterProvider:
    """Facts from a school's asset register, for asset rows and for targets."""

    def __init__(self, trust: Trust):
        self._trust = trust

    def provides(self, subject: Subject) -> frozenset[str]:
        """``asset`` for register rows, ``register_entry`` for targets; both get target names.
        Tenants also get every school's rows (``trust_register``), to reconcile devices."""
        own = "asset" if subject.kind == "asset" else "register_entry"
        extra = {"trust_register"} if subject.kind == "tenant" else set()
        return frozenset({own, "school_target_names", *extra})

    def collect(self, name: str, subject: Subject) -> Fact:
        """The named register fact for ``subject``."""
        school = self._trust.school(subject.school)
        source = f"register:assets/{school.id}.csv"
        if name == "asset" and subject.asset is not None:
            return inventory_fact(name, subject.asset, f"{source}#{subject.asset.asset_tag}")
        if name == "register_entry" and subject.target is not None:
            return inventory_fact(name, register_match(school, subject.target.name), source)
        if name == "trust_register":
            rows = trust_register(self._trust.schools)
            return inventory_fact(name, rows, "register:assets/*.csv")
        if name == "school_target_names":
            names = sorted(t.name for t in school.targets)
            return inventory_fact(name, names, f"inventory:schools/{school.id}.yml")
        raise FactUnavailableError(f"{name} is not a register fact for {subject.kind}s")
