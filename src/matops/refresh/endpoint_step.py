"""The ``endpoints`` step of a refresh: read the school's devices as the scan does, judge the
school's endpoint refresh plan against them and the register, and keep the record.

Devices come from the same facts the scan judges (``school_devices`` from the tenant provider,
reached through the run's connection profile): nothing here makes a request of its own, and
nothing is changed in any tenant. The record goes to ``<run>/endpoints/<school>.json``; the
report step puts it in the sign-off pack.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from matops.connect.profile import ConnectionProfile
from matops.facts.model import Fact, FactError, Subject
from matops.facts.tenant.devices import Plane, SchoolDevices, trust_register
from matops.inventory.model import GoogleWorkspaceTenant, Trust
from matops.inventory.tenants import TenantInfo
from matops.refresh.endpoint_plan import load_plan, plan_path
from matops.refresh.endpoints import EndpointReport, TenantDevices, judge, register_of
from matops.refresh.signoff import endpoint_record_path
from matops.source.problems import Problem


class DeviceFacts(Protocol):
    """What the step needs of a fact provider (the scan's :class:`TenantProvider`)."""

    def collect(self, name: str, subject: Subject) -> Fact: ...

    def close(self) -> None: ...


def record_path(run_dir: Path, school: str) -> Path:
    """Where the step keeps a school's endpoint record (the sign-off pack reads it there).

    >>> record_path(Path("run"), "riverside-academy")
    PosixPath('run/endpoints/riverside-academy.json')
    """
    return endpoint_record_path(run_dir, school)


def serving(trust: Trust, school: str) -> list[TenantInfo]:
    """The tenants serving ``school`` whose devices are assessed (a ``devices:`` block)."""
    return [t for t in trust.settings.tenants if school in t.schools and t.devices is not None]


def tenant_devices(provider: DeviceFacts, tenant: TenantInfo) -> TenantDevices:
    """Every school's devices of one tenant, or the first reason they could not be read."""
    plane: Plane = "google" if isinstance(tenant, GoogleWorkspaceTenant) else "intune"
    schools: list[SchoolDevices] = []
    evidence = ""
    for school in tenant.schools:
        try:
            fact = provider.collect("school_devices", Subject.of_tenant(tenant, school))
        except FactError as exc:
            return TenantDevices(tenant.name, plane, error=str(exc) or type(exc).__name__)
        schools.append(fact.value)
        when = fact.evidence.collected_at.isoformat(timespec="seconds")
        evidence = f"sha256:{fact.evidence.sha256[:16]}…, read {when}"
    return TenantDevices(tenant.name, plane, schools, evidence=evidence)


def check_school(
    trust_dir: Path, trust: Trust, school: str, provider: DeviceFacts
) -> EndpointReport | None:
    """The school's endpoint report; None when the school has no endpoint refresh plan."""
    path = plan_path(trust_dir, school)
    if not path.is_file():
        return None
    plan = load_plan(path, trust)
    if plan.school and plan.school != school:
        plan.problems.append(_wrong_school(path, plan.school, school))
    tenants: Sequence[TenantDevices] = []
    if not plan.problems:
        tenants = [tenant_devices(provider, t) for t in serving(trust, school)]
    register = register_of((s.id, s.assets) for s in trust.schools)
    return judge(plan, tenants, register)


def _wrong_school(path: Path, named: str, school: str) -> Problem:
    return Problem(path, 1, f"the plan is for {named}, but it is {school}'s file")


def live_provider(profile: ConnectionProfile, trust_dir: Path, trust: Trust) -> DeviceFacts:
    """The scan's tenant provider, made as the live scan makes it: reaching the tenants as the
    run's profile says, with every school's register rows to place devices by serial."""
    from matops.facts.tenant.collect import TenantProvider, live_source

    register = trust_register(trust.schools)
    return TenantProvider(live_source(profile, trust_dir), register=register)


def write_record(report: EndpointReport, path: Path) -> None:
    """Save the report as JSON (with each device's outstanding items counted)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = report.model_dump(mode="json")
    data["complete"] = report.complete
    data["outstanding"] = len(report.outstanding)
    for device, status in zip(data["devices"], report.devices, strict=True):
        device["accounted_for"] = status.accounted_for
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
