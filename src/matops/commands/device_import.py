"""``matops inventory import-assets --from-intune|--from-google``: rows proposed for the managed
devices a school's register lacks, read as the scan reads them.

The devices come from the tenants serving the school, through the run's connection profile
(``--lab`` for the lab's simulated tenants) and the scan's tenant provider, or from a saved
``matops tenant export`` (``--tenants DIR``). A read that fails writes nothing: an unread tenant
must never look like a register with nothing missing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from matops.commands.common import EXIT_FINDINGS, EXIT_OK, console, err_console, fail
from matops.commands.connection import connection_profile
from matops.facts.device_tables import load_windows_releases
from matops.facts.model import FactError, Subject
from matops.facts.tenant.collect import SourceFactory, TenantProvider, live_source
from matops.facts.tenant.credentials import credential_variables
from matops.facts.tenant.devices import SchoolDevices, trust_register
from matops.facts.tenant.export import export_sources
from matops.inventory.from_devices import Proposal, propose, write_proposal
from matops.inventory.model import Trust
from matops.inventory.tenants import GoogleWorkspaceTenant, Microsoft365Tenant, TenantInfo

PLANES: dict[str, tuple[type[TenantInfo], str]] = {
    "intune": (Microsoft365Tenant, "Microsoft 365"),
    "google": (GoogleWorkspaceTenant, "Google Workspace"),
}
"""Management plane -> the tenant provider that hosts it."""


def plane_tenants(trust: Trust, school: str, plane: str) -> list[TenantInfo]:
    """The tenants of this plane's provider that serve the school; exit 2 when there are none
    or one has no ``devices:`` block (its devices are never read)."""
    kind, provider = PLANES[plane]
    found = [t for t in trust.settings.tenants if isinstance(t, kind) and school in t.schools]
    if not found:
        fail(f"no {provider} tenant of {trust.settings.id} serves {school} (trust.tenants)")
    bare = [t.name for t in found if t.devices is None]
    if bare:
        fail(
            f"tenant {', '.join(bare)} has no devices: block in the inventory, so its devices "
            "are not read (see docs/devices.md)"
        )
    return found


def import_from_plane(
    root: Path,
    trust: Trust,
    school: str,
    plane: str,
    output: Path,
    *,
    tenants_dir: Path | None,
    lab: bool,
    lab_dir: Path | None,
    vault_password_file: Path | None,
    dry_run: bool = False,
) -> None:
    """Read the school's devices of each tenant, write the proposed rows, print the rest."""
    tenants = plane_tenants(trust, school, plane)
    sources: SourceFactory
    if tenants_dir is not None:
        if lab or lab_dir is not None:
            fail("--tenants reads a saved export: leave out --lab")
        if not tenants_dir.is_dir():
            fail(f"--tenants {tenants_dir} is not a folder")
        sources = export_sources(tenants_dir)
    else:
        profile = connection_profile(
            root, [], lab=lab, lab_dir=lab_dir, ssh_config=None,
            vault_password_file=vault_password_file,
            tenant_variables=credential_variables(tenants),
        )  # fmt: skip
        sources = live_source(profile, root)
    register = trust_register(trust.schools)
    provider = TenantProvider(sources, register=register)
    found: list[SchoolDevices] = []
    failed = []
    try:
        for tenant in tenants:
            try:
                fact = provider.collect("school_devices", Subject.of_tenant(tenant, school))
            except FactError as exc:
                failed.append(f"{tenant.name}: devices not read: {exc}")
                continue
            found.append(fact.value)
    finally:
        provider.close()
    if failed:
        for line in failed:
            err_console.print(line, markup=False, highlight=False)
        err_console.print(f"nothing written: {len(failed)} tenant(s) not read", highlight=False)
        raise typer.Exit(EXIT_FINDINGS)
    releases = load_windows_releases()
    proposals = [propose(devices, register, date.today(), releases) for devices in found]
    for proposal in proposals:
        _print_proposal(proposal)
    count = sum(len(p.proposed) for p in proposals)
    if dry_run:
        console.print(f"dry run: {count} row(s) would be proposed; nothing written")
        raise typer.Exit(EXIT_OK)
    write_proposal(output, proposals)
    console.print(
        f"{count} row(s) proposed -> {output}: check them, give each its asset tag, then "
        f"matops inventory import-assets {output} --school {school}",
        highlight=False,
    )
    raise typer.Exit(EXIT_OK)


def _print_proposal(proposal: Proposal) -> None:
    console.print(
        f"{proposal.tenant} ({proposal.plane}): {proposal.managed} device(s) in {proposal.school}, "
        f"{proposal.registered} in its register, {len(proposal.proposed)} proposed, "
        f"{len(proposal.skipped)} not proposed",
        highlight=False,
    )
    for item in proposal.proposed:
        row = item.row
        console.print(
            f"  proposed: {row['serial']} {row['model']} ({row['type'] or 'type?'}, {row['os']})",
            markup=False,
            highlight=False,
        )
    for label, reason in proposal.skipped:
        console.print(f"  not proposed: {label}: {reason}", markup=False, highlight=False)
