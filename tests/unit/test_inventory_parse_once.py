"""One trust load parses each YAML file of the trust once (issue #19: a school's scan job used to
parse the whole trust twice, once for the model and again for the plaintext-secret warnings)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from matops.inventory import Severity, load
from matops.inventory.secrets import plaintext_secret_warnings
from matops.source import yamlsrc
from tests.conftest import EXAMPLE_TRUST


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every text given to the YAML parser from now on (load_yaml_file parses through it)."""
    parsed: Counter[str] = Counter()
    real = yamlsrc.load_yaml_text

    def counting(text: str) -> Any:
        parsed[text] += 1
        return real(text)

    monkeypatch.setattr(yamlsrc, "load_yaml_text", counting)
    return parsed


def test_each_file_of_the_example_trust_is_parsed_once_per_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = sorted(EXAMPLE_TRUST.rglob("*.y*ml"))
    assert len(files) >= 10  # schools, group_vars, waivers, attestations, prices, ...
    expected = Counter(p.read_text(encoding="utf-8") for p in files)
    parsed = _count_parses(monkeypatch)

    result = load(EXAMPLE_TRUST)

    assert result.trust is not None
    assert parsed == expected


def test_warnings_from_parsed_documents_match_a_fresh_parse(mini_trust: Path) -> None:
    """The warnings a load gives (from the documents its model was built from) are the ones a
    separate parse of every file gives, with the same file and line, in the same order."""
    settings = mini_trust / "group_vars" / "all.yml"  # read by the loader for the model
    settings.write_text(settings.read_text() + "snmp_community: public\n")
    linux = mini_trust / "group_vars" / "linux.yml"  # read only for the warnings
    linux.write_text("---\nradius_password: hunter2\nntp_key: '{{ vault_ntp_key }}'\n")
    vaulted = mini_trust / "group_vars" / "secrets.yml"  # wholly encrypted: skipped
    vaulted.write_text("$ANSIBLE_VAULT;1.1;AES256\n6162636465\n")

    warnings = [p for p in load(mini_trust).problems if p.severity is Severity.WARNING]

    assert warnings == sorted(plaintext_secret_warnings(mini_trust))
    assert [(p.path.name, p.line) for p in warnings] == [
        ("all.yml", len(settings.read_text().splitlines())),
        ("linux.yml", 2),
    ]
