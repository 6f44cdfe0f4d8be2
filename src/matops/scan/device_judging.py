"""Pure helpers the device checks share: versions against the data tables, which devices are
judged, and one way of turning a per-device judgement into a verdict.

No I/O. Devices are named by serial number and model only (reconciliation adds the register's
asset tag): never by device name or user, which often carry a pupil's or teacher's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from matops.facts.device_tables import (
    IpadosReleases,
    WindowsRelease,
    WindowsReleases,
    WindowsUpdate,
)
from matops.facts.tenant.devices import DeviceOs, ManagedDevice, SchoolDevices
from matops.inventory.model import Asset, AssetType
from matops.inventory.tenants import TenantDevices, TenantInfo
from matops.scan.verdict import (
    JudgeStatus,
    Verdict,
    errored,
    failed,
    listing,
    not_applicable,
    passed,
)

UPDATE_DAYS = 14
"""Security updates are due within this many days of release (Cyber Essentials, DfE)."""
TABLE_MAX_AGE_DAYS = 45
"""A data table older than this (``as_of`` before the scan date) is stale."""
WINDOWS_TABLE = "windows_releases.yml"
IPADOS_TABLE = "ipados.yml"
ENDPOINT_TYPES = frozenset({AssetType.LAPTOP, AssetType.DESKTOP, AssetType.TABLET})
"""Register row types a management plane enrols."""
RELEASED: frozenset[str] = frozenset({"retired", "wiped", "deprovisioned"})
"""Device states that mean the plane has let the device go (or is wiping it)."""

Plane = Literal["intune", "google"]
OS_PLANES: tuple[tuple[str, DeviceOs, Plane], ...] = (
    ("windows", DeviceOs.WINDOWS, "intune"),
    ("ipados", DeviceOs.IPADOS, "intune"),
    ("ios", DeviceOs.IOS, "intune"),
    ("macos", DeviceOs.MACOS, "intune"),
    ("mac os", DeviceOs.MACOS, "intune"),
    ("chromeos", DeviceOs.CHROMEOS, "google"),
    ("chrome os", DeviceOs.CHROMEOS, "google"),
)
"""Register ``os`` text (its start, any case) → OS family → the plane that manages it."""


# --- naming devices ---------------------------------------------------------------------------


def label(device: ManagedDevice, asset_tag: str | None = None) -> str:
    """How a finding names a device: serial (or the plane's id), asset tag, model.

    >>> d = ManagedDevice.model_construct(id="x1", serial="5CG1", model="Latitude 3550")
    >>> label(d), label(d, "MLT-RIV-00012")
    ('5CG1 (Latitude 3550)', '5CG1 (MLT-RIV-00012, Latitude 3550)')
    """
    name = device.serial or f"no serial, id {device.id}"
    parts = [p for p in (asset_tag, device.model) if p]
    return f"{name} ({', '.join(parts)})" if parts else name


def asset_label(asset: Asset) -> str:
    """How a finding names a register row: asset tag, serial, model (never ``assigned_to``).

    >>> asset_label(Asset(asset_tag="T1", type="tablet", model="iPad", serial="S1"))
    'T1 (serial S1, iPad)'
    """
    return f"{asset.asset_tag} (serial {asset.serial or 'none'}, {asset.model})"


# --- judging many devices ---------------------------------------------------------------------

Outcome = tuple[Literal["ok", "bad", "unknown"], str]
"""One device's judgement and a short note (what is wrong, or what was not observed)."""


@dataclass(frozen=True)
class Judged:
    """Devices sorted by outcome, each with its note."""

    ok: list[str]
    bad: list[str]
    unknown: list[str]


def judge_each(
    devices: Iterable[ManagedDevice], judge: Callable[[ManagedDevice], Outcome]
) -> Judged:
    """Judge each device; notes are ``label: note`` (sorted, so details are stable)."""
    found: dict[str, list[str]] = {"ok": [], "bad": [], "unknown": []}
    for device in devices:
        status, note = judge(device)
        found[status].append(f"{label(device)}: {note}" if note else label(device))
    return Judged(*(sorted(found[k]) for k in ("ok", "bad", "unknown")))


def verdict_of(judged: Judged, ok: str, bad: str, unknown: str = "not observed") -> Verdict:
    """Fail when any device is bad (the unobserved named too), else error when any could not
    be judged, else pass. Figures: devices judged, failing, unobserved."""
    figures = {
        "devices": len(judged.ok) + len(judged.bad) + len(judged.unknown),
        "failing": len(judged.bad),
        "unobserved": len(judged.unknown),
    }
    if judged.bad:
        tail = f"; {unknown}: {listing(judged.unknown)}" if judged.unknown else ""
        return failed(f"{bad}: {listing(judged.bad)}{tail}", figures=figures)
    if judged.unknown:
        return errored(f"{unknown}: {listing(judged.unknown)}")
    return passed(f"{ok} ({len(judged.ok)} device{'s' if len(judged.ok) != 1 else ''})", figures)


def in_use(school: SchoolDevices, *systems: DeviceOs) -> list[ManagedDevice]:
    """The school's active devices (of these OS families, if given)."""
    return [d for d in school.devices if d.state == "active" and (not systems or d.os in systems)]


def judge_in_use(
    school: SchoolDevices,
    systems: tuple[DeviceOs, ...],
    judge: Callable[[ManagedDevice], Outcome],
    ok: str,
    bad: str,
    unknown: str = "not observed",
) -> Verdict:
    """:func:`judge_each` over the school's active devices of ``systems``; not applicable when
    the school has none."""
    devices = in_use(school, *systems)
    if not devices:
        kinds = ", ".join(s.value for s in systems) or "managed"
        return not_applicable(f"no active {kinds} devices in {school.school} ({school.tenant})")
    return verdict_of(judge_each(devices, judge), ok, bad, unknown)


def settings(tenant: TenantInfo) -> TenantDevices:
    """The tenant's ``devices:`` block (device facts are never read without one)."""
    if tenant.devices is None:
        raise ValueError(f"tenant {tenant.name} has no devices: block")
    return tenant.devices


def days_ago(day: date, moment: datetime) -> int:
    """Whole days from ``moment`` to the start of ``day``.

    >>> from datetime import UTC
    >>> days_ago(date(2026, 12, 5), datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    34
    """
    return (day - moment.date()).days


# --- tables -----------------------------------------------------------------------------------


def stale_table(name: str, as_of: date, scan_date: date) -> str | None:
    """Why the table is too old to judge by (None: fresh enough).

    >>> stale_table("t.yml", date(2026, 8, 1), date(2026, 12, 5))
    't.yml is known only to 2026-08-01, 126 days before the scan (at most 45): refresh it'
    """
    age = (scan_date - as_of).days
    if age > TABLE_MAX_AGE_DAYS:
        return (
            f"{name} is known only to {as_of}, {age} days before the scan "
            f"(at most {TABLE_MAX_AGE_DAYS}): refresh it"
        )
    return None


def with_incomplete_table(verdict: Verdict, why: str | None) -> Verdict:
    """A verdict reached with a table that may lack releases (``why``; None: complete). Failures
    stand, since those devices miss a release the table does know; a pass or an error cannot be
    told, so it becomes an error saying why.

    >>> with_incomplete_table(passed("all current"), "t.yml is old").detail
    't.yml is old'
    >>> with_incomplete_table(failed("X behind"), "t.yml is old").detail
    'X behind; the other devices cannot be judged: t.yml is old'
    """
    if why is None or verdict.status is JudgeStatus.NOT_APPLICABLE:
        return verdict
    if verdict.status is JudgeStatus.FAIL:
        detail = f"{verdict.detail}; the other devices cannot be judged: {why}"
        return failed(detail, verdict.figures)
    return errored(why)


def patch_tuesday(year: int, month: int) -> date:
    """The second Tuesday of the month, when Microsoft releases security updates.

    >>> patch_tuesday(2026, 11)
    datetime.date(2026, 11, 10)
    """
    first = date(year, month, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 7)


def patch_tuesdays_missing(as_of: date, scan_date: date) -> list[date]:
    """Patch Tuesdays after the table's ``as_of`` whose updates are already due at the scan
    (released at least 14 days before it): the table cannot say what they brought.

    >>> patch_tuesdays_missing(date(2026, 8, 12), date(2026, 9, 20))
    []
    >>> patch_tuesdays_missing(date(2026, 8, 12), date(2026, 9, 30))
    [datetime.date(2026, 9, 8)]
    """
    due = scan_date - timedelta(days=UPDATE_DAYS)
    missing: list[date] = []
    year, month = as_of.year, as_of.month
    while date(year, month, 1) <= due:
        day = patch_tuesday(year, month)
        if as_of < day <= due:
            missing.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return missing


def windows_build(os_version: str | None) -> tuple[int, int] | None:
    """(build, revision) of a Windows version string, None when it is not one.

    >>> windows_build("10.0.22631.4317"), windows_build("10.0.22631"), windows_build("24H2")
    ((22631, 4317), None, None)
    """
    parts = (os_version or "").strip().split(".")
    if len(parts) != 4 or parts[:2] != ["10", "0"] or not all(p.isdigit() for p in parts[2:]):
        return None
    return int(parts[2]), int(parts[3])


def windows_major(build: int) -> int:
    """10 or 11 from the OS build number (Windows 11 starts at build 22000).

    >>> windows_major(19045), windows_major(26100)
    (10, 11)
    """
    return 11 if build >= 22000 else 10


def windows_support_end(release: WindowsRelease, devices: TenantDevices) -> date:
    """When the release stops receiving security updates for this trust: Microsoft's end of
    servicing, or for Windows 10 the later end of the trust's paid Extended Security Updates."""
    esu = devices.windows10_esu_until
    if release.is_windows10 and esu is not None and esu > release.end_of_servicing:
        return esu
    return release.end_of_servicing


def due_update(
    release: WindowsRelease, scan_date: date, until: date | None = None
) -> WindowsUpdate | None:
    """The newest security update of the release released at least 14 days before the scan
    (and, given ``until``, no later than the end of the device's support: updates after it,
    such as unpaid Windows 10 Extended Security Updates, are not available to it)."""
    due = scan_date - timedelta(days=UPDATE_DAYS)
    if until is not None:
        due = min(due, until)
    released = [u for u in release.updates if u.released <= due]
    return released[-1] if released else None


def has_update(revision: int, update: WindowsUpdate) -> bool:
    """Whether a device at ``revision`` has the update (or its hotpatch equivalent)."""
    floor = min(update.revision, update.hotpatch) if update.hotpatch else update.revision
    return revision >= floor


def windows_release_of(
    device: ManagedDevice, table: WindowsReleases
) -> tuple[WindowsRelease, int] | str:
    """The device's feature release and revision, or why it cannot be told."""
    parsed = windows_build(device.os_version)
    if parsed is None:
        return f"OS version {device.os_version!r} not reported as 10.0.build.revision"
    build, revision = parsed
    release = table.release(build)
    if release is None:
        return f"build {build} is not in {WINDOWS_TABLE} (known to {table.as_of})"
    return release, revision


def ipados_version(text: str | None) -> tuple[int, ...] | None:
    """An iPadOS version as numbers, None when it is not one.

    >>> ipados_version("17.7.2"), ipados_version("26"), ipados_version("n/a")
    ((17, 7, 2), (26,), None)
    """
    parts = (text or "").strip().split(".")
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def supported_majors(table: IpadosReleases, day: date) -> list[int]:
    """The majors receiving security updates on ``day``: the two newest released by then."""
    released = sorted(m.major for m in table.majors if m.released <= day)
    return released[-2:]


def newest_due(table: IpadosReleases, major: int, scan_date: date) -> tuple[int, ...] | None:
    """The newest release of ``major`` out at least 14 days before the scan."""
    found = table.major(major)
    if found is None:
        return None
    due = scan_date - timedelta(days=UPDATE_DAYS)
    versions = [ipados_version(v.version) for v in found.versions if v.released <= due]
    known = [v for v in versions if v is not None]
    return max(known) if known else None


def dotted(version: tuple[int, ...]) -> str:
    """``(17, 7, 2)`` → ``17.7.2``."""
    return ".".join(map(str, version))


# --- the register -----------------------------------------------------------------------------


def register_os(os_text: str | None) -> tuple[DeviceOs, Plane] | None:
    """The OS family of a register row's ``os`` text and the plane that manages it.

    >>> register_os("Windows 11 Education"), register_os("ChromeOS"), register_os("Debian")
    ((<DeviceOs.WINDOWS: 'windows'>, 'intune'), (<DeviceOs.CHROMEOS: 'chromeos'>, 'google'), None)
    >>> register_os("IOS-XE") is None  # a switch's, not Apple's
    True
    """
    text = (os_text or "").strip().casefold()
    for start, family, plane in OS_PLANES:
        rest = text.removeprefix(start)
        if rest != text and (not rest or rest[0] == " " or rest[0].isdigit()):
            return family, plane
    return None


def serial_key(serial: str | None) -> str | None:
    """A serial number as compared (stripped, upper case; None when empty)."""
    text = (serial or "").strip().upper()
    return text or None


def is_live(asset: Asset, scan_date: date) -> bool:
    """Whether the row is in use (not disposed of by the scan date)."""
    return asset.disposed_date is None or asset.disposed_date > scan_date


def model_words(model: str | None) -> set[str]:
    """A model name's words in lower case, without maker names and punctuation.

    >>> sorted(model_words("Apple iPad (9th generation)"))
    ['9th', 'generation', 'ipad']
    """
    text = "".join(c if c.isalnum() else " " for c in (model or "").casefold())
    return set(text.split()) - {"apple", "dell", "lenovo", "hp", "acer", "asus", "microsoft", "inc"}


def models_agree(register: str, plane: str | None) -> bool | None:
    """Whether the register's model and the plane's agree (one's words hold the other's);
    None when the plane's model is a bare machine-type code (e.g. Lenovo's ``21JR0007UK``),
    which cannot be compared to a model name.

    >>> models_agree("Apple iPad (9th generation)", "iPad (9th generation)")
    True
    >>> models_agree("Dell Latitude 3550", "Latitude 5440")
    False
    >>> models_agree("Lenovo ThinkPad E14 Gen 6", "21JR0007UK") is None
    True
    """
    theirs = model_words(plane)
    if not theirs:
        return None
    ours = model_words(register)
    code = next(iter(theirs)) if len(theirs) == 1 else ""
    if any(c.isdigit() for c in code) and code not in ours:
        return None
    return theirs <= ours or ours <= theirs
