"""How simulated switches store secrets, the way the real ones do.

- Cisco type 7: the reversible XOR encoding ``service password-encryption`` applies.
- Cisco type 9: scrypt with a 14-character salt, shown as ``$9$salt$hash``.
- AOS-CX: ``ciphertext`` blobs (opaque base64; the simulator never needs to decrypt them).
"""

from __future__ import annotations

import base64
import hashlib
import secrets

_XLAT = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"
_CISCO_B64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_STD_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def type7_encode(plain: str, seed: int | None = None) -> str:
    """Encode ``plain`` as a Cisco type 7 string.

    Example:
        >>> type7_encode("cisco", seed=2)
        '02050D480809'
    """
    if seed is None:
        seed = sum(plain.encode()) % 16
    out = [f"{seed:02d}"]
    for index, char in enumerate(plain):
        out.append(f"{ord(char) ^ ord(_XLAT[(seed + index) % len(_XLAT)]):02X}")
    return "".join(out)


def type7_decode(encoded: str) -> str:
    """Decode a Cisco type 7 string (what any auditor can do, hence "weak").

    Example:
        >>> type7_decode("02050D480809")
        'cisco'
    """
    seed = int(encoded[:2])
    data = bytes.fromhex(encoded[2:])
    return "".join(chr(b ^ ord(_XLAT[(seed + i) % len(_XLAT)])) for i, b in enumerate(data))


def _cisco_b64(raw: bytes) -> str:
    """Base64 with Cisco's crypt alphabet and no padding."""
    std = base64.b64encode(raw).decode().rstrip("=")
    return std.translate(str.maketrans(_STD_B64, _CISCO_B64))


def type9_hash(plain: str, salt: str | None = None) -> str:
    """Hash ``plain`` the way IOS stores ``secret 9`` (scrypt N=16384, r=1, p=1).

    Example:
        >>> type9_hash("x", salt="abcdefghijklmn").startswith("$9$abcdefghijklmn$")
        True
    """
    if salt is None:
        salt = "".join(secrets.choice(_CISCO_B64) for _ in range(14))
    digest = hashlib.scrypt(plain.encode(), salt=salt.encode(), n=16384, r=1, p=1, dklen=32)
    return f"$9${salt}${_cisco_b64(digest)}"


def aoscx_ciphertext(plain: str) -> str:
    """Return an AOS-CX style ``ciphertext`` blob for ``plain`` (random, opaque).

    Example:
        >>> aoscx_ciphertext("x").startswith("AQBap")
        True
    """
    blob = secrets.token_bytes(16) + hashlib.sha256(plain.encode()).digest()
    return "AQBap" + base64.b64encode(blob).decode()
