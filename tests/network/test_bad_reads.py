"""A running config read that is not whole is never saved over a backup nor diffed by a push.

The switch is matops' simulator on loopback; only the text its session returns is cut (as a read
that stopped early would be) or emptied, so the rest of the push runs for real.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from matops.inventory.ansible_vars import AnsibleVariables
from matops.inventory.loader import load_trust
from matops.inventory.model import Trust
from matops.network.backup import backup_path, write_backup
from matops.network.connect import ConnectionSettings, Session, connect
from matops.network.jobs import backup_device, management_access
from matops.network.push import DeviceJob, Outcome, PushOptions, push_device
from matops.network.render import render_target
from tests.support.sim import SimSwitch

DEVICE, MODEL = "oak-sw02", "WS-C2960X-24PS-L"


class _BadRead:
    """A real session whose running config comes back changed by ``spoil``."""

    def __init__(self, session: Session, spoil: Callable[[str], str]) -> None:
        self.session, self.spoil, self.sent = session, spoil, 0

    def running_config(self) -> str:
        return self.spoil(self.session.running_config())

    def send_config(self, commands: Sequence[str]) -> None:
        self.sent += len(commands)
        self.session.send_config(commands)

    def save(self) -> None:
        self.session.save()

    def close(self) -> None:
        self.session.close()


def _cut(text: str) -> str:
    """The first half of the lines: a read that stopped before the closing ``end``."""
    lines = text.splitlines()
    return "\n".join(lines[: len(lines) // 2]) + "\n"


SPOILERS = {"cut off": (_cut, "no closing 'end'"), "empty": (lambda _: "", "empty")}


@pytest.fixture(scope="module")
def trust(vaulted_trust: tuple[Path, Path]) -> Trust:
    return load_trust(vaulted_trust[0])


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[SimSwitch]:
    switch = SimSwitch(DEVICE, "cisco_ios", MODEL, tmp_path / DEVICE).start()
    try:
        yield switch
    finally:
        switch.stop()


def _job(trust: Trust, vaulted: tuple[Path, Path], sim: SimSwitch) -> DeviceJob:
    target = next(t for t in trust.targets("switch") if t.name == DEVICE)
    intended = render_target(trust, target, AnsibleVariables(*vaulted).rendered(DEVICE))
    return DeviceJob(target, intended, management_access(trust, target, "admin"), sim.settings())


def _running(sim: SimSwitch) -> str:
    session = connect(sim.settings())
    try:
        return session.running_config()
    finally:
        session.close()


@pytest.mark.parametrize("kind", sorted(SPOILERS))
def test_bad_read_is_not_saved_over_a_good_backup(
    kind: str, tmp_path: Path, trust: Trust, vaulted_trust: tuple[Path, Path], sim: SimSwitch
) -> None:
    spoil, message = SPOILERS[kind]
    good = write_backup(tmp_path, "oakfield-primary", DEVICE, _running(sim), platform="cisco_ios")
    before = good.path.read_bytes()

    def bad(settings: ConnectionSettings) -> Session:
        return _BadRead(connect(settings), spoil)

    result = backup_device(_job(trust, vaulted_trust, sim), PushOptions(tmp_path, connect=bad))
    assert result.outcome is Outcome.ERROR and message in result.message, result.message
    assert DEVICE in result.message and "bytes)" in result.message
    assert backup_path(tmp_path, "oakfield-primary", DEVICE).read_bytes() == before
    assert [p.name for p in good.path.parent.iterdir()] == [f"{DEVICE}.cfg"]


@pytest.mark.parametrize("kind", sorted(SPOILERS))
def test_push_refuses_to_diff_against_a_bad_read(
    kind: str, tmp_path: Path, trust: Trust, vaulted_trust: tuple[Path, Path], sim: SimSwitch
) -> None:
    spoil, message = SPOILERS[kind]
    sessions: list[_BadRead] = []

    def bad(settings: ConnectionSettings) -> Session:
        sessions.append(_BadRead(connect(settings), spoil))
        return sessions[-1]

    device_before = _running(sim)
    result = push_device(_job(trust, vaulted_trust, sim), PushOptions(tmp_path, connect=bad))
    assert result.outcome is Outcome.ERROR, result
    assert result.message.startswith("refusing to diff or push") and message in result.message
    assert result.commands == () and result.backup is None
    assert sessions and all(s.sent == 0 for s in sessions)
    assert not (tmp_path / "backups").exists()
    assert _running(sim) == device_before


def test_whole_read_still_backs_up(
    tmp_path: Path, trust: Trust, vaulted_trust: tuple[Path, Path], sim: SimSwitch
) -> None:
    """The guard passes a whole config: the same path with an unspoilt read saves the backup."""
    result = backup_device(_job(trust, vaulted_trust, sim), PushOptions(tmp_path))
    assert result.outcome is Outcome.BACKED_UP and result.backup is not None
    assert result.backup.read_text().rstrip().endswith("end")
