"""Switch firmware is at or above the trust's minimum for the model."""

from __future__ import annotations

from matops.facts.network.model import SoftwareVersion
from matops.inventory.model import RefreshPolicy, TargetVars
from matops.scan.helpers import version_at_least
from matops.scan.verdict import Verdict, failed, not_applicable, passed


def judge(
    software_version: SoftwareVersion, target_info: TargetVars, refresh_policy: RefreshPolicy
) -> Verdict:
    """Compare ``show version`` with ``min_firmware`` for the inventory model."""
    model = target_info.model or software_version.model
    if model is None:
        return not_applicable("no model recorded for this switch")
    minimum = refresh_policy.min_firmware.get(model)
    if minimum is None:
        return not_applicable(f"the trust sets no minimum firmware for {model}")
    if not version_at_least(software_version.version, minimum):
        return failed(f"{model} runs {software_version.version}; minimum is {minimum}")
    return passed(f"{model} runs {software_version.version} (minimum {minimum})")
