"""Administrator accounts are cloud-only, not synchronised from on-premises AD."""

from __future__ import annotations

from matops.facts.tenant.model import DirectoryRole, EntraUser
from matops.scan.tenant_judging import admin_ids
from matops.scan.verdict import Verdict, errored, failed, listing, passed


def judge(entra_directory_roles: list[DirectoryRole], entra_users: list[EntraUser]) -> Verdict:
    """Fail naming administrators whose accounts are synced from on-premises AD."""
    users = {u.id: u for u in entra_users}
    admins = admin_ids(entra_directory_roles)
    unknown = sorted(i for i in admins if i not in users)
    synced = sorted(
        users[i].user_principal_name
        for i in admins
        if i in users and users[i].on_premises_sync_enabled is True
    )
    if synced:
        return failed(f"administrators synced from on-premises AD: {listing(synced)}")
    if unknown:
        return errored(f"administrators not found among the users read: {listing(unknown)}")
    if not admins:
        return errored("no administrator found in the directory roles read")
    return passed(f"all {len(admins)} administrator accounts are cloud-only")
