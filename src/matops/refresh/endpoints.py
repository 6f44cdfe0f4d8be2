"""The endpoint side of a summer refresh, judged: plan × management planes × register → status.

Pure: given a school's :class:`~matops.refresh.endpoint_plan.EndpointPlan`, what each tenant
serving the school reported (:class:`~matops.facts.tenant.devices.SchoolDevices` of every
school of that tenant, or the reason it could not be read) and the trust's registers, say for
each device what is done and what is outstanding:

* a **new** device (from the delivery note): enrolled (active), placed in this school by its
  category or organisational unit, compliant and encrypted (as Intune reports them; Google
  reports neither for ChromeOS), and in this school's register as a live row;
* a **replaced** device (a register row the plan names): retired, wiped or deprovisioned in
  management (or no longer there at all), marked disposed in the register, with the
  certificate of data destruction's reference (``disposal_ref``).

What could not be read is never done: a tenant whose devices could not be read leaves every
item that needs it *not seen*, with the reason, and the device is not accounted for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from matops.facts.tenant.devices import ManagedDevice, SchoolDevices
from matops.inventory.model import Asset
from matops.refresh.delivery import DeliveredDevice, normalise_serial
from matops.refresh.endpoint_plan import EndpointPlan, ReplacedRow


class ItemState(StrEnum):
    """One item of one device."""

    DONE = "done"
    OUTSTANDING = "outstanding"
    NOT_SEEN = "not_seen"
    """Could not be observed (a read failed): never counted as done."""
    NOT_APPLICABLE = "not_applicable"


class Item(BaseModel):
    """What was asked of a device, whether it is done, and what was seen."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    what: str
    state: ItemState
    detail: str = ""


class DeviceStatus(BaseModel):
    """One device of the plan with its items."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Literal["new", "replaced"]
    serial: str | None
    model: str | None
    asset_tag: str | None = None
    order_ref: str | None = None
    source: str
    """Where the plan names it: the delivery note's ``path:line`` or the plan's."""
    items: list[Item]

    @property
    def outstanding(self) -> list[Item]:
        """The items not done (outstanding or not seen)."""
        return [i for i in self.items if i.state in (ItemState.OUTSTANDING, ItemState.NOT_SEEN)]

    @property
    def accounted_for(self) -> bool:
        """Every item done (or not applicable)."""
        return not self.outstanding


class EndpointReport(BaseModel):
    """A school's endpoint refresh, device by device."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    school: str
    plan: str
    title: str = ""
    tenants: list[str]
    """What was read: ``tenant (plane): N devices`` or ``tenant: not read: reason``."""
    devices: list[DeviceStatus]
    problems: list[str] = []
    """Plan problems (``path:line: message``): a plan with problems is not judged."""

    @property
    def outstanding(self) -> list[DeviceStatus]:
        """The devices with something still to do."""
        return [d for d in self.devices if not d.accounted_for]

    @property
    def complete(self) -> bool:
        """A valid plan with every device accounted for."""
        return not self.problems and not self.outstanding

    def summary(self) -> str:
        """One line for the journal."""
        if self.problems:
            return f"the plan has {len(self.problems)} problem(s): {self.problems[0]}"
        new = [d for d in self.devices if d.role == "new"]
        old = [d for d in self.devices if d.role == "replaced"]
        done = len(self.devices) - len(self.outstanding)
        unread = [t.split(" ", 1)[0] for t in self.tenants if ": not read: " in t]
        return (
            f"{done} of {len(self.devices)} device(s) accounted for ({len(new)} new, "
            f"{len(old)} replaced); {len(self.outstanding)} outstanding"
            + (f"; devices not read from {', '.join(unread)}" if unread else "")
        )


@dataclass(frozen=True)
class TenantDevices:
    """What one tenant serving the school gave: every school's devices, or why it could not."""

    tenant: str
    plane: Literal["intune", "google"]
    schools: Sequence[SchoolDevices] = ()
    error: str | None = None
    """The reason the devices could not be read (then ``schools`` is empty)."""
    evidence: str = ""
    """The read's evidence (``sha256:…`` of the items and when), for the record."""

    def find(self, serial: str) -> tuple[ManagedDevice, str | None] | None:
        """The device with this serial and the school it is placed in (None: unplaced).

        When a plane holds several records of one serial (re-enrolled), an active one wins.
        """
        found: list[tuple[ManagedDevice, str | None]] = []
        for school in self.schools:
            found += [(d, school.school) for d in school.devices if d.serial == serial]
            found += [(d, None) for d in school.unplaced if d.serial == serial]
        if not found:
            return None
        return next((f for f in found if f[0].state == "active"), found[0])


@dataclass(frozen=True)
class Register:
    """Every school's register rows, to find a serial anywhere in the trust."""

    rows: Mapping[str, Sequence[Asset]] = field(default_factory=dict)
    """School → its rows."""

    def by_tag(self, school: str, tag: str) -> Asset | None:
        """The school's row with this asset tag, as the register says now."""
        return next((a for a in self.rows.get(school, ()) if a.asset_tag == tag), None)

    def by_serial(self, serial: str) -> list[tuple[str, Asset]]:
        """Every (school, row) with this serial."""
        return [
            (school, a)
            for school, assets in self.rows.items()
            for a in assets
            if a.serial and normalise_serial(a.serial) == serial
        ]


RETIRED = frozenset({"retired", "wiped", "deprovisioned"})
PLANE_NAMES = {"intune": "Intune", "google": "Google Admin"}


def judge(
    plan: EndpointPlan, tenants: Sequence[TenantDevices], register: Register
) -> EndpointReport:
    """The school's endpoint refresh, device by device (see the module's docstring)."""
    read = [
        f"{t.tenant} ({PLANE_NAMES[t.plane]}): not read: {t.error}"
        if t.error
        else f"{t.tenant} ({PLANE_NAMES[t.plane]}): {_count(t)} devices read"
        + (f" ({t.evidence})" if t.evidence else "")
        for t in tenants
    ]
    base = {"school": plan.school, "plan": str(plan.path), "title": plan.title, "tenants": read}
    if plan.problems:
        return EndpointReport(**base, devices=[], problems=[str(p) for p in plan.problems])
    devices = [_new(d, plan.school, tenants, register) for d in plan.new]
    devices += [_replaced(r, plan, tenants, register) for r in plan.replaced]
    return EndpointReport(**base, devices=devices)


def _count(tenant: TenantDevices) -> int:
    ids = {d.id for s in tenant.schools for d in [*s.devices, *s.unplaced]}
    return len(ids)


def _lookup(
    serial: str, tenants: Sequence[TenantDevices]
) -> tuple[TenantDevices, ManagedDevice, str | None] | list[str]:
    """The device in the first tenant that has it; else the reasons no tenant could say."""
    errors: list[str] = []
    for tenant in tenants:
        if tenant.error:
            errors.append(f"{tenant.tenant}: {tenant.error}")
            continue
        found = tenant.find(serial)
        if found is not None:
            return tenant, found[0], found[1]
    return errors


def _new(
    device: DeliveredDevice, school: str, tenants: Sequence[TenantDevices], register: Register
) -> DeviceStatus:
    items = _new_management(device.serial, school, tenants)
    items.append(_registered(device.serial, school, register))
    rows = [a for s, a in register.by_serial(device.serial) if s == school]
    return DeviceStatus(
        role="new",
        serial=device.serial,
        model=device.model,
        asset_tag=rows[0].asset_tag if rows else None,
        order_ref=device.order_ref,
        source=device.where,
        items=items,
    )


MANAGEMENT_ITEMS = ("enrolled", "in the school's category or org unit", "compliant", "encrypted")


def _new_management(serial: str, school: str, tenants: Sequence[TenantDevices]) -> list[Item]:
    found = _lookup(serial, tenants)
    if isinstance(found, list):
        if not tenants:
            why = "no tenant serving this school has a devices: block"
            return [Item(what=w, state=ItemState.NOT_SEEN, detail=why) for w in MANAGEMENT_ITEMS]
        if found:  # not found where it could be read, and some tenant could not be read
            why = "not found; not read: " + "; ".join(found)
            return [Item(what=w, state=ItemState.NOT_SEEN, detail=why) for w in MANAGEMENT_ITEMS]
        names = ", ".join(f"{t.tenant} ({PLANE_NAMES[t.plane]})" for t in tenants)
        missing = [
            Item(what="enrolled", state=ItemState.OUTSTANDING, detail=f"not enrolled in {names}")
        ]
        rest = [
            Item(what=w, state=ItemState.OUTSTANDING, detail="not enrolled")
            for w in MANAGEMENT_ITEMS[1:]
        ]
        return missing + rest
    tenant, managed, placed = found
    return [
        _enrolled(tenant, managed),
        _placed(managed, placed, school),
        _compliant(managed),
        _encrypted(managed),
    ]


def _enrolled(tenant: TenantDevices, device: ManagedDevice) -> Item:
    where = f"{tenant.tenant} ({PLANE_NAMES[tenant.plane]})"
    if device.state == "active":
        return Item(what="enrolled", state=ItemState.DONE, detail=f"active in {where}")
    return Item(
        what="enrolled", state=ItemState.OUTSTANDING, detail=f"in {where} but {device.state}"
    )


def _placed(device: ManagedDevice, placed: str | None, school: str) -> Item:
    what = "in the school's category or org unit"
    kind = "org unit" if device.plane == "google" else "category"
    shown = repr(device.category) if device.category else "none"
    if placed == school and device.placed_by in ("category", "org_unit"):
        return Item(what=what, state=ItemState.DONE, detail=f"{kind} {shown}")
    if placed == school:
        detail = f"{kind} {shown} is not this school's (placed here by the register only)"
    elif placed is None:
        detail = f"{kind} {shown} is no school's"
    else:
        detail = f"{kind} {shown} is {placed}'s"
    return Item(what=what, state=ItemState.OUTSTANDING, detail=detail)


def _compliant(device: ManagedDevice) -> Item:
    if device.plane == "google":
        return Item(
            what="compliant",
            state=ItemState.NOT_APPLICABLE,
            detail="Google Admin keeps no compliance state for ChromeOS",
        )
    if device.compliance == "compliant":
        return Item(what="compliant", state=ItemState.DONE, detail="compliant")
    if device.compliance is None:
        return Item(what="compliant", state=ItemState.NOT_SEEN, detail="not reported")
    state = device.compliance.replace("_", " ")
    return Item(what="compliant", state=ItemState.OUTSTANDING, detail=state)


def _encrypted(device: ManagedDevice) -> Item:
    if device.encrypted is True:
        return Item(what="encrypted", state=ItemState.DONE, detail="encrypted")
    if device.encrypted is False:
        return Item(what="encrypted", state=ItemState.OUTSTANDING, detail="not encrypted")
    if device.plane == "google":
        return Item(
            what="encrypted",
            state=ItemState.NOT_APPLICABLE,
            detail="ChromeOS encrypts user data itself; Google Admin does not report it",
        )
    return Item(what="encrypted", state=ItemState.NOT_SEEN, detail="not reported")


def _registered(serial: str, school: str, register: Register) -> Item:
    what = "in the register"
    rows = register.by_serial(serial)
    here = [a for s, a in rows if s == school]
    live = [a for a in here if a.disposed_date is None]
    if live:
        return Item(what=what, state=ItemState.DONE, detail=live[0].asset_tag)
    if here:
        detail = f"{here[0].asset_tag} is marked disposed"
    elif rows:
        detail = f"in {rows[0][0]}'s register ({rows[0][1].asset_tag}), not this school's"
    else:
        detail = "no row with this serial: add it (matops inventory import-assets)"
    return Item(what=what, state=ItemState.OUTSTANDING, detail=detail)


def _replaced(
    row: ReplacedRow, plan: EndpointPlan, tenants: Sequence[TenantDevices], register: Register
) -> DeviceStatus:
    asset = register.by_tag(plan.school, row.asset.asset_tag) or row.asset
    serial = normalise_serial(asset.serial) if asset.serial else None
    items = [_retired(serial, tenants), *_disposed(asset)]
    return DeviceStatus(
        role="replaced",
        serial=serial,
        model=asset.model,
        asset_tag=asset.asset_tag,
        source=f"{plan.path}:{row.line}",
        items=items,
    )


def _retired(serial: str | None, tenants: Sequence[TenantDevices]) -> Item:
    what = "retired or wiped in management"
    if serial is None:
        return Item(
            what=what,
            state=ItemState.OUTSTANDING,
            detail="the register row has no serial: it cannot be found in management",
        )
    found = _lookup(serial, tenants)
    if isinstance(found, list):
        if found or not tenants:
            why = "; ".join(found) or "no tenant serving this school has a devices: block"
            return Item(what=what, state=ItemState.NOT_SEEN, detail=f"not read: {why}")
        return Item(
            what=what,
            state=ItemState.DONE,
            detail="no longer in management (removed after retiring, or never enrolled)",
        )
    tenant, device, _ = found
    where = f"{tenant.tenant} ({PLANE_NAMES[tenant.plane]})"
    if device.state in RETIRED:
        return Item(what=what, state=ItemState.DONE, detail=f"{device.state} in {where}")
    action = "retire and wipe it" if device.plane == "intune" else "wipe and deprovision it"
    detail = f"still {device.state} in {where}: {action}"
    return Item(what=what, state=ItemState.OUTSTANDING, detail=detail)


def _disposed(asset: Asset) -> list[Item]:
    disposed = (
        Item(
            what="marked disposed in the register",
            state=ItemState.DONE,
            detail=f"disposed {asset.disposed_date}",
        )
        if asset.disposed_date
        else Item(
            what="marked disposed in the register",
            state=ItemState.OUTSTANDING,
            detail="no disposed_date",
        )
    )
    ref = asset.disposal_ref
    evidence = (
        Item(what="disposal evidence", state=ItemState.DONE, detail=str(ref))
        if ref
        else Item(
            what="disposal evidence",
            state=ItemState.OUTSTANDING,
            detail="no certificate of data destruction reference (disposal_ref)",
        )
    )
    return [disposed, evidence]


def register_of(schools: Iterable[tuple[str, Sequence[Asset]]]) -> Register:
    """A :class:`Register` from (school, rows) pairs."""
    return Register(dict(schools))
