"""Local passwords are stored with a slow, salted hash (login.defs: yescrypt, or SHA-512 with
many rounds)."""

from __future__ import annotations

from matops.facts.linux.model import LoginDefs
from matops.scan.verdict import Verdict, errored, failed, passed

SHA512_MIN_ROUNDS = 65536
YESCRYPT_MIN_COST = 5


def _number(login_defs: LoginDefs, key: str) -> int | None:
    value = login_defs.get(key)
    return int(value) if value is not None and value.isdigit() else None


def judge(login_defs: LoginDefs) -> Verdict:
    """Pass for ENCRYPT_METHOD YESCRYPT (cost factor 5 or more; 5 when unset) or SHA512 with
    at least 65,536 rounds (SHA_CRYPT_MIN_ROUNDS, or MAX_ROUNDS alone); fail for anything else
    (DES when unset, MD5, SHA256, SHA-512 at its default 5,000 rounds)."""
    method = login_defs.get("ENCRYPT_METHOD", "").upper()
    for key in ("YESCRYPT_COST_FACTOR", "SHA_CRYPT_MIN_ROUNDS", "SHA_CRYPT_MAX_ROUNDS"):
        if key in login_defs and _number(login_defs, key) is None:
            return errored(f"{key} {login_defs[key]!r} in /etc/login.defs is not a number")
    if method == "YESCRYPT":
        cost = _number(login_defs, "YESCRYPT_COST_FACTOR") or YESCRYPT_MIN_COST
        if cost < YESCRYPT_MIN_COST:
            return failed(f"yescrypt cost factor {cost}; at least {YESCRYPT_MIN_COST}")
        return passed(f"ENCRYPT_METHOD YESCRYPT, cost factor {cost}")
    if method == "SHA512":
        minimum = _number(login_defs, "SHA_CRYPT_MIN_ROUNDS")
        rounds = minimum if minimum is not None else _number(login_defs, "SHA_CRYPT_MAX_ROUNDS")
        if rounds is None or rounds < SHA512_MIN_ROUNDS:
            shown = "the default 5000" if rounds is None else str(rounds)
            return failed(f"SHA-512 with {shown} rounds; at least {SHA512_MIN_ROUNDS}")
        return passed(f"ENCRYPT_METHOD SHA512, {rounds} rounds")
    return failed(f"ENCRYPT_METHOD {method or 'unset (DES)'}: use YESCRYPT or SHA512")
