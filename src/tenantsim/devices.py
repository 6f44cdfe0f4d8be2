"""Device records in the management planes' own shapes: an Intune ``managedDevice`` (Microsoft
Graph v1.0, with its ``windowsProtectionState`` kept inside the record) and a Directory API
``ChromeOsDevice``. The example trust's data generator (``scripts/generate_lab_devices.py``)
and the benchmark's generated tenant (:mod:`tenantsim.generate`) both build them here, so the
two always agree on field names and types.

Every property a real answer carries is present, the personal ones too (``deviceName``,
``userPrincipalName``, ``wiFiMacAddress``, Google's ``recentUsers`` and MAC addresses), so a
client that forgets ``$select`` or Google's BASIC projection receives them, as it would from
the real APIs. Values are made up; ``jailBroken`` is a string (``"True"``, ``"False"``,
``"Unknown"``), as Graph documents it.

>>> import random
>>> device = intune_device(random.Random(1), serial="ABC1234", model="Latitude 3510",
...     manufacturer="Dell Inc.", operating_system="Windows", os_version="10.0.26100.1",
...     category="Riverside", name="RIV-LT-0001", enrolled="2024-01-02T08:00:00Z",
...     last_sync="{{now-1d}}")
>>> device["serialNumber"], device["jailBroken"], device["windowsProtectionState"]["id"] == device["id"]
('ABC1234', 'Unknown', True)
>>> chrome = chromeos_device(random.Random(1), serial="5CD1", model="Lenovo 100e Chromebook Gen 3",
...     os_version="138.0.7204.168", platform_version="16295.54.0", org_unit_path="/Devices/Oakfield",
...     org_unit_id="id:03ph8a2z3dv0oak", last_sync="{{now-2d}}", enrolled="2022-09-10T09:00:00.000Z",
...     auto_update_through="2029-06-01")
>>> chrome["autoUpdateThrough"], chrome["autoUpdateExpiration"]
('2029-06-01T00:00:00Z', '1874966400000')
"""  # noqa: E501

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime
from typing import Any

PROTECTION = "windowsProtectionState"
"""The key under which a Windows device's protection state is kept inside its record (served
by ``$expand=windowsProtectionState`` and ``/managedDevices/{id}/windowsProtectionState``)."""

MANAGED_DEVICE_PROPERTIES = (
    "id", "userId", "deviceName", "managedDeviceOwnerType", "deviceActionResults",
    "enrolledDateTime", "lastSyncDateTime", "operatingSystem", "complianceState", "jailBroken",
    "managementAgent", "osVersion", "easActivated", "easDeviceId", "easActivationDateTime",
    "azureADRegistered", "deviceEnrollmentType", "activationLockBypassCode", "emailAddress",
    "azureADDeviceId", "deviceRegistrationState", "deviceCategoryDisplayName", "isSupervised",
    "exchangeLastSuccessfulSyncDateTime", "exchangeAccessState", "exchangeAccessStateReason",
    "remoteAssistanceSessionUrl", "remoteAssistanceSessionErrorDetails", "isEncrypted",
    "userPrincipalName", "model", "manufacturer", "imei", "complianceGracePeriodExpirationDateTime",
    "serialNumber", "phoneNumber", "androidSecurityPatchLevel", "userDisplayName",
    "configurationManagerClientEnabledFeatures", "wiFiMacAddress", "deviceHealthAttestationState",
    "subscriberCarrier", "meid", "totalStorageSpaceInBytes", "freeStorageSpaceInBytes",
    "managedDeviceName", "partnerReportedThreatState",
)  # fmt: skip
"""The ``managedDevice`` properties of Graph v1.0 (the resource page), in its order; a
``$select`` naming anything else (``managementState`` is beta only) is refused as Graph
refuses it. A retire or wipe shows in v1.0 as a ``deviceActionResults`` entry."""

PROTECTION_PROPERTIES = (
    "id", "malwareProtectionEnabled", "deviceState", "realTimeProtectionEnabled",
    "networkInspectionSystemEnabled", "quickScanOverdue", "fullScanOverdue",
    "signatureUpdateOverdue", "rebootRequired", "fullScanRequired", "engineVersion",
    "signatureVersion", "antiMalwareVersion", "lastQuickScanDateTime", "lastFullScanDateTime",
    "lastQuickScanSignatureVersion", "lastFullScanSignatureVersion", "lastReportedDateTime",
    "productStatus", "isVirtualMachine", "tamperProtectionEnabled",
)  # fmt: skip
"""The ``windowsProtectionState`` properties of Graph v1.0 (the resource page)."""

CHROMEOS_FULL_ONLY = (
    "autoUpdateThrough", "extendedSupportEligible", "extendedSupportStart",
    "extendedSupportEnabled", "recentUsers", "activeTimeRanges", "cpuStatusReports",
    "diskVolumeReports", "systemRamFreeReports", "lastKnownNetwork", "cpuInfo", "deviceFiles",
    "screenshotFiles", "backlightInfo", "fanInfo", "bluetoothAdapterInfo", "osUpdateStatus",
)  # fmt: skip
"""ChromeOS device fields only the FULL projection returns (the update and extended-support
dates, usage reports, recent users, networks); BASIC, the default, leaves them out."""

NEVER = "0001-01-01T00:00:00Z"
_ENROLMENT = {"Windows": "windowsAzureADJoin", "iPadOS": "appleBulkWithoutUser",
              "iOS": "userEnrollment", "macOS": "appleBulkWithoutUser"}  # fmt: skip


def device_id(rng: random.Random) -> str:
    """A made-up GUID from ``rng`` (the same seed gives the same ids)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _mac(rng: random.Random, sep: str = "") -> str:
    return sep.join(f"{rng.randrange(256):02X}" for _ in range(6))


def windows_protection(
    rng: random.Random, device: str, reported: str, **overrides: Any
) -> dict[str, Any]:
    """A healthy Microsoft Defender state (``overrides`` plant problems)."""
    state: dict[str, Any] = {
        "id": device, "malwareProtectionEnabled": True, "deviceState": "clean",
        "realTimeProtectionEnabled": True, "networkInspectionSystemEnabled": True,
        "quickScanOverdue": False, "fullScanOverdue": False, "signatureUpdateOverdue": False,
        "rebootRequired": False, "fullScanRequired": False, "engineVersion": "1.1.25100.9",
        "signatureVersion": "1.443.512.0", "antiMalwareVersion": "4.18.25100.9",
        "lastQuickScanDateTime": reported, "lastFullScanDateTime": NEVER,
        "lastQuickScanSignatureVersion": "1.443.512.0", "lastFullScanSignatureVersion": "",
        "lastReportedDateTime": reported, "productStatus": "noStatus",
        "isVirtualMachine": False, "tamperProtectionEnabled": True,
    }  # fmt: skip
    state.update(overrides)
    return state


def intune_device(
    rng: random.Random,
    *,
    serial: str,
    model: str,
    manufacturer: str,
    operating_system: str,
    os_version: str,
    category: str,
    name: str,
    enrolled: str,
    last_sync: str,
    protection: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A healthy company-owned Intune device; ``overrides`` replace any property.

    Windows devices carry a ``windowsProtectionState`` (healthy, reported at ``last_sync``,
    with ``protection`` applied over it); other systems carry none.
    """
    ident = device_id(rng)
    apple = operating_system in ("iPadOS", "iOS", "macOS")
    record: dict[str, Any] = {
        "id": ident, "userId": "", "deviceName": name, "managedDeviceOwnerType": "company",
        "deviceActionResults": [], "enrolledDateTime": enrolled, "lastSyncDateTime": last_sync,
        "operatingSystem": operating_system, "complianceState": "compliant",
        "jailBroken": "False" if operating_system in ("iPadOS", "iOS") else "Unknown",
        "managementAgent": "mdm", "osVersion": os_version, "easActivated": False,
        "easDeviceId": "", "easActivationDateTime": NEVER, "azureADRegistered": True,
        "deviceEnrollmentType": _ENROLMENT.get(operating_system, "unknown"),
        "activationLockBypassCode": None, "emailAddress": "", "azureADDeviceId": device_id(rng),
        "deviceRegistrationState": "registered", "deviceCategoryDisplayName": category,
        "isSupervised": apple and operating_system != "iOS",
        "exchangeLastSuccessfulSyncDateTime": NEVER, "exchangeAccessState": "none",
        "exchangeAccessStateReason": "none", "remoteAssistanceSessionUrl": "",
        "remoteAssistanceSessionErrorDetails": "", "isEncrypted": True, "userPrincipalName": "",
        "model": model, "manufacturer": manufacturer, "imei": "",
        "complianceGracePeriodExpirationDateTime": "9999-12-31T23:59:59Z",
        "serialNumber": serial, "phoneNumber": "", "androidSecurityPatchLevel": "",
        "userDisplayName": "", "configurationManagerClientEnabledFeatures": None,
        "wiFiMacAddress": _mac(rng), "deviceHealthAttestationState": None,
        "subscriberCarrier": "", "meid": "",
        "totalStorageSpaceInBytes": 255_374_000_128 if not apple else 63_979_192_320,
        "freeStorageSpaceInBytes": rng.randrange(20_000_000_000, 60_000_000_000),
        "managedDeviceName": f"{name}_{operating_system}", "partnerReportedThreatState": "unknown",
    }  # fmt: skip
    if operating_system == "Windows":
        record[PROTECTION] = windows_protection(rng, ident, last_sync, **(protection or {}))
    record.update(overrides)
    return record


def _epoch_ms(day: str) -> str:
    moment = datetime.fromisoformat(day).replace(tzinfo=UTC)
    return str(int(moment.timestamp() * 1000))


def chromeos_device(
    rng: random.Random,
    *,
    serial: str,
    model: str,
    os_version: str,
    platform_version: str,
    org_unit_path: str,
    org_unit_id: str,
    last_sync: str,
    enrolled: str,
    auto_update_through: str,
    recent_user: str | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """An active, verified-boot ChromeOS device; ``overrides`` replace any field.

    ``auto_update_through`` is a date (``YYYY-MM-DD``): the device's Auto Update Expiration,
    given both as ``autoUpdateThrough`` (a timestamp) and the older ``autoUpdateExpiration``
    (milliseconds since the epoch, as a string).
    """
    record: dict[str, Any] = {
        "kind": "admin#directory#chromeosdevice", "etag": f'"{device_id(rng)[:18]}"',
        "deviceId": device_id(rng), "serialNumber": serial, "status": "ACTIVE",
        "lastSync": last_sync, "annotatedUser": "", "annotatedLocation": "",
        "annotatedAssetId": "", "notes": "", "model": model, "osVersion": os_version,
        "platformVersion": platform_version, "firmwareVersion": "Google_Firmware.15194.0.0",
        "macAddress": _mac(rng).lower(), "bootMode": "Verified", "lastEnrollmentTime": enrolled,
        "firstEnrollmentTime": enrolled, "orgUnitPath": org_unit_path, "orgUnitId": org_unit_id,
        "autoUpdateExpiration": _epoch_ms(auto_update_through),
        "autoUpdateThrough": f"{auto_update_through}T00:00:00Z",
        "extendedSupportEligible": False, "osVersionCompliance": "compliant",
        "chromeOsType": "chromeOs", "deviceLicenseType": "education", "willAutoRenew": False,
        "recentUsers": [{"type": "USER_TYPE_MANAGED", "email": recent_user}] if recent_user else [],
        "activeTimeRanges": [{"date": enrolled[:10], "activeTime": rng.randrange(600_000, 20_000_000)}],  # noqa: E501
        "lastKnownNetwork": [{"ipAddress": "198.18.44.10", "wanIpAddress": "198.18.0.1"}],
        "osUpdateStatus": {"state": "updateStateNotStarted", "updateTime": last_sync,
                           "updateCheckTime": last_sync, "rebootTime": last_sync},
    }  # fmt: skip
    record.update(overrides)
    return record
