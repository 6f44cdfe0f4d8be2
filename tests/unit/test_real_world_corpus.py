"""The real-world corpus: switch configs nobody on the team wrote, every network verdict asserted.

Each config under ``tests/fixtures/real-world/<platform dir>/`` is parsed with the real parser and
judged by every network check of the real catalogue that a saved running config can feed. The
expected verdicts in ``expected/<name>.yml`` were set by reading the config line by line against
each check (never by running matops); the reason is written beside each one.

A disagreement that is matops' fault, not the expectation's, is listed in ``KNOWN_PARSER_GAPS``:
that verdict is then an ``xfail(strict=True)``, so the test fails as soon as the gap is fixed and
the entry must be removed.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from matops.facts.catalogue import FACTS
from matops.facts.network.model import NetworkConfig
from matops.facts.network.parse import parse_config
from matops.scan.catalogue import Check, load_catalogue
from matops.scan.meta import Area
from matops.scan.verdict import JudgeStatus, Verdict

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "real-world"
PLATFORM_DIRS = {"ios": "cisco_ios", "aoscx": "aruba_aoscx"}
"""Folder under the corpus → netmiko platform of the configs in it."""

EXCLUDED_CHECKS = {
    "switch_config_saved": "needs the startup config as well; a saved running config is one file",
    "switch_firmware_minimum": "needs 'show version'; a saved running config does not say it",
    "switch_config_matches_template": "needs the trust template's remediation for a live target",
}
"""Network checks a saved running config and the trust context cannot feed, and why."""

OPEN_LICENCES = {
    "Apache-2.0",
    "MIT",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "GPL-3.0-only",
    "GPL-2.0-only",
}
"""SPDX ids of the licences a corpus file may come under (a repository with none is not used)."""

WHOLE_CONFIG = "*"
"""Check ID of a gap that spoils every verdict of a config (the parse itself fails)."""

KNOWN_PARSER_GAPS: dict[tuple[str, str], str] = {
    # AOS-CX (expectations and reasons by the corpus-aoscx helper; see expected/*.yml)
    ("aoscx/oxidized-6100-pl10.10.cfg", "switch_named_local_admins"): (
        "no 'user' line: the built-in admin account (factory name, no password) is not seen"
    ),
    ("aoscx/oxidized-6100-pl10.10.cfg", "switch_no_weak_password_storage"): (
        "no 'user admin … password' line: the built-in admin has no password at all (the AOS-CX "
        "form of IOS 'nopassword'), yet 'every stored password is hashed' passes"
    ),
}
"""(config file, check ID or ``WHOLE_CONFIG``) → why matops is wrong there (the expectation is
right, with the deciding config line). Each one is an ``xfail(strict=True)``: fixing the gap makes
the test fail until the entry is removed."""


def gap(config: str, check_id: str) -> str | None:
    """The known gap that covers this verdict, if any."""
    return KNOWN_PARSER_GAPS.get((config, check_id)) or KNOWN_PARSER_GAPS.get(
        (config, WHOLE_CONFIG)
    )


MIN_CONFIGS = {"total": 30, "cisco_ios": 20, "aruba_aoscx": 5}

CATALOGUE = load_catalogue()
NETWORK_CHECKS = [c for c in CATALOGUE if c.meta.area is Area.NETWORK]
JUDGED = [c for c in NETWORK_CHECKS if c.id not in EXCLUDED_CHECKS]
STATUSES = {s.value for s in JudgeStatus}


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def config_files() -> list[str]:
    """Every config of the corpus, as ``<dir>/<name>.cfg`` relative to the corpus root."""
    return sorted(
        f"{folder}/{path.name}"
        for folder in PLATFORM_DIRS
        for path in (ROOT / folder).glob("*.cfg")
        if (ROOT / folder).is_dir()
    )


def expected_path(config: str) -> Path:
    """``ios/x.cfg`` → ``expected/x.yml``."""
    return ROOT / "expected" / f"{Path(config).stem}.yml"


@cache
def expectation(config: str) -> dict[str, Any]:
    """The expected file of ``config`` (platform, optional context, verdicts)."""
    data = _load(expected_path(config))
    assert isinstance(data, dict), f"{expected_path(config)}: not a mapping"
    return data


@cache
def parsed(config: str) -> NetworkConfig:
    """The config parsed by matops' real parser for the platform of its folder."""
    platform = PLATFORM_DIRS[config.split("/", 1)[0]]
    text = (ROOT / config).read_text(encoding="utf-8", errors="strict")
    return parse_config(platform, text)


@cache
def facts(config: str) -> dict[str, Any]:
    """Every fact a judged check needs: the parsed config and the (overridden) trust context."""
    platform = PLATFORM_DIRS[config.split("/", 1)[0]]
    raw: dict[str, Any] = dict(_load(ROOT / "context.yml"))
    raw.update(expectation(config).get("context") or {})
    raw["target_info"] = {**raw["target_info"], "platform": platform}
    typed = {name: FACTS[name].adapter().validate_python(value) for name, value in raw.items()}
    typed["running_config"] = parsed(config)
    return typed


def judge(check: Check, config: str) -> Verdict:
    """The verdict of ``check`` on ``config``."""
    available = facts(config)
    return check.judge(**{name: available[name] for name in check.meta.facts})


def test_every_network_check_is_judged_or_excluded_by_name() -> None:
    needs = {c.id: set(c.meta.facts) - {"running_config"} for c in JUDGED}
    context = set(_load(ROOT / "context.yml"))
    assert {cid: sorted(n - context) for cid, n in needs.items() if n - context} == {}
    assert set(EXCLUDED_CHECKS) <= {c.id for c in NETWORK_CHECKS}, "excluded check not in catalogue"


def test_sources_list_every_config_and_every_config_has_expectations() -> None:
    sources = _load(ROOT / "SOURCES.yml")
    assert isinstance(sources, list)
    listed = [entry["file"] for entry in sources]
    assert sorted(listed) == config_files(), "SOURCES.yml and the config files differ"
    assert len(set(listed)) == len(listed), "a file is listed twice in SOURCES.yml"
    for entry in sources:
        where = f"SOURCES.yml {entry.get('file')}"
        assert re.fullmatch(r"[0-9a-f]{40}", str(entry["commit"])), f"{where}: commit"
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", entry["repository"]), f"{where}: repository"
        assert entry["path"], f"{where}: path"
        assert entry["licence"] in OPEN_LICENCES, (
            f"{where}: {entry['licence']!r} is not an open licence"
        )
        assert entry["platform"] == PLATFORM_DIRS[entry["file"].split("/")[0]], f"{where}"
    expected = sorted(p.stem for p in (ROOT / "expected").glob("*.yml"))
    assert expected == sorted(Path(c).stem for c in config_files()), "expected/ and configs differ"


def test_corpus_is_large_enough() -> None:
    configs = config_files()
    counts = {"total": len(configs)}
    for folder, platform in PLATFORM_DIRS.items():
        counts[platform] = sum(1 for c in configs if c.startswith(f"{folder}/"))
    short = {k: f"{counts[k]} < {n}" for k, n in MIN_CONFIGS.items() if counts[k] < n}
    assert not short, f"corpus too small: {short}"


def test_known_gaps_name_real_expectations() -> None:
    for (config, check_id), reason in KNOWN_PARSER_GAPS.items():
        assert reason.strip(), f"{config} {check_id}: give the reason"
        known = {WHOLE_CONFIG, *expectation(config)["verdicts"]}
        assert check_id in known, f"{config} {check_id}: no such expected verdict"


@pytest.mark.parametrize("config", config_files())
def test_expectations_cover_every_judged_check(config: str) -> None:
    data = expectation(config)
    assert data.get("platform") == PLATFORM_DIRS[config.split("/")[0]], f"{config}: platform"
    verdicts = data.get("verdicts") or {}
    assert sorted(verdicts) == sorted(c.id for c in JUDGED), (
        f"{config}: missing {sorted({c.id for c in JUDGED} - set(verdicts))}, "
        f"unknown or excluded {sorted(set(verdicts) - {c.id for c in JUDGED})}"
    )
    for check_id, verdict in verdicts.items():
        assert verdict.get("status") in STATUSES, f"{config} {check_id}: status"
        assert str(verdict.get("why", "")).strip(), f"{config} {check_id}: say why"


def _config_cases() -> list[Any]:
    return [
        pytest.param(config, marks=[pytest.mark.xfail(strict=True, reason=reason)])
        if (reason := KNOWN_PARSER_GAPS.get((config, WHOLE_CONFIG)))
        else config
        for config in config_files()
    ]


@pytest.mark.parametrize("config", _config_cases())
def test_valid_config_parses_and_never_errors(config: str) -> None:
    parsed(config)
    errors = {
        check.id: verdict.detail
        for check in JUDGED
        if not gap(config, check.id)
        and (verdict := judge(check, config)).status is JudgeStatus.ERROR
    }
    assert not errors, f"{config}: a valid config gave error: {errors}"


def _verdict_cases() -> list[Any]:
    cases = []
    for config in config_files():
        if not expected_path(config).is_file():
            continue
        for check_id in sorted(expectation(config).get("verdicts") or {}):
            reason = gap(config, check_id)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(config, check_id, id=f"{config}::{check_id}", marks=marks))
    return cases


@pytest.mark.parametrize(("config", "check_id"), _verdict_cases())
def test_verdict(config: str, check_id: str) -> None:
    wanted = expectation(config)["verdicts"][check_id]
    verdict = judge(CATALOGUE.get(check_id), config)
    assert verdict.status.value == wanted["status"], (
        f"{config} {check_id}: expected {wanted['status']} ({wanted['why']}), "
        f"got {verdict.status.value}: {verdict.detail}"
    )
