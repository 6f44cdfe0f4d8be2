"""Saved configs that are not whole are refused before judging, offline and live alike."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from matops.cli import app
from matops.facts.model import FactError, Subject
from matops.facts.network.live import LiveNetworkProvider, Outputs
from matops.facts.network.offline import fact_value, validated
from matops.facts.network.validate import InvalidConfigError, check_config, problem
from matops.inventory.model import Target, TargetVars

REPO = Path(__file__).resolve().parents[2]
CONFIGS = REPO / "tests" / "fixtures" / "configs"
CORPUS = REPO / "tests" / "fixtures" / "real-world"
IOS = (CONFIGS / "ios_hardened.cfg").read_text()
AOSCX = (CONFIGS / "aoscx_hardened.cfg").read_text()
SWITCHES = {
    "cisco_ios": ("oakfield-primary", "oak-sw01"),
    "aruba_aoscx": ("riverside-academy", "riv-core01"),
}


def _cut_ios(text: str) -> str:
    return text[: text.index("line vty")]


def _cut_banner(text: str) -> str:
    start = text.index("banner motd")
    return text[: start + len("banner motd !\nMini Test")]


BAD: dict[str, tuple[str, bytes, str]] = {
    "empty": ("cisco_ios", b"", "empty"),
    "whitespace": ("aruba_aoscx", b" \n\t\n\n", "empty (only whitespace)"),
    "nul bytes": ("cisco_ios", IOS.encode()[:200] + b"\x00\x00\x17\x89" * 50, "binary data"),
    "not utf-8": ("aruba_aoscx", AOSCX.encode()[:300] + b"\xff\xfe\xc3(", "not UTF-8 text"),
    "ios cut off": ("cisco_ios", _cut_ios(IOS).encode(), "no closing 'end' line"),
    "aoscx cut at its start": ("aruba_aoscx", AOSCX.split("hostname", 1)[1].encode(), "!Version"),
    "aoscx cut in its banner": ("aruba_aoscx", _cut_banner(AOSCX).encode(), "never closes"),
    "ios text for aoscx": ("aruba_aoscx", IOS.encode(), "a Cisco IOS configuration"),
    "aoscx text for ios": ("cisco_ios", AOSCX.encode(), "an AOS-CX configuration"),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_each_kind_of_bad_input_is_named(kind: str) -> None:
    platform, data, message = BAD[kind]
    with pytest.raises(InvalidConfigError) as raised:
        check_config(platform, data, "backups/x/sw.cfg")
    text = str(raised.value)
    assert text.startswith(f"backups/x/sw.cfg ({len(data)} bytes): ") and message in text
    assert "\x00" not in text and "\ufffd" not in text and "Mini Test" not in text


def test_whole_configs_of_every_source_are_accepted() -> None:
    """Fixtures, the lab's own and the real-world corpus: none is refused."""
    paths = [
        *CONFIGS.glob("*.cfg"),
        *(CORPUS / "ios").glob("*.cfg"),
        *(CORPUS / "aoscx").glob("*.cfg"),
    ]
    assert len(paths) > 30
    for path in paths:
        platform = "aruba_aoscx" if "aoscx" in path.parts[-2] + path.name else "cisco_ios"
        assert problem(platform, path.read_text(errors="replace")) is None, path


def test_startup_config_with_its_header_is_whole() -> None:
    assert problem("cisco_ios", "Using 60 out of 524288 bytes\n!\nhostname a\nend\n") is None


@pytest.fixture(scope="module")
def example_trust(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("trust") / "example-trust"
    shutil.copytree(REPO / "inventories" / "example-trust", root)
    return root


def _scan(root: Path, platform: str, data: bytes, out: Path) -> tuple[int, dict[str, Any], str]:
    school, device = SWITCHES[platform]
    backups = root / "backups"
    shutil.rmtree(backups, ignore_errors=True)
    (backups / school).mkdir(parents=True)
    (backups / school / f"{device}.cfg").write_bytes(data)
    (backups / school / f"{device}.startup.cfg").write_bytes(data)
    args = ["scan", str(root), "--offline", "--target", device, "--checks", "network"]
    result = CliRunner().invoke(app, [*args, "--output", str(out)], terminal_width=200)
    return result.exit_code, json.loads(out.read_text()), result.output


@pytest.mark.parametrize("kind", sorted(BAD))
def test_offline_scan_of_a_bad_backup_errors_and_exits_non_zero(
    kind: str, example_trust: Path, tmp_path: Path
) -> None:
    platform, data, message = BAD[kind]
    code, results, output = _scan(example_trust, platform, data, tmp_path / "r.json")
    device = SWITCHES[platform][1]
    findings = [f for f in results["findings"] if f["target"] == device]
    assert code != 0, output
    assert findings and {f["status"] for f in findings} == {"error"}
    for finding in findings:
        assert message in finding["detail"] and f"{device}.cfg" in finding["detail"]
        assert f"({len(data)} bytes)" in finding["detail"]


@pytest.mark.parametrize("platform", sorted(SWITCHES))
def test_offline_scan_of_a_whole_backup_judges_it(
    platform: str, example_trust: Path, tmp_path: Path
) -> None:
    """The same scan with a whole config gives verdicts, not errors (so the test above can fail)."""
    data = (IOS if platform == "cisco_ios" else AOSCX).encode()
    _, results, _ = _scan(example_trust, platform, data, tmp_path / "r.json")
    device = SWITCHES[platform][1]
    statuses = {f["status"] for f in results["findings"] if f["target"] == device}
    assert statuses and "error" not in statuses and "pass" in statuses


class _SavedOutputs(LiveNetworkProvider):
    """The live provider with the outputs a switch gave (no SSH): the real parse path after it."""

    def __init__(self, texts: dict[str, str]) -> None:
        super().__init__(settings=lambda target: None)  # type: ignore[arg-type,return-value]
        self.texts = texts

    def _read(self, target: Target) -> Outputs:  # type: ignore[override]
        return Outputs(target.name, target.school, self.texts)


def _live_switch() -> Subject:
    target = Target(
        name="sw1",
        kind="switch",
        school="oak",
        vars=TargetVars(ansible_host="198.18.10.2", platform="cisco_ios"),
    )
    return Subject.of_target(target)


def test_live_outputs_are_validated_like_saved_files() -> None:
    cut = _cut_ios(IOS)
    provider = _SavedOutputs({"running_config": cut, "startup_config": IOS, "software_version": ""})
    subject = _live_switch()
    with pytest.raises(FactError) as raised:
        provider.collect("running_config", subject)
    size = len(cut.encode())
    assert str(raised.value) == (
        f"refusing sw1: show running-config ({size} bytes): no closing 'end' line: the "
        "configuration is cut off (IOS ends every configuration with 'end')"
    )
    assert provider.collect("startup_config", subject).value.hostname == "alpha-sw01"
    with pytest.raises(FactError, match=r"show version \(0 bytes\): empty"):
        provider.collect("software_version", subject)


@pytest.mark.parametrize(
    ("platform", "answer"),
    [
        ("cisco_ios", "startup-config is not present\n"),
        ("aruba_aoscx", "No startup-config present"),
    ],
)
def test_a_switch_that_was_never_saved_is_a_fact_not_a_cut_off_config(
    platform: str, answer: str, tmp_path: Path
) -> None:
    """'show startup-config' on a never-saved switch is observed (no saved config): the config
    saved check fails on it; anything else short is still refused as a cut-off config."""
    target = Target(
        name="sw",
        kind="switch",
        school="oak",
        vars=TargetVars(ansible_host="198.18.10.2", platform=platform),
    )
    assert validated("startup_config", platform, answer.encode(), "sw.startup.cfg") == answer
    assert fact_value("startup_config", target, answer, None) is None
    with pytest.raises(FactError, match=r"cut off|not the start"):
        validated("startup_config", platform, b"hostname sw\n", "sw.startup.cfg")
    with pytest.raises(FactError, match="empty"):
        validated("startup_config", platform, b"", "sw.startup.cfg")
