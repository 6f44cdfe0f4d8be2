"""Lab targets from a trust's inventory: every Linux host and switch at its management address."""

from __future__ import annotations

from matops.inventory.model import Trust
from matops.lab.mirror import LabMirror
from matops.lab.model import LabTarget

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
