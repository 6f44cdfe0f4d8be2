"""Lab targets from a trust's inventory: every Linux host and switch at its management address."""

from __future__ import annotations

from pathlib import Path

from matops.inventory.model import Trust
from matops.lab.mirror import LabMirror
from matops.lab.model import LabError, LabTarget
from matops.lab.tenants import LabTenants, check_tenant_data, tenant_data_source

LAB_KINDS = ("linux", "switch")
"""Target kinds the lab can bring to life; access points and firewalls are not simulated yet."""


def lab_targets(trust: Trust, school: str | None = None) -> list[LabTarget]:
    """The lab targets of a trust, or of one school.

    >>> [t.name for t in lab_targets(trust, "oakfield-primary")]  # doctest: +SKIP
    ['oak-srv01', 'oak-ws01', 'oak-sw01', 'oak-sw02']
    """
    schools = [trust.school(school)] if school else trust.schools
    return [
        LabTarget(
            name=t.name,
            kind="linux" if t.kind == "linux" else "switch",
            platform=t.platform,
            address=t.address,
            school=t.school,
            model=t.vars.model,
        )
        for s in schools
        for t in s.targets
        if t.kind in LAB_KINDS
    ]


def lab_mirror(trust: Trust) -> LabMirror | None:
    """The trust's package mirror as the lab serves it, or None when the trust names none.

    >>> lab_mirror(trust).address  # doctest: +SKIP
    IPv4Address('198.18.20.20')
    """
    mirror = trust.settings.apt_mirror
    if mirror is None:
        return None
    return LabMirror.from_settings(
        mirror.uri, mirror.suites, mirror.security_uri, mirror.security_suite, mirror.signed_by
    )


def lab_tenants(trust_root: Path, trust: Trust) -> LabTenants | None:
    """The trust's tenants as the lab simulates them, or None when the trust names none.

    Their data is kept beside the inventory (``<trust>/lab/tenants/<name>/``); a trust that
    names tenants without it, or whose data disagrees with the inventory, is a LabError.

    >>> lab_tenants(Path("inventories/example-trust"), trust).address  # doctest: +SKIP
    IPv4Address('198.18.0.20')
    """
    if not trust.settings.tenants:
        return None
    source = tenant_data_source(trust_root)
    if source is None:
        raise LabError(
            f"the trust names tenants but {trust_root}/lab/tenants holds no simulated data "
            "for the lab"
        )
    spec = LabTenants(source, tuple(trust.settings.tenants))
    check_tenant_data(spec.source, spec.tenants)
    return spec
