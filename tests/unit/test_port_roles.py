"""Port role → VLAN purpose is one table (``matops.inventory.model.ROLE_PURPOSE``)."""

from __future__ import annotations

from matops.inventory.model import AP_PURPOSES, ROLE_PURPOSE, USER_PURPOSES, PortRole, VlanPurpose

TRUNKS = {PortRole.AP_UPLINK, PortRole.UPLINK}


def test_every_role_is_an_access_role_in_the_table_or_a_trunk() -> None:
    assert set(ROLE_PURPOSE) | TRUNKS == set(PortRole)
    assert not set(ROLE_PURPOSE) & TRUNKS


def test_user_vlans_are_what_an_access_point_carries_but_management() -> None:
    assert set(AP_PURPOSES) - set(USER_PURPOSES) == {VlanPurpose.MANAGEMENT}
