"""Batched reads: many commands in one round trip, each answered as if it had been sent alone.

The framing is tested on its own (pure) and through a real ``/bin/sh``; the provider is tested
over the stub host of ``linux_stubs``: every fact gathered in a few round trips is the fact
gathered command by command, and a batch that fails or comes back cut short costs round trips,
never an answer (the commands it did not answer are sent alone and judged as usual).
"""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
import testinfra

from matops.facts.linux.batch import Answer, batch_script, parse_batch
from matops.facts.linux.collect import COLLECTORS
from matops.facts.linux.provider import BATCH_ROUNDS, LinuxHostProvider
from matops.facts.model import Fact, FactError, Subject
from matops.inventory import load_trust
from tests.conftest import EXAMPLE_TRUST
from tests.unit.linux_stubs import StubHost

SUBJECT = next(Subject.of_target(t) for t in load_trust(EXAMPLE_TRUST).targets("linux"))

TRICKY = [
    "printf 'line one\\nno end'",  # no final newline: the parser's "cut short" is kept
    "printf '\\n\\n'",  # only newlines
    "echo out; echo err >&2; exit 3",  # both streams and a status
    "printf 'NONCE 0 AAAA\\n'; echo 'sshd: 1 x' >&2",  # looks like framing
    "printf '\\303\\251t\\303\\251\\n'",  # UTF-8
    "cat /nonexistent/file",  # status 1 and a complaint
    "no-such-command-here",  # 127
    "timeout -k 1 0.2 sleep 5",  # 124
    "head -c 100000 /dev/zero | tr '\\0' x; echo",  # longer than a pipe's buffer
]


def _alone(command: str) -> Answer:
    done = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, check=False)
    return Answer(done.returncode, done.stdout, done.stderr)


def test_each_command_answers_as_if_sent_alone() -> None:
    done = subprocess.run(
        ["/bin/sh", "-c", batch_script(TRICKY)], capture_output=True, text=True, check=True
    )
    answers = parse_batch(done.stdout, done.stderr, TRICKY)
    for command in TRICKY:
        alone = _alone(command)
        got = answers[command]
        assert (got.status, got.stdout) == (alone.status, alone.stdout), command
        # the shell names itself in its complaints ("/bin/sh: 1: ..."): same words either way
        assert got.stderr.split(":")[-1] == alone.stderr.split(":")[-1], command


def test_each_batch_has_its_own_nonce() -> None:
    nonces = set()
    for _ in range(2):
        done = subprocess.run(
            ["/bin/sh", "-c", batch_script(["true"])], capture_output=True, text=True, check=True
        )
        nonces.add(done.stdout.split("\n", 1)[0])
        assert done.stderr.split("\n", 1)[0] in nonces
    assert len(nonces) == 2 and all(len(n) == 24 for n in nonces)


N = "0123456789abcdef01234567"


def _record(i: int, text: str, status: int | None) -> str:
    closing = f"{N} {i} > {status}" if status is not None else f"{N} {i} >"
    return f"{N} {i} <\n{text}\n{closing}\n"


def test_a_record_counts_only_whole() -> None:
    out = f"{N}\n" + _record(0, "a\n", 0) + _record(1, "b", 1) + f"{N} 2 <\nc\n"
    err = f"{N}\n" + _record(0, "", None) + _record(1, "complaint\n", None) + _record(2, "", None)
    warned = "sudo: unable to resolve host x\n" + err
    answers = parse_batch(out, warned, ["a", "b", "c"])
    assert answers == {"a": Answer(0, "a\n", ""), "b": Answer(1, "b", "complaint\n")}
    assert parse_batch(out, "", ["a"]) == {}, "no stderr stream: no answer"
    assert parse_batch(out.replace(N, "f" * 24), err, ["a"]) == {}, "another batch's nonce"
    assert parse_batch(f"{N}\n" + _record(0, "a", None), err, ["a"]) == {}, "no status"
    missing_first = f"{N}\n" + _record(1, "b", 0)
    assert parse_batch(missing_first, err, ["a", "b"]) == {}, "nothing after a gap is taken"
    spoofed = f"{N}\n{N} 0 <\nx\n0123 0 > 0\n"  # a closing marker with a wrong nonce
    assert parse_batch(spoofed, err, ["a"]) == {}


def test_a_command_on_two_lines_is_refused() -> None:
    with pytest.raises(ValueError, match="one line"):
        batch_script(["echo a\nreboot"])


class _Counting:
    """A testinfra host that counts its round trips and can spoil its batches."""

    def __init__(self, spoil: str = "") -> None:
        self.host = testinfra.get_host("local://")
        self.trips = 0
        self.batches = 0
        self.spoil = spoil

    def run(self, command: str, *args: str) -> Any:
        self.trips += 1
        result = self.host.run(command, *args)
        if command.startswith("M=$(od"):
            self.batches += 1
            if self.spoil == "raise":
                raise RuntimeError("ssh: connection closed")
            if self.spoil == "cut":  # the connection dropped half-way through the output
                result._stdout = result.stdout[: len(result.stdout) // 2]
        return result


def _seen(fact: Fact) -> tuple[Any, ...]:
    """A fact without the moment it was collected."""
    return fact.name, fact.value, fact.evidence.model_dump(exclude={"collected_at"})


def _gathered(host: _Counting) -> dict[str, tuple[Any, ...] | str]:
    provider = LinuxHostProvider(lambda target: host)
    provider.prefetch(SUBJECT, COLLECTORS)
    facts: dict[str, tuple[Any, ...] | str] = {}
    for name in COLLECTORS:
        try:
            facts[name] = _seen(provider.collect(name, SUBJECT))
        except FactError as exc:
            facts[name] = str(exc)
    return facts


def _alone_facts() -> dict[str, tuple[Any, ...] | str]:
    provider = LinuxHostProvider(lambda target: testinfra.get_host("local://"))
    facts: dict[str, tuple[Any, ...] | str] = {}
    for name in COLLECTORS:
        try:
            facts[name] = _seen(provider.collect(name, SUBJECT))  # no prefetch: one by one
        except FactError as exc:
            facts[name] = str(exc)
    return facts


def test_every_fact_in_a_few_round_trips_is_the_fact_read_alone(stub: StubHost) -> None:
    host = _Counting()
    batched = _gathered(host)
    commands = len(stub.calls())
    assert batched == _alone_facts()
    assert not [f for f in batched.values() if isinstance(f, str)], batched
    assert host.trips <= BATCH_ROUNDS + 1, host.trips  # the probe (`true`) and the batches
    assert host.trips - 1 == host.batches and commands > 3 * host.batches


@pytest.mark.parametrize("spoil", ["raise", "cut", "no od"])
def test_a_failed_batch_costs_round_trips_not_answers(stub: StubHost, spoil: str) -> None:
    if spoil == "no od":
        (stub.bin / "od").unlink()
    host = _Counting(spoil if spoil != "no od" else "")
    assert _gathered(host) == _alone_facts()
    assert host.trips > host.batches + 1, "commands the batch did not answer were sent alone"
