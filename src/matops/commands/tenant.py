"""``matops tenant``: what a trust grants matops to read its cloud identity tenants, and the
export of what matops reads from them.

The permission table itself lives in :mod:`matops.facts.tenant.permissions`; this module only
prints it. ``export`` saves the collectors' reads (:mod:`matops.facts.tenant.export`) for an
offline scan.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from matops.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    TrustArg,
    console,
    err_console,
    fail,
    load_trust_or_exit,
)
from matops.commands.connection import LabDirOption, LabOption, VaultOption, connection_profile
from matops.facts.model import FactError
from matops.facts.tenant.collect import live_source
from matops.facts.tenant.credentials import credential_variables
from matops.facts.tenant.export import export_tenant
from matops.facts.tenant.permissions import (
    NOT_REQUESTED,
    Permission,
    Provider,
    google_scopes,
    permissions_for,
)
from matops.facts.tenant.reads import RawRead, TenantSource
from matops.inventory.tenants import GoogleWorkspaceTenant, TenantInfo

app = typer.Typer(
    help="Cloud identity tenants (Microsoft 365, Google Workspace).", no_args_is_help=True
)

PROVIDERS: tuple[Provider, ...] = ("microsoft365", "google_workspace")
TITLES = {
    "microsoft365": "Microsoft Graph application permissions (admin consent, read-only)",
    "google_workspace": "Google OAuth scopes for domain-wide delegation (read-only)",
}


def _lines(provider: Provider) -> list[str]:
    lines = [TITLES[provider], ""]
    for p in permissions_for(provider):
        licence = f"  (answers only with {p.licence})" if p.licence else ""
        lines += [f"  {p.name}{licence}", f"    why:   {p.why}", f"    facts: {', '.join(p.facts)}"]
    return lines


def _who(tenant: TenantInfo) -> str:
    if isinstance(tenant, GoogleWorkspaceTenant):
        return (
            f"{tenant.name}: Google customer {tenant.customer_id}, service account key in "
            f"{tenant.credentials.service_account_var}, acting as "
            f"{tenant.credentials.delegated_admin} (a super administrator)"
        )
    return (
        f"{tenant.name}: Entra tenant {tenant.tenant_id}, app registration "
        f"{tenant.credentials.client_id}"
    )


def _as_json(providers: list[Provider], tenants: list[TenantInfo]) -> str:
    def row(p: Permission) -> dict[str, object]:
        return {"name": p.name, "why": p.why, "facts": list(p.facts), "licence": p.licence}

    return json.dumps(
        {
            "permissions": {prov: [row(p) for p in permissions_for(prov)] for prov in providers},
            "not_requested": [
                {"provider": n.provider, "name": n.name, "why_not": n.why_not}
                for n in NOT_REQUESTED
                if n.provider in providers
            ],
            "tenants": [{"name": t.name, "provider": t.provider} for t in tenants],
        },
        indent=2,
    )


@app.command()
def permissions(
    trust: TrustArg = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON.")] = False,
) -> None:
    """Print the read-only Graph permissions and Google scopes matops needs, and why.

    With a trust, only the providers its tenants use, and which app registration or service
    account each tenant should grant them to.

    Example: matops tenant permissions example-trust
    """
    tenants: list[TenantInfo] = []
    providers = list(PROVIDERS)
    if trust is not None:
        _root, model = load_trust_or_exit(trust)
        tenants = list(model.settings.tenants)
        providers = [p for p in PROVIDERS if any(t.provider == p for t in tenants)]
        if not providers:
            console.print(f"{model.settings.id} declares no tenants (trust.tenants).")
            return
    if as_json:
        print(_as_json(providers, tenants))
        return
    for provider in providers:
        lines = _lines(provider)
        lines += [f"  grant to {_who(t)}" for t in tenants if t.provider == provider]
        if provider == "google_workspace":
            google = [t for t in tenants if t.provider == provider]
            devices = not google or any(t.devices is not None for t in google)
            lines += [
                "  scopes, comma-separated for the Admin console:",
                "    " + ",".join(google_scopes(devices)),
            ]
        lines += ["  deliberately not requested:"]
        lines += [f"    {n.name}: {n.why_not}" for n in NOT_REQUESTED if n.provider == provider]
        console.print("\n".join([*lines, ""]), highlight=False, markup=False)


class _Refused:
    """A tenant whose source could not be opened (no credentials, CA file missing): every read
    is recorded with that reason."""

    def __init__(self, error: FactError) -> None:
        self.error = error

    def read(self, fact: str) -> RawRead:
        raise self.error

    def close(self) -> None:
        pass


OutputDirOpt = Annotated[
    Path, typer.Option("--output", help="Folder to write (one folder per tenant inside).")
]
TenantOpt = Annotated[
    list[str] | None, typer.Option("--tenant", help="Only this tenant (repeatable).")
]


@app.command()
def export(
    trust: TrustArg = None,
    output: OutputDirOpt = Path("tenant-export"),
    tenant: TenantOpt = None,
    lab: LabOption = False,
    lab_dir: LabDirOption = None,
    vault_password_file: VaultOption = None,
) -> None:
    """Save what the tenant collectors read, for `matops scan --offline --tenants DIR`.

    Reads every tenant of the trust (read-only, with the permissions `matops tenant
    permissions` lists) and writes <output>/<tenant>/: a manifest and one file per read, with
    only the fields matops judges. Tokens and secrets are never written. A read that fails is
    recorded with its reason, so the offline scan reports it as a live one would; the exit
    status is then 1.

    Example: matops tenant export example-trust --lab --output exports/tenants
    """
    root, model = load_trust_or_exit(trust)
    wanted = set(tenant or [])
    chosen = [t for t in model.settings.tenants if not wanted or t.name in wanted]
    unknown = wanted - {t.name for t in model.settings.tenants}
    if unknown:
        fail(f"no tenant named {', '.join(sorted(unknown))} in {model.settings.id}")
    if not chosen:
        fail(f"{model.settings.id} declares no tenants (trust.tenants)")
    profile = connection_profile(
        root, [], lab=lab, lab_dir=lab_dir, ssh_config=None,
        vault_password_file=vault_password_file,
        tenant_variables=credential_variables(chosen),
    )  # fmt: skip
    sources = live_source(profile, root)
    failed = 0
    for entry in chosen:
        source: TenantSource
        try:
            source = sources(entry)
        except FactError as exc:
            source = _Refused(exc)
        try:
            manifest = export_tenant(entry, source, output / entry.name)
        finally:
            source.close()
        counts = Counter(r.status for r in manifest.reads.values())
        failed += counts["error"] + counts["unreachable"]
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        console.print(f"{entry.name}: {summary} -> {output / entry.name}", highlight=False)
        for fact, read in sorted(manifest.reads.items()):
            if read.status in ("error", "unreachable"):
                err_console.print(f"  {fact}: {read.reason}", markup=False, highlight=False)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)
