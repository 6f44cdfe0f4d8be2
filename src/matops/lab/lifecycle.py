"""Bring the lab up, report on it, and tear it down without leaving anything behind.

One lab per machine (one bridge, ``mtlab0``). ``lab_up`` **refuses** when anything of a lab
already exists (a running lab, or leftovers of a crash) and says to run ``matops lab down``: it
never kills what another session may be using. If ``lab_up`` itself fails part-way it tears down
what it made. Everything created is recorded in ``<state>/lab.json`` as it is created;
``lab_down`` removes what is recorded *and* sweeps everything carrying the lab prefix or the lab
process marker, so it is idempotent and safe after a crash, even with lab.json gone.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import secrets
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matops.lab import cgroups, hosts, mirror, netns, sshconf, switches, tenants
from matops.lab.cabling import write_cabling
from matops.lab.labca import CA_KEY_FILE
from matops.lab.labsecrets import write_lab_secrets
from matops.lab.model import (
    BRIDGE_NAME,
    LabError,
    LabTarget,
    TargetKind,
    host_veth_name,
    machine_name,
    validate_targets,
)
from matops.lab.proc import descendants, kill_and_wait, pids_with_env, require_commands, run
from matops.lab.record import (
    DEFAULT_STATE_DIR,
    RECORD_FILE,
    LabRecord,
    mark_running,
    read_record,
    running_lab_dir,
    target_from_entry,
    unmark_running,
)
from matops.lab.rootfs import ensure_rootfs, packages_dir
from matops.lab.sweep import kill_lab_processes, lab_leftovers, unmount_leftovers
from matops.paths import LAB_CA_FILE, LAB_SECRETS_FILE

log = logging.getLogger(__name__)

BOOT_TIMEOUT = 60.0
BOOT_ATTEMPTS = 2
_STATE_FILES = (
    "hosts",
    "switches",
    sshconf.CONTROL_DIR,
    sshconf.SSH_CONFIG,
    sshconf.KNOWN_HOSTS,
    sshconf.OPERATOR_KEY,
    sshconf.OPERATOR_KEY + ".pub",
    switches.PASSWORD_FILE,
    LAB_SECRETS_FILE,
    RECORD_FILE,
    "mirror",
    tenants.STATE_FOLDER,
    LAB_CA_FILE,
    CA_KEY_FILE,
)


@dataclass(frozen=True)
class TargetStatus:
    """What ``lab_status`` reports for one target."""

    name: str
    address: ipaddress.IPv4Address
    kind: TargetKind
    up: bool
    ssh_ok: bool


def default_state_dir() -> Path:
    """Where a lab lives unless told otherwise: the running lab's folder, else the default.

    The command layer decides which folder a command uses (``--lab-dir``/``--state-dir``); this
    only reads the machine's record of its one running lab.
    """
    return running_lab_dir() or DEFAULT_STATE_DIR


def preflight() -> None:
    """Raise LabError unless this machine can run the lab (root, commands, kernel features)."""
    if os.geteuid() != 0:
        raise LabError("the lab needs root (network namespaces, mounts, a bridge); run as root")
    require_commands("ip", "nft", "systemd-nspawn", "unshare", "nsenter", "ssh", "ssh-keygen")
    filesystems = Path("/proc/filesystems").read_text()
    if "overlay" not in filesystems:
        raise LabError("the kernel lacks overlayfs (needed for Linux lab hosts)")
    for namespace in ("net", "mnt", "pid", "uts"):
        if not Path(f"/proc/self/ns/{namespace}").exists():
            raise LabError(f"the kernel lacks {namespace} namespaces (needed by the lab)")


def lab_up(
    targets: list[LabTarget],
    state_dir: Path,
    *,
    switch_argv: switches.SwitchArgv | None = None,
    apt_mirror: mirror.LabMirror | None = None,
    lab_tenants: tenants.LabTenants | None = None,
    cabling: dict[str, list[dict[str, str]]] | None = None,
) -> None:
    """Start every target and wait until each answers SSH; refuse if a lab already exists.

    ``switch_argv`` overrides the switch backend (default: ``switchsim``).
    ``apt_mirror``: the trust's package mirror, served by the lab (:mod:`matops.lab.mirror`).
    ``lab_tenants``: the trust's simulated tenants, served by the tenant simulator
    (:mod:`matops.lab.tenants`).
    ``cabling``: what each switch hears over LLDP (:func:`matops.lab.cabling.lab_cabling`).

    >>> lab_up(targets, Path("/var/lib/matops/lab"))  # doctest: +SKIP
    """
    targets = validate_targets(targets)
    state_dir = state_dir.absolute()
    if re.search(r"[\s,:'\"%]", str(state_dir)):
        raise LabError(
            f"the lab state path must not contain spaces, quotes, ',', ':' or '%': {state_dir}"
        )
    preflight()
    if any(t.kind == "switch" for t in targets) and switch_argv is None:
        switch_argv = switches.backend_argv("switchsim")
    leftovers = lab_leftovers(state_dir)
    if leftovers:
        raise LabError(
            "a lab is already up, or left over from a crash; run `matops lab down` first. "
            "Found: " + "; ".join(leftovers)
        )
    base = ensure_rootfs()
    if not state_dir.exists():
        state_dir.mkdir(mode=0o700, parents=True)
    started = time.monotonic()
    for attempt in range(1, BOOT_ATTEMPTS + 1):
        try:
            _bring_up(targets, state_dir, base, switch_argv, apt_mirror, lab_tenants)
            break
        except BootTimeoutError as exc:
            _tear_down_failed(state_dir)
            if attempt == BOOT_ATTEMPTS:
                raise
            log.warning("lab up: %s\nstarting the lab again (attempt %d)", exc, attempt + 1)
        except BaseException:
            _tear_down_failed(state_dir)
            raise
    if cabling:
        write_cabling(state_dir, cabling)
    log.info("lab up: %d targets in %.1fs", len(targets), time.monotonic() - started)


class BootTimeoutError(LabError):
    """Some targets did not answer SSH in time (rare; ``lab_up`` starts the lab again once)."""


def _tear_down_failed(state_dir: Path) -> None:
    log.exception("lab up failed; tearing down what was started")
    try:
        lab_down(state_dir)
    except LabError:
        log.exception("tearing down after the failed lab up also failed")


def _bring_up(
    targets: list[LabTarget],
    state_dir: Path,
    base: Path,
    switch_argv: switches.SwitchArgv | None,
    apt_mirror: mirror.LabMirror | None = None,
    lab_tenants: tenants.LabTenants | None = None,
) -> None:
    """Create the bridge, prepare and start every target, then wait for SSH on all of them."""
    record = LabRecord.new(state_dir, base)
    record.save()
    mark_running(state_dir)
    netns.create_bridge(state_dir)
    record.data["bridge"], record.data["nft_table"] = BRIDGE_NAME, netns.NFT_TABLE
    record.save()
    operator_pub = sshconf.ensure_operator_key(state_dir)
    password = secrets.token_urlsafe(18)
    switches.write_secret(state_dir / switches.PASSWORD_FILE, password + "\n")
    tenant_secrets: dict[str, str] = {}
    if lab_tenants is not None:
        entry, tenant_secrets = tenants.bring_up_tenants(
            lab_tenants, state_dir, record.lab_id, hosts.LAB_ENV
        )
        record.data["tenantsim"] = entry
        record.save()
    write_lab_secrets(state_dir, tenant_secrets)
    keyring = None
    if apt_mirror is not None:
        pid, ns, keyring = mirror.start_mirror(
            apt_mirror, state_dir, packages_dir(base), record.lab_id, hosts.LAB_ENV
        )
        record.data["mirror"] = {"pid": pid, "netns": ns, "address": str(apt_mirror.address)}
        record.save()

    def prepare(target: LabTarget) -> str:
        if target.kind == "linux":
            installed = (apt_mirror.keyring, keyring) if apt_mirror and keyring else None
            return hosts.prepare_host(
                target, base, state_dir, targets, operator_pub, keyring=installed
            )
        return switches.prepare_switch(target, state_dir, password)

    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = list(pool.map(prepare, targets))
    host_keys = {t.name: key for t, key in zip(targets, keys, strict=True)}
    sshconf.write_ssh_files(targets, state_dir, host_keys)
    for target in targets:
        _start(target, state_dir, base, record, host_keys[target.name], switch_argv)
    if apt_mirror is not None:
        mirror.wait_for_mirror(apt_mirror)
    if lab_tenants is not None:
        entry = record.data["tenantsim"]
        tenants.wait_for_tenantsim(entry["base_url"], Path(entry["ca"]))
    _wait_all(targets, state_dir)


def _start(
    target: LabTarget,
    state_dir: Path,
    base: Path,
    record: LabRecord,
    host_key: str,
    switch_argv: switches.SwitchArgv | None,
) -> None:
    """Start one target in the background and record what was created for it."""
    extra: dict[str, Any] = {"host_key": host_key}
    if target.kind == "linux":
        groups = cgroups.host_dirs(machine_name(target.name))
        extra["cgroups"] = [str(path) for path in groups]
        extra["pid"] = hosts.start_host(target, base, state_dir, record.lab_id, groups)
        extra["machine"] = machine_name(target.name)
        extra["mount"] = str(hosts.host_dir(state_dir, target.name) / "root")
    else:
        if switch_argv is None:
            raise LabError(f"switch {target.name}: no switch backend available")
        pid, ns, _veth = switches.start_switch(target, state_dir, record.lab_id, switch_argv)
        extra.update(pid=pid, netns=ns)
    extra["veth"] = host_veth_name(target)
    record.add_target(target, extra)
    record.save()


def _wait_all(targets: list[LabTarget], state_dir: Path) -> None:
    """Wait (in parallel) until every target's SSH server answers; explain failures."""

    def wait(target: LabTarget) -> str | None:
        try:
            netns.wait_for_ssh(str(target.address), timeout=BOOT_TIMEOUT)
            if target.kind == "linux":
                _wait_booted(target, state_dir)
        except LabError as exc:
            return f"{target.name}: {exc}\n{_log_tail(target, state_dir)}"
        return None

    with ThreadPoolExecutor(max_workers=max(1, len(targets))) as pool:
        failures = [f for f in pool.map(wait, targets) if f]
    if failures:
        raise BootTimeoutError("lab targets did not come up:\n" + "\n".join(failures))


def _wait_booted(target: LabTarget, state_dir: Path) -> None:
    """Wait until systemd in a Linux host has finished booting (``running`` or ``degraded``).

    An answering sshd is not enough: a host whose boot stalls would fail later, mid-test. While
    the host boots, logins are refused (pam_nologin), so the question is asked again until the
    deadline.
    """
    config = str(state_dir / sshconf.SSH_CONFIG)
    argv = ["ssh", "-F", config, target.name, "systemctl", "is-system-running", "--wait"]
    deadline = time.monotonic() + BOOT_TIMEOUT
    state, detail = "", ""
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            result = run(argv, check=False, timeout=remaining)
        except subprocess.TimeoutExpired:
            break
        state, detail = result.stdout.strip(), result.stderr.strip()
        if state in {"running", "degraded"}:
            return
        if state not in {"", "initializing", "starting"}:
            break
        time.sleep(0.5)
    jobs = _boot_jobs(target, state_dir)
    raise LabError(f"systemd did not finish booting (state {state!r}) {detail}\n{jobs}")


def _boot_jobs(target: LabTarget, state_dir: Path) -> str:
    """What systemd in a host is still waiting for (its job queue), read from the machine."""
    try:
        leader = _host_leader(_target_entry(state_dir, target.name))
    except LabError as exc:
        return f"(systemd's jobs unknown: {exc})"
    inside = (
        "systemctl is-system-running; systemctl list-jobs --no-pager --full;"
        " failed=$(systemctl --failed --plain --no-legend | cut -d' ' -f1);"
        ' for unit in $failed; do echo "failed: $unit";'
        ' journalctl -b -u "$unit" --no-pager -n 12 -o short-precise; done'
    )
    argv = ["nsenter", "--target", str(leader), "--all", "--", "sh", "-c", inside]
    try:
        result = run(argv, check=False, timeout=15)
    except subprocess.TimeoutExpired:
        return "(systemd's jobs unknown: systemctl did not answer)"
    return "systemd's pending jobs:\n" + (result.stdout + result.stderr).strip()


def _log_tail(target: LabTarget, state_dir: Path, lines: int = 15) -> str:
    """Return the end of a target's console or simulator log, for error messages."""
    if target.kind == "linux":
        path = hosts.host_dir(state_dir, target.name) / "console.log"
    else:
        path = switches.switch_files(state_dir, target.name).directory / "switch.log"
    if not path.exists():
        return f"(no log at {path})"
    tail = path.read_text(errors="replace").splitlines()[-lines:]
    return f"last lines of {path}:\n" + "\n".join(tail)


def lab_down(state_dir: Path, *, reset: bool = False) -> None:
    """Stop every lab process and remove every namespace, veth, mount, the bridge and state.

    Each switch's saved startup config is kept, so that it boots with it at the next ``lab_up``
    as a real switch would; ``reset=True`` removes those too (back to factory defaults).
    Idempotent and safe after a crash: works from lab.json and sweeps by prefix without it.
    Raises LabError listing anything it could not remove.
    """
    state_dir = state_dir.absolute()
    record = read_record(state_dir)
    kill_lab_processes(state_dir)
    namespaces = set(netns.lab_netns_names())
    if record:
        namespaces.update(e["netns"] for e in record.data["targets"] if e.get("netns"))
    for ns in sorted(namespaces):
        netns.delete_netns(ns)
    for link in netns.lab_link_names():
        netns.delete_link(link)
    netns.delete_guard_rules()
    entries = record.data["targets"] if record else []
    recorded = [Path(path) for entry in entries for path in entry.get("cgroups", [])]
    stuck = cgroups.remove_cgroups(recorded + cgroups.lab_cgroups())
    unmount_leftovers(state_dir)
    saved = {} if reset else _saved_startup_configs(state_dir)
    for name in _STATE_FILES:
        path = state_dir / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    for path, text in saved.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    leftovers = lab_leftovers(state_dir) + stuck
    if not leftovers:
        unmark_running(state_dir)
    if leftovers:
        raise LabError("lab down could not remove: " + "; ".join(leftovers))


STARTUP_CONFIG = "startup-config"


def _saved_startup_configs(state_dir: Path) -> dict[Path, str]:
    """Each switch's saved startup config, to survive ``lab_down``."""
    root = state_dir / "switches"
    if not root.is_dir():
        return {}
    return {p: p.read_text() for p in root.glob(f"*/{STARTUP_CONFIG}") if p.is_file()}


def lab_status(state_dir: Path) -> list[TargetStatus]:
    """Return the state of every recorded target: process up, SSH working (host key checked)."""
    record = read_record(state_dir.absolute())
    if record is None:
        return []
    lab_pids = set(pids_with_env(hosts.LAB_ENV))
    with ThreadPoolExecutor(max_workers=8) as pool:
        entries = record.data["targets"]
        return list(pool.map(lambda e: _status(e, record.state_dir, lab_pids), entries))


@dataclass(frozen=True)
class ServiceStatus:
    """What ``lab_services`` reports for a service the lab runs (the tenant simulator)."""

    name: str
    address: ipaddress.IPv4Address
    kind: str
    up: bool
    answers: bool
    """It answered over verified HTTPS (the lab CA)."""


def lab_services(state_dir: Path) -> list[ServiceStatus]:
    """The state of the services the lab runs besides its targets: the tenant simulator."""
    record = read_record(state_dir.absolute())
    if record is None or "tenantsim" not in record.data:
        return []
    entry = record.data["tenantsim"]
    up = int(entry["pid"]) in set(pids_with_env(hosts.LAB_ENV))
    answers = up and tenants.tenantsim_answers(entry["base_url"], Path(entry["ca"]))
    address = ipaddress.IPv4Address(entry["address"])
    return [ServiceStatus(tenants.TENANTSIM_NAME, address, "tenants", up, answers)]


def _status(entry: dict[str, Any], state_dir: Path, lab_pids: set[int]) -> TargetStatus:
    """Check one recorded target (``lab_pids``: the live processes carrying the lab marker)."""
    target = target_from_entry(entry)
    pid = int(entry.get("pid") or 0)
    up = pid in lab_pids
    if target.kind == "linux":
        up = up and hosts.container_leader(pid) is not None
    ssh_ok = up and _ssh_ok(target, state_dir)
    return TargetStatus(target.name, target.address, target.kind, up, ssh_ok)


def _ssh_ok(target: LabTarget, state_dir: Path) -> bool:
    """Linux: a real login with strict host key checking. Switch: its SSH banner answers."""
    if target.kind == "switch":
        try:
            return netns.ssh_banner(str(target.address)).startswith("SSH-")
        except OSError:
            return False
    argv = ["ssh", "-F", str(state_dir / sshconf.SSH_CONFIG), target.name, "true"]
    return run(argv, check=False, timeout=30).returncode == 0


def switch_password(state_dir: Path) -> str:
    """Return the admin password of this lab's switches (random per lab, stored 0600)."""
    return (state_dir / switches.PASSWORD_FILE).read_text().strip()


def start_extra_switch(
    target: LabTarget,
    state_dir: Path,
    backend: str = "fakeswitch",
    *,
    switch_argv: switches.SwitchArgv | None = None,
) -> None:
    """Add one more switch to a running lab (e.g. a fake-switches cross-check at .250).

    It gets the lab's admin password, a fresh host key in known_hosts and a block in ssh_config,
    and lab_down removes it with the rest.

    >>> start_extra_switch(target, state_dir, backend="fakeswitch")  # doctest: +SKIP
    """
    state_dir = state_dir.absolute()
    record = read_record(state_dir)
    if record is None or not netns.bridge_exists():
        raise LabError(f"no lab is up in {state_dir}; run `matops lab up` first")
    if target.kind != "switch":
        raise LabError(f"{target.name}: start_extra_switch starts switches only")
    all_targets = validate_targets([*record.targets(), target])
    argv = switch_argv or switches.backend_argv(backend)
    host_key = switches.prepare_switch(target, state_dir, switch_password(state_dir))
    sshconf.write_ssh_files(all_targets, state_dir, {**record.host_keys(), target.name: host_key})
    _start(target, state_dir, Path(record.data["rootfs"]), record, host_key, argv)
    _wait_all([target], state_dir)


def stop_extra_switch(name: str, state_dir: Path) -> None:
    """Stop a switch started with :func:`start_extra_switch` and forget it (its files too).

    The rest of the lab keeps running. Raises LabError when the lab has no such target.

    >>> stop_extra_switch("lab-fake-sw", state_dir)  # doctest: +SKIP
    """
    state_dir = state_dir.absolute()
    record = read_record(state_dir)
    if record is None:
        raise LabError(f"no lab is up in {state_dir}")
    try:
        entry = record.remove_target(name)
    except KeyError:
        raise LabError(f"the lab in {state_dir} has no target {name!r}") from None
    if entry.get("kind") != "switch":
        raise LabError(f"{name}: stop_extra_switch stops switches only")
    pid = int(entry["pid"])
    stuck = kill_and_wait([pid, *descendants(pid)])
    if entry.get("netns"):
        netns.delete_netns(str(entry["netns"]))
    if entry.get("veth") in netns.lab_link_names():
        netns.delete_link(str(entry["veth"]))
    record.save()
    sshconf.write_ssh_files(record.targets(), state_dir, record.host_keys())
    shutil.rmtree(state_dir / "switches" / name, ignore_errors=True)
    if stuck:
        raise LabError(f"{name}: processes still running after stop: {stuck}")


def target_exec_argv(state_dir: Path, name: str, argv: list[str]) -> list[str]:
    """Return an argument list running ``argv`` in a running target's network namespace.

    Runs on the machine (not over SSH): switches via ``ip netns exec``, Linux hosts via
    ``nsenter`` into the container's PID 1.

    >>> target_exec_argv(state_dir, "oak-sw1", ["ip", "route"])  # doctest: +SKIP
    ['ip', 'netns', 'exec', 'mtl-oak8c4f6', 'ip', 'route']
    """
    entry = _target_entry(state_dir, name)
    if entry["kind"] == "switch":
        return netns.netns_exec_argv(entry["netns"], argv)
    return netns.pid_netns_argv(_host_leader(entry), argv)


def _target_entry(state_dir: Path, name: str) -> dict[str, Any]:
    """The lab record's entry for target ``name``."""
    record = read_record(state_dir.absolute())
    entries = {e["name"]: e for e in record.data["targets"]} if record else {}
    if name not in entries:
        raise LabError(f"{name!r} is not a target of the lab in {state_dir}")
    return dict(entries[name])


def _host_leader(entry: dict[str, Any]) -> int:
    """The pid (on the machine) of a running lab host's PID 1."""
    leader = hosts.container_leader(int(entry["pid"]))
    if leader is None:
        raise LabError(f"lab host {entry['name']} is not running")
    return leader
