"""Finding and removing lab leftovers by name and marker, with or without lab.json.

Lab resources are recognisable without any record: interfaces and namespaces start with
``mtl-``/``vb-mtl-`` (plus the ``mtlab0`` bridge), every lab process carries ``MATOPS_LAB_ID`` in
its environment, SSH control masters name a socket under ``<state>/cm/``, and the nftables table is
``inet matops_lab``.
"""

from __future__ import annotations

from pathlib import Path

from matops.lab import netns
from matops.lab.hosts import LAB_ENV
from matops.lab.model import BRIDGE_NAME, LabError
from matops.lab.proc import kill_and_wait, pids_with_env, process_cmdline, process_parents, run
from matops.lab.record import RECORD_FILE
from matops.lab.sshconf import CONTROL_DIR

OVERLAY_SOURCE = "matops-lab"


def control_master_pids(state_dir: Path) -> list[int]:
    """Return the pids of SSH control masters serving sockets in ``<state>/cm/``."""
    title = f"ssh: {state_dir / CONTROL_DIR}/"
    return sorted(
        pid for pid in process_parents() if " ".join(process_cmdline(pid)).startswith(title)
    )


def lab_process_pids(state_dir: Path) -> list[int]:
    """Return every lab process: marked ones (launchers, containers, switches) and masters."""
    return sorted(set(pids_with_env(LAB_ENV)) | set(control_master_pids(state_dir)))


def kill_lab_processes(state_dir: Path) -> None:
    """SIGKILL every lab process (killing a container's PID 1 ends the whole container)."""
    survivors = kill_and_wait(lab_process_pids(state_dir))
    if survivors:
        raise LabError(f"lab processes survived SIGKILL: {survivors}")


def lab_mounts(state_dir: Path) -> list[str]:
    """Return mount points in this mount namespace that belong to the lab."""
    found = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        mount_point = left.split()[4].replace("\\040", " ")
        source = right.split()[1] if len(right.split()) > 1 else ""
        in_state = mount_point == str(state_dir) or mount_point.startswith(f"{state_dir}/")
        in_netns = mount_point.startswith(("/run/netns/mtl-", "/var/run/netns/mtl-"))
        if in_state or in_netns or source == OVERLAY_SOURCE:
            found.append(mount_point)
    return found


def unmount_leftovers(state_dir: Path) -> None:
    """Lazily unmount every lab mount point, deepest first."""
    for mount_point in sorted(lab_mounts(state_dir), key=len, reverse=True):
        run(["umount", "--lazy", mount_point], check=False)


def lab_leftovers(state_dir: Path) -> list[str]:
    """Describe everything of a lab that exists now (empty when the machine is clean)."""
    found: list[str] = []
    if (state_dir / RECORD_FILE).exists():
        found.append(f"lab record {state_dir / RECORD_FILE}")
    if netns.bridge_exists():
        found.append(f"bridge {BRIDGE_NAME} (lab state: {netns.bridge_owner()})")
    links = [name for name in netns.lab_link_names() if name != BRIDGE_NAME]
    found += [f"interface {name}" for name in links]
    found += [f"network namespace {name}" for name in netns.lab_netns_names()]
    found += [f"process {pid}" for pid in lab_process_pids(state_dir)]
    found += [f"mount {point}" for point in lab_mounts(state_dir)]
    if netns.guard_rules_present():
        found.append(f"nftables table inet {netns.NFT_TABLE}")
    return found
