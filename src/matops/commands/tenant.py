"""``matops tenant``: what a trust grants matops to read its cloud identity tenants.

The permission table itself lives in :mod:`matops.facts.tenant.permissions`; this module only
prints it.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from matops.commands.common import TrustArg, console, load_trust_or_exit
from matops.facts.tenant.permissions import (
    NOT_REQUESTED,
    Permission,
    Provider,
    google_scopes,
    permissions_for,
)
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
            lines += [
                "  scopes, comma-separated for the Admin console:",
                "    " + ",".join(google_scopes()),
            ]
        lines += ["  deliberately not requested:"]
        lines += [f"    {n.name}: {n.why_not}" for n in NOT_REQUESTED if n.provider == provider]
        console.print("\n".join([*lines, ""]), highlight=False, markup=False)
