"""Local passwords must be at least 12 characters (pam_pwquality), and can be set at all."""

from __future__ import annotations

from matops.facts.linux.model import PamModule
from matops.scan.verdict import Verdict, errored, failed, passed

MINIMUM = 12


def judge(pwquality: PamModule) -> Verdict:
    """Pass when pam_pwquality is in the password stack with minlen of at least 12 and, when it
    checks passwords against a dictionary (``dictcheck``, on by default), that dictionary exists:
    without it every password change is refused, so no minimum is really in force."""
    if not pwquality.in_pam_stack:
        return failed("pam_pwquality is not in the PAM password stack")
    minlen = int(pwquality.settings.get("minlen", "8") or 0)
    if minlen < MINIMUM:
        return failed(f"minlen = {minlen}; at least {MINIMUM}")
    dictcheck = pwquality.settings.get("dictcheck", "1").strip()
    if not dictcheck.lstrip("-").isdigit():
        return errored(f"dictcheck = {dictcheck!r} is not a number")
    if int(dictcheck) != 0:
        if pwquality.dictionary_found is None:
            return errored("dictcheck is on but the dictionary was not looked for")
        if not pwquality.dictionary_found:
            return failed(
                f"dictcheck is on but the dictionary {pwquality.dictionary} is missing: "
                "pam_pwquality refuses every new password (install cracklib-runtime)"
            )
        return passed(f"minimum password length {minlen}; dictionary {pwquality.dictionary}")
    return passed(f"minimum password length {minlen}; no dictionary check")
