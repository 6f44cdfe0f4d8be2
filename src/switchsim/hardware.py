"""Switch models the simulator knows: ports, software, serial numbers.

Example:
    >>> hw = lookup("cisco_ios", "C9200L-48P-4G", "sw1")
    >>> hw.ports[0], hw.ports[-1], hw.version
    ('GigabitEthernet1/0/1', 'GigabitEthernet1/1/4', '17.09.04a')
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

PLATFORMS = ("cisco_ios", "aruba_aoscx")


@dataclass(frozen=True)
class Hardware:
    """One simulated chassis: identity, front-panel ports and running software."""

    platform: str
    model: str
    description: str
    family: str
    ports: tuple[str, ...]
    mgmt_port: str | None
    version: str
    image: str
    serial: str
    mac: str


def _range(prefix: str, first: int, last: int) -> list[str]:
    """Interface names ``prefix<first>`` … ``prefix<last>``."""
    return [f"{prefix}{n}" for n in range(first, last + 1)]


def _digest(*parts: str) -> bytes:
    """Stable bytes derived from ``parts`` (serials and MACs survive restarts)."""
    return hashlib.sha256("/".join(parts).encode()).digest()


def _serial(prefix: str, seed: bytes) -> str:
    """A serial number such as ``FOC2148X1AB``."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    tail = "".join(alphabet[b % len(alphabet)] for b in seed[4:8])
    return f"{prefix}{20 + seed[0] % 8}{10 + seed[1] % 40}{tail}"


def _mac(oui: str, seed: bytes) -> str:
    """A MAC address under ``oui`` (``aa:bb:cc``)."""
    return oui + "".join(f":{b:02x}" for b in seed[8:11])


def _ios_ports(model: str) -> tuple[str, list[str], str | None]:
    """Return (family, ports, management port) for a Cisco model number."""
    upper = model.upper()
    count = int(m.group(1)) if (m := re.search(r"-(8|12|16|24|48)", upper)) else 48
    if "9200" in upper or "9300" in upper:
        uplink = "GigabitEthernet1/1/" if upper.endswith("-4G") else "TenGigabitEthernet1/1/"
        ports = _range("GigabitEthernet1/0/", 1, count) + _range(uplink, 1, 4)
        return "c9200", ports, "GigabitEthernet0/0"
    if "C1000" in upper:
        ports = _range("GigabitEthernet1/0/", 1, count)
        if upper.endswith(("-4X", "-4X-L")):
            ports += _range("TenGigabitEthernet1/0/", 1, 4)
        else:
            ports += _range("GigabitEthernet1/0/", count + 1, count + 4)
        return "c1000", ports, None
    if "2960X" in upper or "2960-X" in upper:
        ports = _range("GigabitEthernet1/0/", 1, count)
        if re.search(r"\d+[A-Z]*D(-|$)", upper):
            ports += _range("TenGigabitEthernet1/0/", 1, 2)
        else:
            ports += _range("GigabitEthernet1/0/", count + 1, count + 4)
        return "c2960x", ports, "FastEthernet0"
    ports = _range("FastEthernet0/", 1, count) + _range("GigabitEthernet0/", 1, 2)
    return "c2960", ports, None


_IOS_SOFTWARE = {
    "c9200": ("17.09.04a", "CAT9K_LITE_IOSXE", "JAE"),
    "c2960x": ("15.2(7)E3", "C2960X-UNIVERSALK9-M", "FOC"),
    "c2960": ("15.0(2)SE11", "C2960-LANBASEK9-M", "FOC"),
    "c1000": ("15.2(7)E7", "C1000-UNIVERSALK9-M", "FOC"),
}

_CX_MODELS = {
    "JL675A": "6100 48G Class4 PoE 4SFP+ 370W Switch",
    "JL676A": "6100 48G 4SFP+ Switch",
    "JL677A": "6100 24G Class4 PoE 4SFP+ 370W Switch",
    "JL678A": "6100 24G 4SFP+ Switch",
    "JL679A": "6100 12G Class4 PoE 2G/2SFP+ 139W Switch",
    "JL724A": "6200F 24G 4SFP+ Switch",
    "JL725A": "6200F 24G Class4 PoE 4SFP+ 370W Switch",
    "JL726A": "6200F 48G 4SFP+ Switch",
    "JL727A": "6200F 48G Class4 PoE 4SFP+ 740W Switch",
    "JL658A": "6300M 24SFP+ 4SFP56 Switch",
    "JL661A": "6300M 48G Class4 PoE 4SFP56 Switch",
    "JL662A": "6300M 48G 4SFP56 Switch",
    "JL664A": "6300M 24G Class4 PoE 4SFP56 Switch",
}
_CX_SOFTWARE = {"6100": "PL", "6200": "ML", "6300": "FL"}


def _cx_model(model: str) -> str:
    """Pick the AOS-CX product number for a name like ``JL675A`` or ``6100 48G PoE``."""
    upper = re.sub(r"[\s_-]+", " ", model.upper())
    for number in _CX_MODELS:
        if number in upper.replace(" ", ""):
            return number
    series = next((s for s in _CX_SOFTWARE if s in upper), "6100")
    count = m.group(1) if (m := re.search(r"\b(12|24|48) ?G", upper)) else "24"
    poe = "POE" in upper or "CL4" in upper or not re.search(r"\bG\b|NON", upper)
    for number, text in _CX_MODELS.items():
        text_upper = text.upper()
        if series in text_upper and f" {count}G " in text_upper and ("POE" in text_upper) == poe:
            return number
    return "JL677A"


def _cx_hardware(model: str, hostname: str) -> Hardware:
    """Build an AOS-CX 6100/6200/6300 chassis (the 6300 has an out-of-band ``mgmt`` port)."""
    number = _cx_model(model)
    description = _CX_MODELS[number]
    count = int(re.match(r"\S+ (\d+)", description).group(1))  # type: ignore[union-attr]
    family = description[:4]
    seed = _digest(hostname, number)
    return Hardware(
        platform="aruba_aoscx",
        model=number,
        description=description,
        family=family,
        ports=tuple(_range("1/1/", 1, count + 4)),
        mgmt_port="mgmt" if family == "6300" else None,
        version=_CX_SOFTWARE[family] + ".10.13.1005",
        image=f"ArubaOS-CX_{family}",
        serial=_serial("SG", seed),
        mac=_mac("88:3a:30", seed),
    )


def lookup(platform: str, model: str, hostname: str) -> Hardware:
    """Return the chassis for ``platform`` and a model name (unknown names get a close match)."""
    if platform == "aruba_aoscx":
        return _cx_hardware(model, hostname)
    if platform != "cisco_ios":
        raise ValueError(f"unknown platform {platform!r}; choose one of {', '.join(PLATFORMS)}")
    canonical = model.upper()
    if canonical in {"C2960X", "2960X", "WS-C2960X"}:
        canonical = "WS-C2960X-48FPD-L"
    if "2960" in canonical and not canonical.startswith("WS-"):
        canonical = "WS-" + canonical
    family, ports, mgmt = _ios_ports(canonical)
    version, image, prefix = _IOS_SOFTWARE[family]
    seed = _digest(hostname, canonical)
    return Hardware(
        platform="cisco_ios",
        model=canonical,
        description=canonical,
        family=family,
        ports=tuple(ports),
        mgmt_port=mgmt,
        version=version,
        image=image,
        serial=_serial(prefix, seed),
        mac=_mac("70:18:a7", seed),
    )
