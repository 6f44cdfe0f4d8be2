"""Push baselines to matops' simulated switches over SSH on loopback, with netmiko.

Each test starts fresh simulators (factory-default configs) on 127.0.0.1. The intended configs
are rendered from the example trust (with fictional vault values) for one IOS and one AOS-CX
switch whose simulated hardware matches the inventory's ports.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from matops.inventory.ansible_vars import AnsibleVariables
from matops.inventory.loader import load_trust
from matops.inventory.model import Trust
from matops.network.backup import backup_path
from matops.network.connect import connect
from matops.network.diff import compute_diff
from matops.network.jobs import management_access
from matops.network.push import DeviceJob, Outcome, PushOptions, push_all, push_device
from matops.network.redact import redact
from matops.network.render import render_target
from tests.support.configs import config_lines
from tests.support.sim import SimSwitch

DEVICES = {"oak-sw02": "WS-C2960X-24PS-L", "riv-sw03": "6100 JL679A"}


@pytest.fixture(scope="module")
def trust(vaulted_trust: tuple[Path, Path]) -> Trust:
    return load_trust(vaulted_trust[0])


@pytest.fixture(scope="module")
def intended(vaulted_trust: tuple[Path, Path], trust: Trust) -> dict[str, str]:
    variables = AnsibleVariables(*vaulted_trust)
    targets = {t.name: t for t in trust.targets("switch")}
    return {d: render_target(trust, targets[d], variables.rendered(d)) for d in DEVICES}


@pytest.fixture
def sims(tmp_path: Path, trust: Trust) -> Iterator[dict[str, SimSwitch]]:
    targets = {t.name: t for t in trust.targets("switch")}
    started: dict[str, SimSwitch] = {}
    try:
        for name, model in DEVICES.items():
            sim = SimSwitch(name, targets[name].platform, model, tmp_path / name)
            started[name] = sim.start()
        yield started
    finally:
        for sim in started.values():
            sim.stop()


def _job(trust: Trust, rendered: dict[str, str], sim: SimSwitch, intended: str = "") -> DeviceJob:
    target = next(t for t in trust.targets("switch") if t.name == sim.name)
    access = management_access(trust, target, "admin")
    return DeviceJob(target, intended or rendered[sim.name], access, sim.settings())


def _running(sim: SimSwitch) -> str:
    session = connect(sim.settings())
    try:
        return session.running_config()
    finally:
        session.close()


def test_push_converges_and_a_second_push_changes_nothing(
    sims: dict[str, SimSwitch], trust: Trust, intended: dict[str, str], tmp_path: Path
) -> None:
    options = PushOptions(trust_dir=tmp_path / "trust")
    jobs = [_job(trust, intended, sim) for sim in sims.values()]
    started = time.perf_counter()
    results = push_all(jobs, options, parallel=2)
    elapsed = time.perf_counter() - started
    for result in results:
        assert result.outcome is Outcome.APPLIED, result.message
        print(f"{result.device}: {len(result.commands)} commands in {result.seconds:.2f} s")
    print(f"both switches in parallel: {elapsed:.2f} s")
    for name, sim in sims.items():
        assert compute_diff(sim.platform, _running(sim), intended[name], keep_users=["admin"]).empty
    again = push_all(jobs, options, parallel=2)
    assert [r.outcome for r in again] == [Outcome.UNCHANGED, Outcome.UNCHANGED]


def test_failed_push_is_rolled_back_and_names_device_and_line(
    sims: dict[str, SimSwitch], trust: Trust, intended: dict[str, str], tmp_path: Path
) -> None:
    trust_dir = tmp_path / "trust"
    rejected = {"oak-sw02": r"^logging host ", "riv-sw03": r"^ip route 0\.0\.0\.0/0 "}
    for name, sim in sims.items():
        before = _running(sim)
        sim.reject(rejected[name])
        result = push_device(_job(trust, intended, sim), PushOptions(trust_dir=trust_dir))
        assert result.outcome is Outcome.ROLLED_BACK, result.message
        assert name in result.message and "refused" in result.message
        assert rejected[name].strip("^\\").split()[0].replace("\\", "") in result.message
        after = _running(sim)
        assert config_lines(after) == config_lines(before)
        backup = backup_path(trust_dir, result.school, name).read_text()
        assert backup.rstrip("\n") == redact(before).rstrip("\n")
        assert config_lines(backup) == config_lines(redact(after))


def test_dry_run_and_refused_change_send_nothing(
    sims: dict[str, SimSwitch], trust: Trust, intended: dict[str, str], tmp_path: Path
) -> None:
    sim = sims["oak-sw02"]
    before = _running(sim)
    dry = push_device(_job(trust, intended, sim), PushOptions(tmp_path, dry_run=True))
    assert dry.outcome is Outcome.PLANNED and len(dry.commands) > 100
    no_svi = intended["oak-sw02"].replace("interface Vlan10\n", "interface Vlan11\n")
    refused = push_device(_job(trust, intended, sim, intended=no_svi), PushOptions(tmp_path))
    assert refused.outcome is Outcome.REFUSED and refused.failed
    assert "leaves no management SVI interface Vlan10" in refused.message
    assert _running(sim) == before


def test_planted_secrets_never_reach_backups_or_results(
    sims: dict[str, SimSwitch], trust: Trust, intended: dict[str, str], tmp_path: Path
) -> None:
    sim = sims["oak-sw02"]
    planted = ["snmp-server community PLANTEDcommunity RO", "username planted password 0 PLANTEDpw"]
    session = connect(sim.settings())
    session.send_config(planted)
    session.close()
    assert "PLANTEDcommunity" in _running(sim)
    result = push_device(_job(trust, intended, sim), PushOptions(tmp_path / "trust"))
    assert result.outcome is Outcome.APPLIED, result.message
    assert result.backup is not None
    saved = result.backup.read_text()
    assert "snmp-server community <redacted> RO" in saved
    text = saved + "\n".join(result.commands) + result.message
    for secret in ("PLANTEDcommunity", "PLANTEDpw", "fictional-radius-key", "fictional-snmp"):
        assert secret not in text, secret


def test_push_renames_a_factory_switch(
    trust: Trust, intended: dict[str, str], tmp_path: Path
) -> None:
    sims = [
        SimSwitch(name, platform, DEVICES[name], tmp_path / name, hostname="switch")
        for name, platform in (("oak-sw02", "cisco_ios"), ("riv-sw03", "aruba_aoscx"))
    ]
    try:
        for sim in sims:
            sim.start()
            assert "hostname switch" in _running(sim)
            result = push_device(_job(trust, intended, sim), PushOptions(tmp_path / "trust"))
            assert result.outcome is Outcome.APPLIED, result.message
            assert f"hostname {sim.name}" in _running(sim).splitlines()
    finally:
        for sim in sims:
            sim.stop()


def test_every_example_switch_converges_in_parallel(
    vaulted_trust: tuple[Path, Path], trust: Trust, tmp_path: Path
) -> None:
    variables = AnsibleVariables(*vaulted_trust)
    targets = trust.targets("switch")
    sims = [SimSwitch(t.name, t.platform, t.vars.model or "", tmp_path / t.name) for t in targets]
    try:
        rendered = {}
        for target, sim in zip(targets, sims, strict=True):
            sim.start()
            rendered[target.name] = render_target(trust, target, variables.rendered(target.name))
        jobs = [_job(trust, rendered, sim) for sim in sims]
        started = time.perf_counter()
        results = push_all(jobs, PushOptions(tmp_path / "trust"), parallel=len(jobs))
        print(f"{len(jobs)} switches in parallel: {time.perf_counter() - started:.2f} s")
        assert [r.outcome for r in results] == [Outcome.APPLIED] * len(jobs), results
        again = push_all(jobs, PushOptions(tmp_path / "trust", dry_run=True), parallel=len(jobs))
        assert [r.outcome for r in again] == [Outcome.UNCHANGED] * len(jobs)
    finally:
        for sim in sims:
            sim.stop()
