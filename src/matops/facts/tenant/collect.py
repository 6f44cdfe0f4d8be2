"""The tenant fact provider: each tenant read once per scan, mapped, with evidence.

A tenant serves several schools, and the scan judges it once per school (one subject each, all
named by the tenant); the provider reads each fact of a tenant once and hands every school's
subject the same fact (or the same error). Where the reads come from is a
:class:`~matops.facts.tenant.reads.TenantSource`: the live APIs, or a saved export.

Evidence names the request (no host, no token), a SHA-256 of the items read (canonical JSON,
one line each, as the export saves them) and, as its excerpt, only counts: API items carry
names and addresses, and evidence goes into reports.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from matops.connect.profile import ConnectionProfile
from matops.facts.model import (
    Evidence,
    Fact,
    FactError,
    FactUnavailableError,
    Subject,
    TargetUnreachableError,
)
from matops.facts.tenant import devices as dv
from matops.facts.tenant.credentials import SecretLookup, google_app, graph_app
from matops.facts.tenant.google import GoogleClient
from matops.facts.tenant.graph import GraphClient
from matops.facts.tenant.http import Throttle
from matops.facts.tenant.mapping import LIST_MAPPERS, OBJECT_MAPPERS
from matops.facts.tenant.reads import (
    DEVICE_READS,
    GOOGLE_FACTS,
    MICROSOFT365_FACTS,
    GoogleSource,
    GraphSource,
    RawRead,
    TenantSource,
)
from matops.inventory.tenants import GoogleWorkspaceTenant, TenantDevices, TenantInfo


def canonical(item: Mapping[str, Any]) -> bytes:
    """One item as the evidence hash and the export see it: sorted keys, compact, one line.

    >>> canonical({"b": 1, "a": "é"})
    b'{"a":"\\xc3\\xa9","b":1}\\n'
    """
    text = json.dumps(item, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode() + b"\n"


def facts_for(tenant: TenantInfo) -> frozenset[str]:
    """The tenant facts read from a tenant of this provider (its devices only when the
    inventory entry has a ``devices:`` block)."""
    found = GOOGLE_FACTS if isinstance(tenant, GoogleWorkspaceTenant) else MICROSOFT365_FACTS
    return found if tenant.devices is not None else found - DEVICE_READS


def device_read(tenant: TenantInfo) -> str:
    """The raw device read of the tenant's management plane."""
    return (
        "chromeos_devices"
        if isinstance(tenant, GoogleWorkspaceTenant)
        else ("intune_managed_devices")
    )


@dataclass
class _Hashed:
    """Items passed through, each projected, hashed and counted on the way."""

    items: Iterable[Mapping[str, Any]]
    project: Callable[[Mapping[str, Any]], dict[str, Any]]
    count: int = 0

    def __post_init__(self) -> None:
        self.digest = hashlib.sha256()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for item in self.items:
            kept = self.project(item)
            self.digest.update(canonical(kept))
            self.count += 1
            yield kept


def materialise(read: RawRead, collected_at: datetime | None = None) -> Fact:
    """The fact of one read: its items or object mapped to the model, with evidence.

    >>> from matops.facts.tenant.reads import SPECS
    >>> fact = materialise(RawRead(SPECS["entra_subscribed_skus"], items=[]))
    >>> fact.value, fact.evidence.excerpt
    ([], '0 items read')
    """
    spec = read.spec
    when = collected_at or datetime.now(UTC)
    if read.unavailable is not None:
        text = f"not available: {read.unavailable.reason}"
        return _fact(spec.fact, read.unavailable, spec.source, text.encode(), text, when)
    if spec.kind == "object":
        if read.value is None:
            raise FactError(f"{spec.fact}: nothing was read")
        kept = spec.project(read.value)
        value = OBJECT_MAPPERS[spec.fact](kept)
        return _fact(spec.fact, value, spec.source, canonical(kept), "1 object read", when)
    if read.items is None:
        raise FactError(f"{spec.fact}: nothing was read")
    hashed = _Hashed(read.items, spec.project)
    value = LIST_MAPPERS[spec.fact](hashed)
    digest = hashed.digest.hexdigest()
    excerpt = f"{hashed.count} item{'s' if hashed.count != 1 else ''} read"
    evidence = Evidence(source=spec.source, sha256=digest, excerpt=excerpt, collected_at=when)
    return Fact(name=spec.fact, value=value, evidence=evidence)


def _fact(name: str, value: Any, source: str, raw: bytes, excerpt: str, when: datetime) -> Fact:
    digest = hashlib.sha256(raw).hexdigest()
    evidence = Evidence(source=source, sha256=digest, excerpt=excerpt, collected_at=when)
    return Fact(name=name, value=value, evidence=evidence)


DEVICE_FACTS_OF = {
    "microsoft365": frozenset({"intune_managed_devices", "school_devices"}),
    "google_workspace": frozenset({"chromeos_devices", "school_devices"}),
}
"""The device facts a tenant subject of each provider is offered."""


def _placed(
    raw: Fact, settings: TenantDevices, register: list[dv.RegisterRow]
) -> list[dv.ManagedDevice] | FactError:
    try:
        found = [
            dv.from_intune(d) if isinstance(d, dv.IntuneManagedDevice) else dv.from_chromeos(d)
            for d in raw.value
        ]
    except ValueError as exc:
        return FactError(f"{raw.name}: a device cannot be read: {str(exc).splitlines()[0]}")
    return dv.place(found, settings, register)


SourceFactory = Callable[[TenantInfo], TenantSource]
"""Makes the source of one tenant's reads (live clients, or an export folder)."""


class TenantProvider:
    """Tenant facts for tenant subjects, each read once per tenant however many schools.

    ``school_devices`` (each school's own devices of the tenant, and its unplaced ones) is
    derived from the tenant's raw device read, the inventory's ``devices:`` block and the trust's
    asset registers (``register``: every school's rows, which place a device by its serial).
    """

    def __init__(
        self,
        sources: SourceFactory,
        *,
        collected_at: datetime | None = None,
        register: Iterable[dv.RegisterRow] = (),
    ) -> None:
        self._sources = sources
        self._collected_at = collected_at
        self._register = list(register)
        self._lock = threading.Lock()
        self._tenant_locks: dict[str, threading.Lock] = {}
        self._open: dict[str, TenantSource | FactError] = {}
        self._facts: dict[tuple[str, str], Fact | FactError] = {}
        self._placed: dict[str, list[dv.ManagedDevice] | FactError] = {}

    def provides(self, subject: Subject) -> frozenset[str]:
        """The tenant's facts for a tenant subject; nothing for any other subject. Device facts
        are offered for every tenant: without a ``devices:`` block they are unavailable (not
        assessed), never empty."""
        if subject.kind != "tenant" or subject.tenant is None:
            return frozenset()
        return facts_for(subject.tenant) | DEVICE_FACTS_OF[subject.tenant.provider]

    def collect(self, name: str, subject: Subject) -> Fact:
        """The fact (read on first use for this tenant); raises the read's error each time."""
        tenant = subject.tenant
        if tenant is None:
            raise FactUnavailableError(f"{subject.name} is not a tenant")
        if name in DEVICE_READS | {"school_devices"} and tenant.devices is None:
            raise FactUnavailableError(
                f"tenant {tenant.name} has no devices: block in the inventory, so its devices "
                "are not assessed"
            )
        if name == "school_devices":
            return self._school_devices(tenant, subject.school)
        with self._lock:
            lock = self._tenant_locks.setdefault(tenant.name, threading.Lock())
        with lock:
            key = (tenant.name, name)
            if key not in self._facts:
                self._facts[key] = self._read(tenant, name)
            found = self._facts[key]
        if isinstance(found, FactError):
            raise found
        return found

    def _school_devices(self, tenant: TenantInfo, school: str) -> Fact:
        raw = self.collect(device_read(tenant), Subject.of_tenant(tenant, school))
        settings = tenant.devices
        assert settings is not None  # collect() answered unavailable otherwise
        with self._lock:
            if tenant.name not in self._placed:
                self._placed[tenant.name] = _placed(raw, settings, self._register)
            placed = self._placed[tenant.name]
        if isinstance(placed, FactError):
            raise placed
        plane: dv.Plane = "google" if isinstance(tenant, GoogleWorkspaceTenant) else "intune"
        value = dv.school_devices(tenant.name, plane, school, placed)
        counts = dv.counts(placed)
        excerpt = (
            f"{len(placed)} devices read; {school}: {len(value.devices)} placed here, "
            f"{len(value.unplaced)} in no school; by school: "
            + ", ".join(f"{k} {v}" for k, v in counts.items())
        )
        evidence = raw.evidence.model_copy(update={"excerpt": excerpt})
        return Fact(name="school_devices", value=value, evidence=evidence)

    def _source(self, tenant: TenantInfo) -> TenantSource:
        if tenant.name not in self._open:
            try:
                self._open[tenant.name] = self._sources(tenant)
            except FactError as exc:
                self._open[tenant.name] = exc
        source = self._open[tenant.name]
        if isinstance(source, FactError):
            raise source
        return source

    def _read(self, tenant: TenantInfo, name: str) -> Fact | FactError:
        try:
            source = self._source(tenant)
            when = getattr(source, "collected_at", None) or self._collected_at
            return materialise(source.read(name), when)
        except TargetUnreachableError as exc:
            # no token: every later read of this tenant would fail the same way
            self._open[tenant.name] = exc
            return exc
        except FactError as exc:
            return exc

    def close(self) -> None:
        """Close every source opened."""
        for source in self._open.values():
            if not isinstance(source, FactError):
                source.close()


def live_source(
    profile: ConnectionProfile,
    trust_dir: Path,
    *,
    throttle: Throttle | None = None,
    timeout: float = 30.0,
) -> SourceFactory:
    """Live sources for the run's profile: the profile's endpoints, CA file and credentials.

    >>> live_source(build_profile(root, lab_dir=lab), root)(tenant)  # doctest: +SKIP
    <matops.facts.tenant.reads.GraphSource ...>
    """
    secrets = SecretLookup(profile, trust_dir)
    access = profile.tenants

    def make(tenant: TenantInfo) -> TenantSource:
        if access.ca_bundle is not None and not access.ca_bundle.is_file():
            raise TargetUnreachableError(f"the CA file {access.ca_bundle} is missing")
        options: dict[str, Any] = {
            "ca_bundle": access.ca_bundle,
            "throttle": throttle,
            "timeout": timeout,
            "proxy_from_environment": access.proxy_from_environment,
        }
        if isinstance(tenant, GoogleWorkspaceTenant):
            client = GoogleClient(google_app(tenant, secrets), access.endpoints, **options)
            return GoogleSource(client, tenant)
        graph = GraphClient(graph_app(tenant, secrets), access.endpoints, **options)
        return GraphSource(graph, tenant)

    return make
