"""Managed devices: what Intune (Microsoft Graph) and Google's Directory API say about them.

The reads (agreed with the tenant simulator; the paths are those of the real services):

* ``intune_managed_devices`` (Microsoft 365): ``GET /v1.0/deviceManagement/managedDevices``
  with ``$select`` of :data:`INTUNE_DEVICE_FIELDS` (``$top`` 1000, ``@odata.nextLink`` paging),
  then, for each device whose ``operatingSystem`` is ``Windows``, its Defender state
  ``GET /v1.0/deviceManagement/managedDevices/{id}/windowsProtectionState`` (the documented
  v1.0 read, :class:`WindowsProtectionState`), sent 20 at a time through Graph's JSON batching
  ``POST /v1.0/$batch`` (``{"requests": [{"id": "1", "method": "GET", "url":
  "/deviceManagement/managedDevices/{id}/windowsProtectionState"}, …]}`` → ``{"responses":
  [{"id": "1", "status": 200, "body": {…}}, …]}``; a response may be 429 with a
  ``Retry-After`` header, retried). The state is kept on the device as
  ``windowsProtectionState``, the navigation property's own name. Intune's bulk report export
  (``POST /deviceManagement/reports/exportJobs``, report ``DefenderAgents``) is not used:
  Microsoft documents it as needing a *ReadWrite* permission, and matops reads with read
  permissions only. Both reads need ``DeviceManagementManagedDevices.Read.All``.
* ``chromeos_devices`` (Google Workspace): Directory API ``chromeosdevices.list``,
  ``GET admin/directory/v1/customer/{customerId}/devices/chromeos`` with ``projection=FULL``
  (``autoUpdateThrough`` and the extended-support fields are not in ``BASIC``),
  ``maxResults=300``, ``pageToken`` paging and ``fields=`` of :data:`CHROMEOS_DEVICE_FIELDS`
  (so no user, MAC address or location is ever returned). Scope
  ``https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly``.

Raw models (:class:`IntuneManagedDevice`, :class:`ChromeOsDevice`) keep the API's names as
aliases, like :mod:`matops.facts.tenant.model`; device names (which often carry a pupil's or a
teacher's name) are never requested. Every device check judges the normalised
:class:`ManagedDevice`, handed to each school's tenant subject as :class:`SchoolDevices`.
``None`` always means "not observed", never "compliant".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic.alias_generators import to_camel

from matops.inventory.model import Asset, School
from matops.inventory.tenants import TenantDevices

INTUNE_DEVICE_FIELDS = (
    "id", "serialNumber", "model", "manufacturer", "operatingSystem", "osVersion",
    "complianceState", "isEncrypted", "isSupervised", "jailBroken", "lastSyncDateTime",
    "enrolledDateTime", "managedDeviceOwnerType", "deviceActionResults",
    "deviceCategoryDisplayName",
)  # fmt: skip
"""The managed device fields read (``$select``) and kept: no device or user name. All are
v1.0 properties (``managementState`` is beta only: a retire or wipe shows in v1.0 as a
``deviceActionResults`` entry)."""
PROTECTION_FIELDS = (
    "realTimeProtectionEnabled", "malwareProtectionEnabled", "signatureUpdateOverdue",
    "antiMalwareVersion", "signatureVersion", "lastReportedDateTime", "deviceState",
)  # fmt: skip
"""The ``windowsProtectionState`` fields kept."""
INTUNE_KEEP = (*INTUNE_DEVICE_FIELDS, "windowsProtectionState")
"""What the export keeps of each Intune device."""
CHROMEOS_DEVICE_FIELDS = (
    "deviceId", "serialNumber", "model", "osVersion", "platformVersion", "status", "lastSync",
    "orgUnitPath", "autoUpdateThrough", "autoUpdateExpiration", "extendedSupportEligible",
    "extendedSupportStart", "extendedSupportEnabled", "bootMode", "lastEnrollmentTime",
)  # fmt: skip
"""The ChromeOS device fields requested (``fields=``) and kept: no user, MAC or location."""
BATCH_SIZE = 20
"""Graph's JSON batching takes at most 20 requests in one ``$batch``."""


class _ApiShape(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="ignore", alias_generator=to_camel, populate_by_name=True
    )


# --- raw: Intune (Microsoft Graph v1.0) -------------------------------------------------------


class WindowsProtectionState(_ApiShape):
    """``managedDevice.windowsProtectionState``: Microsoft Defender Antivirus as Intune last
    heard it from the device."""

    real_time_protection_enabled: bool | None = None
    malware_protection_enabled: bool | None = None
    signature_update_overdue: bool | None = None
    anti_malware_version: str | None = None
    signature_version: str | None = None
    last_reported_date_time: datetime | None = None
    device_state: str | None = None
    """``clean``, ``fullScanPending``, ``rebootPending``, … (a flags enum, comma separated)."""


class DeviceActionResult(_ApiShape):
    """``managedDevice.deviceActionResults[]``: a remote action sent to the device."""

    action_name: str | None = None
    """``retire``, ``wipe``, ``delete``, ``syncDevice``, …"""
    action_state: str | None = None
    """``none``, ``pending``, ``canceled``, ``active``, ``done``, ``failed``,
    ``notSupported``."""
    start_date_time: datetime | None = None
    last_updated_date_time: datetime | None = None


class IntuneManagedDevice(_ApiShape):
    """A Graph ``managedDevice`` (``GET /deviceManagement/managedDevices``)."""

    id: str
    serial_number: str | None = None
    model: str | None = None
    manufacturer: str | None = None
    operating_system: str | None = None
    """``Windows``, ``iOS`` (iPhones and iPads: Intune reports iPadOS as iOS), ``macOS``,
    ``Android``, …"""
    os_version: str | None = None
    compliance_state: str | None = None
    """``unknown``, ``compliant``, ``noncompliant``, ``conflict``, ``error``,
    ``inGracePeriod``, ``configManager``."""
    is_encrypted: bool | None = None
    is_supervised: bool | None = None
    jail_broken: str | None = None
    """A string in v1.0: ``True``, ``False`` or ``Unknown``."""
    last_sync_date_time: datetime | None = None
    enrolled_date_time: datetime | None = None
    managed_device_owner_type: str | None = None
    """``unknown``, ``company``, ``personal``."""
    device_action_results: list[DeviceActionResult] | None = None
    """The retire and wipe actions sent (None: not read)."""
    management_state: str | None = None
    """Beta only (not requested): ``managed``, ``retirePending``, ``wipeIssued``, …"""
    device_category_display_name: str | None = None
    windows_protection_state: WindowsProtectionState | None = None
    """Read for Windows devices only (None elsewhere, or when Intune has none)."""


# --- raw: ChromeOS (Directory API) ------------------------------------------------------------


class ChromeOsDevice(_ApiShape):
    """A Directory API ``ChromeOsDevice`` (``chromeosdevices.list``, projection FULL)."""

    device_id: str
    serial_number: str | None = None
    model: str | None = None
    os_version: str | None = None
    platform_version: str | None = None
    status: str | None = None
    """``ACTIVE``, ``DEPROVISIONED``, ``DISABLED``, ``INACTIVE``, ``PRE_PROVISIONED``,
    ``RETURN_ARRIVED``, ``RETURN_REQUEST_RECEIVED``, ``SHIPPED``, ``UNKNOWN``."""
    last_sync: datetime | None = None
    org_unit_path: str | None = None
    auto_update_through: str | None = None
    """When the device stops receiving updates (a timestamp or a date, as Google writes it)."""
    auto_update_expiration: str | None = None
    """The older, deprecated field: milliseconds since the epoch, as a string."""
    extended_support_eligible: bool | None = None
    extended_support_start: str | None = None
    extended_support_enabled: bool | None = None
    boot_mode: str | None = None
    """``Verified`` or ``Dev`` (developer mode)."""
    last_enrollment_time: datetime | None = None


# --- normalised: what every device check judges ----------------------------------------------


class DeviceOs(StrEnum):
    """Operating system families."""

    WINDOWS = "windows"
    CHROMEOS = "chromeos"
    IPADOS = "ipados"
    IOS = "ios"
    MACOS = "macos"
    ANDROID = "android"
    OTHER = "other"


class Protection(BaseModel):
    """Windows Defender state as the management plane reports it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    real_time: bool | None
    malware_protection: bool | None
    signatures_out_of_date: bool | None
    reported_at: datetime | None


Plane = Literal["intune", "google"]
PlacedBy = Literal["category", "org_unit", "register", "none"]
Ownership = Literal["company", "personal", "unknown"]
DeviceState = Literal["active", "retired", "wiped", "disabled", "deprovisioned", "pending", "other"]
Compliance = Literal[
    "compliant", "noncompliant", "in_grace_period", "conflict", "error", "unknown", "not_evaluated"
]


class ManagedDevice(BaseModel):
    """One device as a management plane sees it, in the same terms for Intune and Google."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    plane: Plane
    id: str
    """The plane's device id."""
    serial: str | None
    """Upper-cased, stripped."""
    model: str | None
    manufacturer: str | None
    os: DeviceOs
    os_version: str | None
    """Windows ``10.0.22631.4317``; ChromeOS ``138.0.7204.168``; iPadOS ``17.7.2``."""
    school: str | None
    """The school the device is placed in; None: unplaced."""
    placed_by: PlacedBy
    ownership: Ownership
    state: DeviceState
    compliance: Compliance | None
    """Intune only; None for Google."""
    encrypted: bool | None
    supervised: bool | None
    jailbroken: bool | None
    last_sync: datetime | None
    enrolled: datetime | None
    protection: Protection | None
    """Windows only."""
    auto_update_through: date | None
    """ChromeOS Auto Update Expiration; None elsewhere."""
    extended_updates_until: date | None
    """ChromeOS extended updates, when enabled."""
    category: str | None
    """The Intune device category or the Google org unit path."""

    @field_validator("serial")
    @classmethod
    def _serial(cls, value: str | None) -> str | None:
        return normalise_serial(value)


class SchoolDevices(BaseModel):
    """One school's devices in one tenant, and the tenant's devices placed in no school."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    school: str
    tenant: str
    plane: Plane
    devices: list[ManagedDevice]
    """Placed in this school."""
    unplaced: list[ManagedDevice]
    """In the tenant, placed in no school."""


class RegisterRow(BaseModel):
    """One asset register row with the school whose register holds it (``trust_register``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    school: str
    asset: Asset


def trust_register(schools: Iterable[School]) -> list[RegisterRow]:
    """Every school's register rows, each with its school, in inventory order."""
    return [
        RegisterRow(school=school.id, asset=asset) for school in schools for asset in school.assets
    ]


# --- from raw to normalised -------------------------------------------------------------------


def normalise_serial(value: str | None) -> str | None:
    """A serial number as compared: stripped, upper case; None when empty.

    >>> normalise_serial("  5cg1234xyz "), normalise_serial(" ")
    ('5CG1234XYZ', None)
    """
    if value is None:
        return None
    text = value.strip().upper()
    return text or None


_INTUNE_OS = {
    "windows": DeviceOs.WINDOWS,
    "ipados": DeviceOs.IPADOS,
    "macos": DeviceOs.MACOS,
    "android": DeviceOs.ANDROID,
    "androidforwork": DeviceOs.ANDROID,
    "androidenterprise": DeviceOs.ANDROID,
}


def intune_os(operating_system: str | None, model: str | None) -> DeviceOs:
    """The OS family of an Intune device. Intune reports iPads as ``iOS``: the model tells.

    >>> intune_os("iOS", "iPad (9th generation)"), intune_os("iOS", "iPhone 13")
    (<DeviceOs.IPADOS: 'ipados'>, <DeviceOs.IOS: 'ios'>)
    """
    name = (operating_system or "").strip().lower().replace(" ", "")
    if name in ("ios", "ipados"):
        return (
            DeviceOs.IPADOS
            if (model or "").lower().startswith("ipad") or name == "ipados"
            else (DeviceOs.IOS)
        )
    return _INTUNE_OS.get(name, DeviceOs.OTHER)


_COMPLIANCE: dict[str, Compliance] = {
    "compliant": "compliant",
    "noncompliant": "noncompliant",
    "ingraceperiod": "in_grace_period",
    "conflict": "conflict",
    "error": "error",
    "unknown": "unknown",
    "configmanager": "not_evaluated",
}
_INTUNE_STATE: dict[str, DeviceState] = {
    "managed": "active",
    "retirepending": "retired",
    "retireissued": "retired",
    "deletepending": "retired",
    "wipepending": "wiped",
    "wipeissued": "wiped",
    "discovered": "pending",
}
_ACTION_STATE: dict[str, DeviceState] = {"retire": "retired", "wipe": "wiped", "delete": "retired"}
_ACTION_TAKEN = frozenset({"pending", "active", "done"})
_GOOGLE_STATE: dict[str, DeviceState] = {
    "ACTIVE": "active",
    "DISABLED": "disabled",
    "DEPROVISIONED": "deprovisioned",
    "PRE_PROVISIONED": "pending",
    "SHIPPED": "pending",
}
_OWNERSHIP: dict[str, Ownership] = {"company": "company", "personal": "personal"}


def intune_state(device: IntuneManagedDevice) -> DeviceState:
    """``wiped`` or ``retired`` when a wipe or retire was sent (pending, active or done; the
    latest wins), else from ``managementState`` when Graph gave it, else ``active`` (the device
    is enrolled: it is in the list).

    >>> intune_state(IntuneManagedDevice(id="d", device_action_results=[
    ...     {"actionName": "wipe", "actionState": "done"}]))
    'wiped'
    """
    taken = [
        (a.last_updated_date_time or a.start_date_time or datetime.min.replace(tzinfo=UTC), n, a)
        for n, a in enumerate(device.device_action_results or [])
        if (a.action_name or "").lower() in _ACTION_STATE
        and (a.action_state or "").lower() in _ACTION_TAKEN
    ]
    if taken:
        latest = max(taken, key=lambda t: (_aware(t[0]), t[1]))[2]
        return _ACTION_STATE[(latest.action_name or "").lower()]
    if device.management_state is not None:
        return _INTUNE_STATE.get(device.management_state.lower(), "other")
    return "active"


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _jailbroken(text: str | None) -> bool | None:
    value = (text or "").strip().lower()
    return {"true": True, "false": False}.get(value)


def _date_of(text: str | None) -> date | None:
    """A Google date or timestamp (``2029-06-01``, ``2029-06-01T00:00:00Z``) as a date; None
    when absent. ValueError when it is neither."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value.replace("Z", "+00:00")).date()


def chromeos_update_date(device: ChromeOsDevice) -> date | None:
    """The device's Auto Update Expiration: ``autoUpdateThrough``, else the older
    ``autoUpdateExpiration`` (milliseconds since the epoch, UTC); None when neither was given.

    >>> chromeos_update_date(ChromeOsDevice(device_id="d", auto_update_expiration="1654041600000"))
    datetime.date(2022, 6, 1)
    """
    if device.auto_update_through:
        return _date_of(device.auto_update_through)
    if device.auto_update_expiration:
        millis = int(device.auto_update_expiration)
        return datetime.fromtimestamp(millis / 1000, tz=UTC).date()
    return None


def from_intune(device: IntuneManagedDevice) -> ManagedDevice:
    """The normalised device (not yet placed in a school)."""
    os = intune_os(device.operating_system, device.model)
    state_text = (device.compliance_state or "").replace("_", "").lower()
    protection = device.windows_protection_state
    return ManagedDevice(
        plane="intune",
        id=device.id,
        serial=device.serial_number,
        model=device.model,
        manufacturer=device.manufacturer,
        os=os,
        os_version=device.os_version,
        school=None,
        placed_by="none",
        ownership=_OWNERSHIP.get((device.managed_device_owner_type or "").lower(), "unknown"),
        state=intune_state(device),
        compliance=_COMPLIANCE.get(state_text) if device.compliance_state else None,
        encrypted=device.is_encrypted,
        supervised=device.is_supervised,
        jailbroken=_jailbroken(device.jail_broken),
        last_sync=_aware(device.last_sync_date_time),
        enrolled=_aware(device.enrolled_date_time),
        protection=None
        if protection is None or os is not DeviceOs.WINDOWS
        else Protection(
            real_time=protection.real_time_protection_enabled,
            malware_protection=protection.malware_protection_enabled,
            signatures_out_of_date=protection.signature_update_overdue,
            reported_at=_aware(protection.last_reported_date_time),
        ),
        auto_update_through=None,
        extended_updates_until=None,
        category=device.device_category_display_name,
    )


def chromeos_support(device: ChromeOsDevice) -> tuple[date | None, date | None]:
    """When the device's automatic updates end without extended support, and when they end
    with it (None unless the device is eligible and extended support is enabled).

    Google's fields: ``extendedSupportEligible`` (the device needs an opt-in to keep updating),
    ``extendedSupportStart`` (when the extended period begins, i.e. where updates stop without
    the opt-in), ``extendedSupportEnabled`` (opted in) and ``autoUpdateThrough`` (the last date
    of updates, the extended period included). ValueError when a date is garbled.

    >>> chromeos_support(ChromeOsDevice(device_id="d", auto_update_through="2031-06-01T00:00:00Z",
    ...     extended_support_eligible=True, extended_support_start="2028-06-01",
    ...     extended_support_enabled=False))
    (datetime.date(2028, 6, 1), None)
    """
    through = chromeos_update_date(device)
    start = _date_of(device.extended_support_start)
    if device.extended_support_eligible and start is not None:
        return start, (through if device.extended_support_enabled else None)
    return through, None


def from_chromeos(device: ChromeOsDevice) -> ManagedDevice:
    """The normalised device (not yet placed in a school). ValueError when a date is garbled.

    Google does not report disk encryption (ChromeOS always encrypts user data, but that is not
    observed here): ``encrypted`` is None. ``jailbroken`` is developer mode (``bootMode: Dev``).
    """
    through, extended = chromeos_support(device)
    return ManagedDevice(
        plane="google",
        id=device.device_id,
        serial=device.serial_number,
        model=device.model,
        manufacturer=None,
        os=DeviceOs.CHROMEOS,
        os_version=device.os_version,
        school=None,
        placed_by="none",
        ownership="company",
        state=_GOOGLE_STATE.get((device.status or "").upper(), "other"),
        compliance=None,
        encrypted=None,
        supervised=None,
        jailbroken=None if device.boot_mode is None else device.boot_mode.lower() == "dev",
        last_sync=_aware(device.last_sync),
        enrolled=_aware(device.last_enrollment_time),
        protection=None,
        auto_update_through=through,
        extended_updates_until=extended,
        category=device.org_unit_path,
    )


# --- placing devices in schools ---------------------------------------------------------------


def _in_org_unit(path: str, unit: str) -> bool:
    path_key, unit_key = path.casefold().rstrip("/"), unit.casefold().rstrip("/")
    return unit_key == "" or path_key == unit_key or path_key.startswith(unit_key + "/")


def school_by_category(device: ManagedDevice, devices: TenantDevices) -> str | None:
    """The school the device's Intune category or Google org unit names (the longest org
    unit that holds it), or None.

    >>> settings = TenantDevices(schools={"sa": "/Devices", "sb": "/Devices/B"})
    >>> d = ManagedDevice.model_construct(plane="google", category="/devices/b/Year 3")
    >>> school_by_category(d, settings)
    'sb'
    """
    category = device.category
    if not category:
        return None
    if device.plane == "intune":
        wanted = category.strip().casefold()
        return next(
            (s for s, name in devices.schools.items() if name.strip().casefold() == wanted), None
        )
    holding = [
        (len(unit), s) for s, unit in devices.schools.items() if _in_org_unit(category, unit)
    ]
    return max(holding)[1] if holding else None


def place(
    found: Iterable[ManagedDevice],
    devices: TenantDevices,
    register: Iterable[RegisterRow],
) -> list[ManagedDevice]:
    """Every device with its school: by category/org unit, else by its serial in a school's
    register (that school must be one the tenant's ``devices.schools`` names), else unplaced."""
    by_serial: dict[str, str] = {}
    for row in register:
        serial = normalise_serial(row.asset.serial)
        if serial is not None and row.school in devices.schools:
            by_serial.setdefault(serial, row.school)
    placed: list[ManagedDevice] = []
    for device in found:
        school = school_by_category(device, devices)
        how: PlacedBy = (
            ("category" if device.plane == "intune" else "org_unit") if school else "none"
        )
        if school is None and device.serial is not None and device.serial in by_serial:
            school, how = by_serial[device.serial], "register"
        placed.append(device.model_copy(update={"school": school, "placed_by": how}))
    return placed


def school_devices(
    tenant: str,
    plane: Plane,
    school: str,
    placed: Iterable[ManagedDevice],
) -> SchoolDevices:
    """One school's view: its own devices and the tenant's unplaced ones."""
    mine: list[ManagedDevice] = []
    unplaced: list[ManagedDevice] = []
    for device in placed:
        if device.school == school:
            mine.append(device)
        elif device.school is None:
            unplaced.append(device)
    return SchoolDevices(school=school, tenant=tenant, plane=plane, devices=mine, unplaced=unplaced)


def counts(placed: Iterable[ManagedDevice]) -> Mapping[str, int]:
    """How many devices each school holds (``(unplaced)`` for none), for evidence."""
    found: dict[str, int] = {}
    for device in placed:
        key = device.school or "(unplaced)"
        found[key] = found.get(key, 0) + 1
    return dict(sorted(found.items()))


__all__ = [
    "BATCH_SIZE",
    "CHROMEOS_DEVICE_FIELDS",
    "INTUNE_DEVICE_FIELDS",
    "INTUNE_KEEP",
    "PROTECTION_FIELDS",
    "ChromeOsDevice",
    "DeviceActionResult",
    "DeviceOs",
    "IntuneManagedDevice",
    "ManagedDevice",
    "Protection",
    "RegisterRow",
    "SchoolDevices",
    "WindowsProtectionState",
    "trust_register",
]
