"""The catalogue loader fails loudly, with file and line, on inconsistent checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from matops.scan.catalogue import CatalogueError, default_root, load_catalogue

REAL = default_root()
GOOD = "switch_telnet_disabled"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A catalogue with one good check copied from the real one."""
    target = tmp_path / "checks" / "network" / GOOD
    shutil.copytree(REAL / "network" / GOOD, target)
    return tmp_path / "checks"


def _messages(root: Path) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        load_catalogue(root)
    return [str(p) for p in info.value.problems]


def test_good_copy_loads(root: Path) -> None:
    assert list(load_catalogue(root).checks) == [GOOD]


def test_folder_must_match_metadata_id(root: Path) -> None:
    folder = root / "network" / GOOD
    renamed = folder.with_name("switch_telnet_off")
    folder.rename(renamed)
    for path in renamed.glob(f"{GOOD}.*"):
        path.rename(renamed / path.name.replace(GOOD, "switch_telnet_off"))
    (messages,) = [_messages(root)]
    assert any(
        "metadata id 'switch_telnet_disabled' != folder 'switch_telnet_off'" in m for m in messages
    )


def test_missing_module_is_named(root: Path) -> None:
    (root / "network" / GOOD / f"{GOOD}.py").unlink()
    assert any(f"missing {GOOD}.py" in m for m in _messages(root))


def test_judge_parameters_must_be_the_metadata_facts(root: Path) -> None:
    module = root / "network" / GOOD / f"{GOOD}.py"
    module.write_text(module.read_text().replace("judge(running_config:", "judge(startup_config:"))
    assert any("do not match metadata facts" in m for m in _messages(root))


def test_judge_annotation_must_be_the_fact_type(root: Path) -> None:
    module = root / "network" / GOOD / f"{GOOD}.py"
    module.write_text(
        module.read_text().replace("running_config: NetworkConfig", "running_config: str")
    )
    assert any("fact type is" in m for m in _messages(root))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("severity: high", "severity: severe", ":4: severity: Input should be 'critical'"),
        (
            "title: Telnet is disabled",
            "title: Check telnet is disabled",
            "title must state the compliant state",
        ),
        ("facts: [running_config]", "facts: [running_conf]", "unknown facts ['running_conf']"),
        ("area: network", "area: host", "area 'host' but folder is under 'network'"),
        ("  network_template: management_access\n", "  manual: ''\n", "remediation"),
    ],
)
def test_metadata_is_validated(root: Path, old: str, new: str, expected: str) -> None:
    meta = root / "network" / GOOD / f"{GOOD}.yml"
    assert old in meta.read_text()
    meta.write_text(meta.read_text().replace(old, new))
    assert any(expected in m for m in _messages(root)), _messages(root)


def test_framework_number_ids_are_refused(tmp_path: Path) -> None:
    from pydantic import ValidationError

    from matops.scan.meta import CheckMeta

    meta = load_catalogue(REAL).get(GOOD).meta.model_dump(by_alias=True)
    with pytest.raises(ValidationError, match="framework number"):
        CheckMeta.model_validate({**meta, "id": "dfe_sw_03_1"})


def test_unknown_area_folder(root: Path) -> None:
    (root / "windows").mkdir()
    assert any("unknown area folder" in m for m in _messages(root))


def test_import_error_is_reported(root: Path) -> None:
    module = root / "network" / GOOD / f"{GOOD}.py"
    module.write_text("import does_not_exist\n")
    assert any("cannot import: ModuleNotFoundError" in m for m in _messages(root))
