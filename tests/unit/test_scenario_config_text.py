"""A scenario may give a switch config as the text a device prints (parsed by the real parser)."""

from __future__ import annotations

from pathlib import Path

from matops.facts.network.model import NetworkConfig
from matops.scan.catalogue import load_catalogue
from matops.scan.scenarios import load_scenario, run_scenario

CHECK = next(c for c in load_catalogue() if c.id == "switch_enable_secret_strong")


def _write(tmp_path: Path, name: str, running_config: str) -> Path:
    path = tmp_path / name
    path.write_text(f"description: raw config text\nfacts:\n  running_config:\n{running_config}")
    return path


def test_text_is_parsed_by_the_real_parser(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "scrypt.pass.yml",
        "    platform: cisco_ios\n    text: |\n"
        "      enable algorithm-type scrypt secret 9 $9$abc$def\n      end\n",
    )
    scenario, problems = load_scenario(CHECK, path)
    assert problems == [] and scenario is not None
    config = scenario.facts["running_config"]
    assert isinstance(config, NetworkConfig) and config.enable_secret_type == "9"
    assert run_scenario(CHECK, scenario).status.value == "pass"


def test_typed_form_still_works(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "typed.fail.yml", "    {platform: cisco_ios, enable_secret_type: '5'}\n"
    )
    scenario, problems = load_scenario(CHECK, path)
    assert problems == [] and scenario is not None
    assert run_scenario(CHECK, scenario).status.value == "fail"


def test_unknown_platform_is_a_problem_with_its_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "odd.fail.yml", "    platform: junos\n    text: 'set system host-name a'\n"
    )
    scenario, problems = load_scenario(CHECK, path)
    assert scenario is None and len(problems) == 1
    assert problems[0].line == 3 and "junos" in problems[0].message
