"""The connection profile: built from the command line once, the only lab-or-trust decision.

Pure tests of :func:`build_profile` and of the shared typer options, plus the refusals a
command gives before it connects (a fake lab folder: no lab needs to run).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from matops.cli import app
from matops.commands.connection import (
    LabDirOption,
    LabOption,
    SshConfigOption,
    VaultOption,
    connection_profile,
)
from matops.connect.profile import ConnectionProfile, SwitchCredentials, build_profile
from matops.inventory import load_trust
from matops.lab.record import RECORD_FILE
from tests.conftest import EXAMPLE_TRUST

TRUST = Path("/trusts/meadowbrook")
LAB = Path("/var/lib/matops/lab")


def test_a_trust_profile_names_no_lab_file() -> None:
    env = {"MATOPS_LAB_DIR": str(LAB), "MATOPS_NET_USERNAME": "ops", "HOME": "/root"}
    profile = build_profile(TRUST, ssh_config=TRUST / "ssh_hosts.conf", environment=env)
    assert not profile.is_lab and profile.lab_dir is None
    assert profile.linux.ssh_config == TRUST / "ssh_hosts.conf"
    assert profile.linux.known_hosts is None and profile.linux.key is None
    assert profile.switches.credentials is SwitchCredentials.TRUST
    assert profile.switches.known_hosts == TRUST / "known_hosts"
    assert profile.secrets.lab_secrets_file is None
    assert profile.secrets.environment == {"MATOPS_NET_USERNAME": "ops"}
    assert str(LAB) not in profile.model_dump_json()


def test_switch_known_hosts_from_the_environment_for_a_trust() -> None:
    env = {"MATOPS_NET_KNOWN_HOSTS": "/etc/matops/switches.known_hosts"}
    profile = build_profile(TRUST, environment=env)
    assert profile.switches.known_hosts == Path("/etc/matops/switches.known_hosts")


def test_a_lab_profile_uses_the_lab_for_everything() -> None:
    vault = Path("/secure/vault-pass")
    profile = build_profile(TRUST, lab_dir=LAB, vault_password_file=vault)
    assert profile.is_lab
    assert profile.linux.ssh_config == LAB / "ssh_config"
    assert profile.linux.known_hosts == LAB / "known_hosts"
    assert profile.linux.key == LAB / "operator_ed25519"
    assert profile.linux.user == "matops"
    assert profile.switches.credentials is SwitchCredentials.LAB
    assert profile.switches.known_hosts == LAB / "known_hosts"
    assert profile.secrets.vault_password_file == vault
    assert profile.secrets.lab_secrets_file == LAB / "lab-secrets.yml"


def test_ssh_config_given_with_the_lab_replaces_only_the_ssh_config() -> None:
    profile = build_profile(TRUST, lab_dir=LAB, ssh_config=Path("/tmp/mine.conf"))
    assert profile.linux.ssh_config == Path("/tmp/mine.conf")
    assert profile.linux.known_hosts == LAB / "known_hosts"


def test_the_json_for_subprocesses_round_trips_without_secret_values() -> None:
    env = {"MATOPS_NET_PASSWORD": "not-in-json", "MATOPS_NET_USERNAME": "ops"}
    profile = build_profile(TRUST, lab_dir=LAB, environment=env)
    text = profile.to_json()
    assert "not-in-json" not in text and "not-in-json" not in repr(profile)
    again = ConnectionProfile.from_json(text)
    assert again == profile.model_copy(update={"secrets": profile.secrets.model_copy()})
    assert again.linux == profile.linux and again.switches == profile.switches
    assert json.loads(text)["lab_dir"] == str(LAB)


def test_the_profile_is_frozen() -> None:
    profile = build_profile(TRUST)
    with pytest.raises(ValueError, match="frozen"):
        profile.lab_dir = LAB  # type: ignore[misc]


# The shared options, exactly as every connecting command declares them.
probe = typer.Typer()


@probe.command()
def show(
    lab: LabOption = False,
    lab_dir: LabDirOption = None,
    ssh_config: SshConfigOption = None,
    vault_password_file: VaultOption = None,
) -> None:
    profile = connection_profile(
        EXAMPLE_TRUST, [], lab=lab, lab_dir=lab_dir, ssh_config=ssh_config,
        vault_password_file=vault_password_file,
    )  # fmt: skip
    print(json.dumps({"lab": str(profile.lab_dir), "ssh": str(profile.linux.ssh_config),
                      "vault": str(profile.secrets.vault_password_file)}))  # fmt: skip


def _fake_lab(folder: Path, with_targets: bool = True) -> Path:
    """A lab folder as lab up leaves it (ssh_config, lab.json), with nothing running."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ssh_config").write_text("# fake\n")
    trust = load_trust(EXAMPLE_TRUST)
    targets = [
        {"name": t.name, "kind": t.kind, "platform": t.platform, "address": str(t.address),
         "school": t.school}
        for t in trust.targets()
        if with_targets
    ]  # fmt: skip
    (folder / RECORD_FILE).write_text(json.dumps({"version": 1, "targets": targets}))
    return folder


def _probe(*args: str, env: dict[str, str] | None = None) -> dict[str, str]:
    result = CliRunner().invoke(probe, list(args), env=env)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_the_lab_folder_variable_alone_never_makes_a_lab_run(tmp_path: Path) -> None:
    lab = _fake_lab(tmp_path / "lab", with_targets=False)
    assert _probe(env={"MATOPS_LAB_DIR": str(lab)})["lab"] == "None"
    assert _probe("--lab", env={"MATOPS_LAB_DIR": str(lab)})["lab"] == str(lab)


def test_lab_dir_on_the_command_line_means_the_lab(tmp_path: Path) -> None:
    lab = _fake_lab(tmp_path / "lab", with_targets=False)
    shown = _probe("--lab-dir", str(lab))
    assert shown["lab"] == str(lab) and shown["ssh"] == str(lab / "ssh_config")


def test_vault_password_file_from_ansible_s_variable(tmp_path: Path) -> None:
    vault = tmp_path / "vault-pass"
    vault.write_text("fictional\n")
    assert _probe(env={"ANSIBLE_VAULT_PASSWORD_FILE": str(vault)})["vault"] == str(vault)


def test_missing_files_are_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    no_lab = runner.invoke(probe, ["--lab", "--lab-dir", str(tmp_path / "none")])
    assert no_lab.exit_code == 2
    assert "no running lab in" in no_lab.output and "matops lab up" in no_lab.output
    no_file = runner.invoke(probe, ["--ssh-config", str(tmp_path / "none.conf")])
    assert no_file.exit_code == 2 and "is not a file" in no_file.output


@pytest.mark.parametrize(
    "command",
    [
        ["scan", "example-trust", "--school", "oakfield-primary"],
        ["deploy", "example-trust", "--limit", "oak-srv01", "--check"],
        ["network", "backup", "example-trust", "--device", "oak-sw01"],
        ["network", "diff", "example-trust", "--device", "oak-sw01"],
        ["network", "push", "example-trust", "--device", "oak-sw01", "--dry-run"],
        ["refresh", "plan", "example-trust", "--school", "oakfield-primary"],
        ["refresh", "run", "example-trust", "--school", "oakfield-primary", "--dry-run"],
    ],
)
def test_lab_addresses_without_lab_are_refused_in_one_line(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lab = _fake_lab(tmp_path / "lab")
    monkeypatch.chdir(EXAMPLE_TRUST.parents[1])
    result = CliRunner().invoke(app, command, env={"MATOPS_LAB_DIR": str(lab)})
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "lab address(es) and the lab is up" in lines[0] and "add --lab" in lines[0]
    assert str(lab) in lines[0]


def test_offline_commands_are_not_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lab = _fake_lab(tmp_path / "lab")
    monkeypatch.chdir(EXAMPLE_TRUST.parents[1])
    args = ["scan", "example-trust", "--offline", "--school", "oakfield-primary",
            "--output", str(tmp_path / "r.json"), "--fail-on", "never"]  # fmt: skip
    result = CliRunner().invoke(app, args, env={"MATOPS_LAB_DIR": str(lab)})
    assert "lab address(es)" not in result.output, result.output
    assert "--lab" not in result.output
