"""Administrator accounts are not the accounts people use every day."""

from __future__ import annotations

from matops.facts.tenant.model import DirectoryRole, EntraGroup, EntraUser, SubscribedSku
from matops.inventory.tenants import TenantInfo
from matops.scan.tenant_judging import admin_ids, group_members, m365
from matops.scan.verdict import Verdict, errored, failed, listing, passed

DAILY_PLANS = ("EXCHANGE_S_", "TEAMS", "MCOSTANDARD")
"""Service plan name prefixes of daily-use services (a mailbox, Teams, Skype/Teams calling)."""


def _daily_skus(skus: list[SubscribedSku]) -> set[str]:
    return {
        sku.sku_id
        for sku in skus
        for plan in sku.service_plans
        if plan.service_plan_name.startswith(DAILY_PLANS)
    }


def judge(
    tenant_info: TenantInfo,
    entra_directory_roles: list[DirectoryRole],
    entra_users: list[EntraUser],
    entra_groups: list[EntraGroup],
    entra_subscribed_skus: list[SubscribedSku],
) -> Verdict:
    """Fail naming administrators who are in the staff groups or have a mailbox or Teams
    licence (signs of an everyday account)."""
    staff, missing = group_members(entra_groups, m365(tenant_info).groups.staff)
    if missing:
        return errored(f"staff groups not found in the tenant: {listing(missing)}")
    users = {u.id: u for u in entra_users}
    daily = _daily_skus(entra_subscribed_skus)
    admins = sorted(admin_ids(entra_directory_roles))
    problems: list[str] = []
    for admin in admins:
        user = users.get(admin)
        if user is None or user.assigned_licenses is None:
            return errored(f"licences of administrator {admin} were not read")
        reasons = [] if admin not in staff else ["in the staff groups"]
        if any(lic.sku_id in daily for lic in user.assigned_licenses):
            reasons.append("licensed for mail or Teams")
        if reasons:
            problems.append(f"{user.user_principal_name} ({', '.join(reasons)})")
    if problems:
        return failed(f"administrator accounts used as daily accounts: {listing(problems)}")
    return passed(f"all {len(admins)} administrator accounts are separate from daily accounts")
