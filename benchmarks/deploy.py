"""The whole site (every role of site.yml) on lab hosts: Ansible vs pyinfra in the same run.

For each engine and round, on the same hosts:

* ``first_run``: the whole site on fresh hosts (the benchmark's own lab is reset and brought up
  again before each engine's round, so every account, file and handler is new);
* ``no_change``: the run right after, which must change nothing (checked).

On a shared lab (below) hosts cannot be made fresh: the managed files of every role are removed
instead and the first phase is called ``apply`` (every file written again, every handler fires).

Median of ``MATOPS_BENCH_ROUNDS`` rounds (default 3), and the ratio Ansible / pyinfra. Both
engines use the lab's ssh_config (ControlMaster) through ``matops.deploy.run``.

Lynis, the independent auditor, also runs on one host (``MATOPS_BENCH_LYNIS_HOST``, default the
first host) in the first round of each engine: before the first phase and after the no-change
run. The output shows its hardening index before and after, and the same leaving out the points a
container can never earn (``matops.lab.lynis``). ``MATOPS_BENCH_LYNIS=0`` skips it.

The lab: ``MATOPS_BENCH_LAB`` or ``MATOPS_TEST_LAB`` (an already running lab's state folder, used
as is and left up), else a lab of the whole example trust is brought up for the run and taken
down after (root needed; under the integration tests' lab lock, since both use the lab's
addresses). ``MATOPS_BENCH_HOSTS`` chooses the Linux hosts (comma-separated; on a shared lab,
only your own). Results: ``benchmarks/results/deploy.json``.
"""

from __future__ import annotations

import fcntl
import json
import os
import shlex
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from matops.connect.profile import build_profile
from matops.deploy.runner import DeployRequest, Engine, available_roles, run
from matops.inventory.loader import load_trust
from matops.lab import lifecycle
from matops.lab.from_inventory import lab_mirror, lab_targets
from matops.lab.lynis import audit_host, container_items, index_without

ROOT = Path(__file__).parents[1]
TRUST = ROOT / "inventories" / "example-trust"
RESULTS = Path(__file__).parent / "results" / "deploy.json"

#: Files the roles write, removed before each ``apply`` run (all safe to remove: the running
#: sshd, firewall and sudo keep working until the deploy writes them back).
MANAGED = (
    "/etc/ssh/sshd_config.d/00-matops-hardening.conf",
    "/etc/nftables.conf",
    "/etc/apt/apt.conf.d/20auto-upgrades",
    "/etc/apt/apt.conf.d/52matops-unattended-upgrades",
    "/etc/apt/apt.conf.d/15matops-update-stamp",
    "/etc/apt/sources.list.d/matops-mirror.sources",
    "/etc/chrony/chrony.conf",
    "/etc/issue.net",
    "/etc/sudoers.d/matops-admins",
    "/home/hokafor/.ssh/authorized_keys",
    "/etc/rsyslog.d/50-matops-forward.conf",
    "/etc/systemd/journald.conf.d/50-matops.conf",
    "/etc/audit/rules.d/50-matops-privileged.rules",
    "/etc/security/pwquality.conf",
    "/etc/modprobe.d/60-matops-blocked-modules.conf",
    "/etc/security/limits.d/60-matops-coredump.conf",
    "/etc/modprobe.d/60-matops-firewire.conf",
    "/etc/default/debsums",
    "/var/lib/aide/aide.db",
)

LAB_LOCK = Path("/run/matops-test-lab.lock")
"""The integration tests' lab lock: one lab on the machine at a time."""


class _Lab:
    """The lab the benchmark runs on, and how its hosts are made ready for a first run."""

    def __init__(self, state: Path, own: bool) -> None:
        self.state, self.own = state, own
        self.targets = [t for t in lab_targets(load_trust(TRUST)) if t.kind == "linux"]

    @property
    def first_phase(self) -> str:
        return "first_run" if self.own else "apply"

    def ready(self, hosts: list[str]) -> None:
        """Fresh hosts (own lab) or hosts without the roles' files (shared lab)."""
        if self.own:
            lifecycle.lab_down(self.state, reset=True)
            lifecycle.lab_up(self.targets, self.state, apt_mirror=lab_mirror(load_trust(TRUST)))
            return
        command = "sudo rm -f " + " ".join(shlex.quote(path) for path in MANAGED)
        for host in hosts:
            argv = ["ssh", "-F", str(self.state / "ssh_config"), host, command]
            subprocess.run(argv, capture_output=True, check=True, timeout=60)


@contextmanager
def _lab() -> Iterator[_Lab]:
    shared = os.environ.get("MATOPS_BENCH_LAB") or os.environ.get("MATOPS_TEST_LAB")
    if shared:
        yield _Lab(Path(shared), own=False)
        return
    with LAB_LOCK.open("a") as lock, tempfile.TemporaryDirectory(prefix="matops-bench-lab-") as tmp:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the lab's addresses are the test labs' too
        lab = _Lab(Path(tmp), own=True)
        lifecycle.lab_up(lab.targets, lab.state, apt_mirror=lab_mirror(load_trust(TRUST)))
        try:
            yield lab
        finally:
            lifecycle.lab_down(lab.state, reset=True)


def _deploy(lab: Path, hosts: list[str], engine: Engine) -> tuple[float, int]:
    """Seconds for the whole site on ``hosts``, and the number of changes; fails on a failure."""
    request = DeployRequest(
        TRUST, hosts, available_roles(), engine, profile=build_profile(TRUST, lab_dir=lab)
    )
    started = time.perf_counter()
    outcome = run(request, printer=lambda line: None)
    elapsed = time.perf_counter() - started
    if outcome.failed:
        raise SystemExit(f"{engine} deploy failed: {outcome.results}")
    return elapsed, sum(r.changed for r in outcome.results.values())


def _lynis(lab: Path, host: str) -> dict[str, int]:
    """Lynis's hardening index on ``host``, and without what a container can never earn."""
    ssh_config = lab / "ssh_config"
    audit, _report, _log = audit_host(ssh_config, host)
    mine = container_items(ssh_config, host, audit)
    return {"index": audit.index, "without_container": index_without(audit, mine)}


def main() -> None:
    """Run the benchmark and write ``benchmarks/results/deploy.json``."""
    trust = load_trust(TRUST)
    chosen = os.environ.get("MATOPS_BENCH_HOSTS", "")
    hosts = [t.name for t in trust.targets("linux") if not chosen or t.name in chosen.split(",")]
    rounds = int(os.environ.get("MATOPS_BENCH_ROUNDS", "3"))
    audited = os.environ.get("MATOPS_BENCH_LYNIS_HOST") or hosts[0]
    with_lynis = os.environ.get("MATOPS_BENCH_LYNIS", "1") != "0"
    runs: dict[str, list[float]] = {}
    changes: dict[str, list[int]] = {}
    lynis: dict[str, dict[str, dict[str, int]]] = {}
    with _lab() as lab:
        phases = (lab.first_phase, "no_change")
        for number in range(rounds):
            for engine in Engine:
                lab.ready(hosts)
                if with_lynis and number == 0:
                    lynis[str(engine)] = {"before": _lynis(lab.state, audited)}
                for phase in phases:
                    seconds, changed = _deploy(lab.state, hosts, engine)
                    runs.setdefault(f"{engine}_{phase}", []).append(seconds)
                    changes.setdefault(f"{engine}_{phase}", []).append(changed)
                if with_lynis and number == 0:
                    lynis[str(engine)]["after"] = _lynis(lab.state, audited)
    if any(changes[f"{engine}_no_change"] != [0] * rounds for engine in Engine):
        raise SystemExit(f"a no-change run changed something: {changes}")
    median = {name: round(statistics.median(values), 2) for name, values in runs.items()}
    report = {
        "linux_hosts": hosts,
        "roles": available_roles(),
        "rounds": rounds,
        "median_seconds": median,
        "all_seconds": {k: [round(v, 2) for v in vs] for k, vs in runs.items()},
        "changes": changes,
        "ratio_ansible_over_pyinfra": {
            phase: round(median[f"ansible_{phase}"] / median[f"pyinfra_{phase}"], 1)
            for phase in phases
        },
        "lynis_hardening_index": {"host": audited, "fresh_hosts": lab.own, **lynis}
        if lynis
        else None,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
