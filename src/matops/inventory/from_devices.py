"""Register rows proposed for managed devices the register lacks (``import-assets --from-*``).

The devices are one school's, as the scan sees them (``school_devices``: placed in the school by
Intune category or Google org unit, or by a register serial). A device is proposed when it is
active, school-owned, has a serial, and no register row of any school holds that serial. The
proposal is a CSV in the register's columns for the technician to check and complete: the
asset tag is left empty (only the school knows it), so importing the file unedited rejects
every row on its line rather than entering a guess. Nothing is written to the register here.

Devices are named by serial and model only, never by device or user name.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from matops.facts.device_tables import WindowsReleases
from matops.facts.tenant.devices import DeviceOs, ManagedDevice, RegisterRow, SchoolDevices
from matops.inventory.assets import COLUMNS
from matops.inventory.model import AssetType
from matops.scan.device_judging import is_live, models_agree, serial_key, windows_build

PROPOSAL_COLUMNS: tuple[str, ...] = (*COLUMNS, "seen_in", "notes")
"""The register's columns, then where the device was seen and what the technician must check
(``import-assets`` ignores both, and says so)."""

_LAPTOP_WORDS = frozenset({
    "latitude", "thinkpad", "probook", "elitebook", "zbook", "inspiron", "vostro", "xps",
    "travelmate", "aspire", "swift", "chromebook", "macbook", "ideapad", "yoga", "expertbook",
    "vivobook",
})  # fmt: skip
"""Model-name words of laptop ranges (a Windows device's type is not in Intune's v1.0 fields)."""
_DESKTOP_WORDS = frozenset({
    "optiplex", "thinkcentre", "prodesk", "elitedesk", "precision", "chromebox", "chromebase",
    "imac", "veriton", "expertcenter",
})  # fmt: skip
"""Model-name words of desktop ranges."""
_MAKER_SUFFIXES = re.compile(r"[\s,]+(inc\.?|corporation|corp\.?|ltd\.?|limited|co\.?)$", re.I)


@dataclass(frozen=True)
class Proposed:
    """A device to add to the register, and the row proposed for it."""

    device: ManagedDevice
    row: dict[str, str]


@dataclass
class Proposal:
    """What one tenant's devices of one school come to."""

    school: str
    tenant: str
    plane: str
    managed: int = 0
    registered: int = 0
    proposed: list[Proposed] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(serial and model, why no row is proposed)."""


def device_type(device: ManagedDevice) -> AssetType | None:
    """The register type a managed device's OS and model name give, None when they do not.

    >>> from matops.facts.tenant.devices import DeviceOs
    >>> d = dict(plane="intune", id="1", serial="A", manufacturer="Dell Inc.",
    ...          os_version=None, school=None, placed_by="none", ownership="company",
    ...          state="active", compliance=None, encrypted=None, supervised=None,
    ...          jailbroken=None, last_sync=None, enrolled=None, protection=None,
    ...          auto_update_through=None, extended_updates_until=None, category=None)
    >>> device_type(ManagedDevice(model="OptiPlex 7010 Micro", os=DeviceOs.WINDOWS, **d))
    <AssetType.DESKTOP: 'desktop'>
    >>> device_type(ManagedDevice(model="21JR0007UK", os=DeviceOs.WINDOWS, **d)) is None
    True
    """
    words = {w for w in re.split(r"[^a-z0-9]+", (device.model or "").lower()) if w}
    joined = "".join(words)
    if words & _DESKTOP_WORDS or any(w in joined for w in ("macmini", "chromebox")):
        return AssetType.DESKTOP
    if words & _LAPTOP_WORDS or any(w in joined for w in ("surfacelaptop", "surfacebook")):
        return AssetType.LAPTOP
    if device.os is DeviceOs.IPADOS:
        return AssetType.TABLET
    if device.os is DeviceOs.IOS:
        return AssetType.PHONE
    if device.os is DeviceOs.CHROMEOS:
        return AssetType.LAPTOP  # Chromeboxes and Chromebases say so in their model name
    return None


def model_name(device: ManagedDevice) -> str:
    """Maker and model as a register writes them (``Dell Latitude 5440``).

    >>> from matops.facts.tenant.devices import DeviceOs
    >>> d = dict(plane="intune", id="1", serial="A", os=DeviceOs.WINDOWS, os_version=None,
    ...          school=None, placed_by="none", ownership="company", state="active",
    ...          compliance=None, encrypted=None, supervised=None, jailbroken=None,
    ...          last_sync=None, enrolled=None, protection=None, auto_update_through=None,
    ...          extended_updates_until=None, category=None)
    >>> model_name(ManagedDevice(manufacturer="LENOVO", model="ThinkPad E14 Gen 6", **d))
    'Lenovo ThinkPad E14 Gen 6'
    >>> model_name(ManagedDevice(manufacturer="Dell Inc.", model="Dell Pro 14", **d))
    'Dell Pro 14'
    """
    model = (device.model or "").strip()
    maker = _MAKER_SUFFIXES.sub("", (device.manufacturer or "").strip())
    if maker.isupper() and len(maker) > 3:
        maker = maker.title()
    if not maker or model.lower().startswith(maker.lower()):
        return model
    return f"{maker} {model}".strip()


def _os_columns(device: ManagedDevice, releases: WindowsReleases | None) -> dict[str, str]:
    version = device.os_version or ""
    if device.os is DeviceOs.WINDOWS:
        build = windows_build(version)
        release = releases.release(build[0]) if (build and releases) else None
        if release is not None:
            return {
                "os": release.product,
                "os_version": release.version,
                "end_of_support": release.end_of_servicing.isoformat(),
            }
        return {"os": "Windows", "os_version": version}
    if device.os is DeviceOs.CHROMEOS:
        until = device.extended_updates_until or device.auto_update_through
        return {
            "os": "ChromeOS",
            "os_version": version.split(".")[0],
            "end_of_support": until.isoformat() if until else "",
        }
    names = {
        DeviceOs.IPADOS: "iPadOS",
        DeviceOs.IOS: "iOS",
        DeviceOs.MACOS: "macOS",
        DeviceOs.ANDROID: "Android",
    }
    return {"os": names.get(device.os, ""), "os_version": version}


def _row(
    device: ManagedDevice,
    tenant: str,
    releases: WindowsReleases | None,
    unserialled: Sequence[RegisterRow] = (),
) -> dict[str, str]:
    row = dict.fromkeys(PROPOSAL_COLUMNS, "")
    kind = device_type(device)
    row |= {"type": kind.value if kind else "", "model": model_name(device)}
    row |= {"serial": device.serial or ""}
    row |= _os_columns(device, releases)
    synced = device.last_sync.date().isoformat() if device.last_sync else "never"
    where = f"category {device.category}" if device.plane == "intune" else device.category
    row["seen_in"] = f"{device.plane} {tenant} ({where}; last sync {synced})"
    todo = ["give the asset tag", "check the model", "add purchase date and location"]
    if kind is None:
        todo.insert(1, "give the type (laptop or desktop?)")
    same = [r.asset.asset_tag for r in unserialled if models_agree(r.asset.model, device.model)]
    if same:
        shown = ", ".join(same[:3]) + (f" and {len(same) - 3} more" if len(same) > 3 else "")
        todo.insert(0, f"or is it {shown} (same model, no serial in the register)?")
    row["notes"] = "; ".join(todo)
    return row


def propose(
    school_devices: SchoolDevices,
    register: Sequence[RegisterRow],
    today: date,
    releases: WindowsReleases | None = None,
) -> Proposal:
    """The rows to propose for one school's devices of one tenant, and why others are not.

    ``register``: every school's rows (a serial registered at another school is not proposed
    here); ``releases``: the Windows release table, to name a build (``Windows 11``/``24H2``).
    """
    where = school_devices.school
    rows: dict[str, list[RegisterRow]] = {}
    for entry in register:
        key = serial_key(entry.asset.serial)
        if key:
            rows.setdefault(key, []).append(entry)
    unserialled = [
        r for r in register if r.school == where and not r.asset.serial and is_live(r.asset, today)
    ]
    result = Proposal(where, school_devices.tenant, school_devices.plane)
    result.managed = len(school_devices.devices)
    for device in school_devices.devices:
        label = f"{device.serial or 'no serial'} {device.model or ''}".strip()
        reason = _not_proposed(device, rows, where, today)
        if reason == "registered":
            result.registered += 1
        elif reason:
            result.skipped.append((label, reason))
        else:
            row = _row(device, school_devices.tenant, releases, unserialled)
            result.proposed.append(Proposed(device, row))
    for device in school_devices.unplaced:
        label = f"{device.serial or 'no serial'} {device.model or ''}".strip()
        place = "Intune category" if device.plane == "intune" else "org unit"
        seen = device.category or "none"
        result.skipped.append((label, f"in no school ({place} {seen}): place it first"))
    return result


def _not_proposed(
    device: ManagedDevice, rows: dict[str, list[RegisterRow]], school: str, today: date
) -> str | None:
    if device.state != "active":
        return f"{device.state} in management, not proposed"
    if device.ownership == "personal":
        return "personally owned: not the school's asset"
    if device.serial is None:
        return "no serial number reported: add its row by hand"
    found = rows.get(device.serial, [])
    if any(r.school == school and is_live(r.asset, today) for r in found):
        return "registered"
    live_elsewhere = sorted({r.school for r in found if is_live(r.asset, today)})
    if live_elsewhere:
        return f"registered at {', '.join(live_elsewhere)}"
    if found:
        gone = found[0].asset
        return (
            f"the register says {gone.asset_tag} was disposed of on {gone.disposed_date}, "
            "yet it is still enrolled: retire and wipe it, or correct the register"
        )
    return None


def proposal_csv(proposals: Iterable[Proposal]) -> str:
    """The proposed rows as CSV text, in :data:`PROPOSAL_COLUMNS`."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=PROPOSAL_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for proposal in proposals:
        for item in proposal.proposed:
            writer.writerow(item.row)
    return buffer.getvalue()


def write_proposal(path: Path, proposals: Iterable[Proposal]) -> None:
    """Write :func:`proposal_csv` to ``path`` (never a register: the technician imports it)."""
    path.write_text(proposal_csv(proposals), encoding="utf-8")
