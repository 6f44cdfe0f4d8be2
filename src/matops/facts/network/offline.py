"""Network facts from saved files (offline mode).

Layout under the configs folder (by default ``<trust>/backups``)::

    <school>/<device>.cfg            running config (the network module's backups)
    <school>/<device>.startup.cfg    startup config (optional: for the "config saved" check)
    <school>/<device>.version.txt    ``show version`` output (optional: for the firmware check)

A missing optional file makes the checks that need it "not assessed", not failures. A file that
is there but is not a whole configuration of the switch's platform (empty, blank, binary, cut off,
another platform's; :mod:`matops.facts.network.validate`) is refused before anything is judged:
every check that needs it gives one ``error`` naming the file, its size and what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from matops.facts.model import Fact, FactError, FactUnavailableError, Subject, make_evidence
from matops.facts.network.parse import parse_config, parse_show_version
from matops.facts.network.validate import (
    InvalidConfigError,
    check_config,
    check_output,
    no_startup_config,
)
from matops.inventory.model import Target
from matops.platforms import CONFIG_READERS

RemediationSource = Callable[[Target, str], list[str]]
"""(target, running config text) → remediation lines to reach the trust template."""

_FILES = {
    "running_config": ".cfg",
    "startup_config": ".startup.cfg",
    "software_version": ".version.txt",
}
_NETWORK_KINDS = frozenset({"switch", "access_point", "firewall"})


def fact_value(name: str, target: Target, text: str, remediation: RemediationSource | None) -> Any:
    """Turn one saved or live device output into the value of fact ``name`` (ValueError when
    it cannot be parsed). Shared by the offline and the live provider, so both judge alike."""
    if name == "software_version":
        return parse_show_version(target.platform, text)
    if name == "config_remediation" and remediation is not None:
        return remediation(target, text)
    if name == "startup_config" and no_startup_config(text):
        return None  # the switch says it has never been saved
    return parse_config(target.platform, text)


def validated(fact: str, platform: str, data: bytes | str, source: str) -> str:
    """The text of one saved or live output of ``fact`` once it is known to be whole (a config of
    ``platform``, or a non-empty text output); :class:`FactError` naming ``source``, the size and
    what is wrong otherwise. Shared by the offline and the live provider.

    >>> validated("running_config", "cisco_ios", b"", "oak/oak-sw01.cfg")
    Traceback (most recent call last):
    ...
    matops.facts.model.FactError: refusing oak/oak-sw01.cfg (0 bytes): empty
    """
    try:
        if fact == "software_version":
            return check_output(data, source)
        if fact == "startup_config":
            text = check_output(data, source)
            if no_startup_config(text):
                return text
        return check_config(platform, data, source)
    except InvalidConfigError as exc:
        raise FactError(f"refusing {exc}") from None


def network_facts(subject: Subject, facts: Iterable[str], remediation: bool) -> frozenset[str]:
    """The facts a network provider gives ``subject``: none unless it is a network target whose
    platform has a parser; then ``facts``, plus ``config_remediation`` when ``remediation``."""
    target = subject.target
    if target is None or target.kind not in _NETWORK_KINDS:
        return frozenset()
    if target.platform not in CONFIG_READERS:
        return frozenset()
    extra = {"config_remediation"} if remediation else set()
    return frozenset(facts) | extra


class OfflineNetworkProvider:
    """Reads saved configs and ``show version`` outputs for network targets."""

    def __init__(self, configs: Path, remediation: RemediationSource | None = None):
        self._configs = configs
        self._remediation = remediation

    def path(self, target: Target, fact: str) -> Path:
        """Where the file for ``fact`` of ``target`` is expected."""
        return self._configs / target.school / f"{target.name}{_FILES[fact]}"

    def provides(self, subject: Subject) -> frozenset[str]:
        """Config facts for network targets whose platform has a parser."""
        return network_facts(subject, _FILES, bool(self._remediation))

    def _read(self, target: Target, fact: str) -> tuple[Path, str]:
        path = self.path(target, fact)
        if not path.is_file():
            raise FactUnavailableError(f"no saved file {path}")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FactError(f"cannot read {path}: {exc.strerror}") from exc
        return path, validated(fact, target.platform, data, str(path))

    def collect(self, name: str, subject: Subject) -> Fact:
        """Read and parse one saved file."""
        target = subject.target
        if target is None or name not in self.provides(subject):
            raise FactUnavailableError(f"{name} is not available offline for {subject.name}")
        fact = "running_config" if name == "config_remediation" else name
        path, text = self._read(target, fact)
        try:
            value = fact_value(name, target, text, self._remediation)
        except ValueError as exc:
            raise FactError(f"cannot parse {path}: {exc}") from exc
        return Fact(name=name, value=value, evidence=make_evidence(f"file:{path}", text))
