"""Linux lab hosts: systemd-nspawn containers (real systemd inside) on an overlay of the base.

Per host, under ``<state>/hosts/<name>/``: ``upper/`` and ``work/`` (overlayfs), ``root/`` (its
mount point) and ``console.log``. Identity files (SSH host key, authorized_keys, hostname,
/etc/hosts, network config) are written into ``upper/`` before boot.

Each host runs as ``unshare --mount`` → a fixed ``sh`` script → ``systemd-nspawn``. The overlay
and a tmpfs on /run (nspawn needs one where PID 1 is not systemd) are mounted in that private
mount namespace, so they vanish with it and cannot leak into the machine's mount table.

Networking uses ``--network-bridge=mtlab0`` rather than ``--network-namespace-path=``: with a
bridge nspawn gives the container a private network with a *writable* ``/proc/sys/net``, so
hardening roles can set ``net.*`` sysctls per host (with a namespace path /proc/sys is read-only).
The host side of the veth is ``vb-<machine>`` (machine = ``mtl-<id>``, unique per name, 15
chars); systemd-networkd inside gives ``host0`` its /16 address and no gateway.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from matops.lab.model import BRIDGE_NAME, LAB_NETWORK, LabError, LabTarget, machine_name
from matops.lab.proc import descendants, process_cmdline, process_parents
from matops.lab.rootfs import OPERATOR
from matops.lab.sshconf import generate_host_key

#: Environment variable set on every lab process (launchers, nspawn, container PID 1, switches):
#: teardown finds stray lab processes by it.
LAB_ENV = "MATOPS_LAB_ID"
HOST_KEY = "etc/ssh/ssh_host_ed25519_key"

# Runs in the private mount namespace made by `unshare --mount`; paths arrive as arguments.
_LAUNCH_SCRIPT = """set -eu
lower=$1 upper=$2 work=$3 root=$4 cgroups=$5
shift 5
for cgroup in $cgroups; do echo $$ > "$cgroup/cgroup.procs"; done
mount --make-rprivate /
mount -t overlay matops-lab -o "lowerdir=$lower,upperdir=$upper,workdir=$work" "$root"
mount -t tmpfs -o mode=0755 tmpfs /run
while :; do
  rc=0
  systemd-nspawn "$@" || rc=$?
  [ "$rc" -eq 133 ] || exit "$rc"
done
"""


def host_dir(state_dir: Path, name: str) -> Path:
    """Return the per-host state directory."""
    return state_dir / "hosts" / name


def network_unit(target: LabTarget) -> str:
    """Return the systemd-networkd unit giving ``host0`` its lab address and no gateway.

    It is named like systemd's own ``80-container-host0.network`` so it replaces that (DHCP).
    """
    return (
        "# matops lab: on-link /16 only, no gateway, no IPv6 (lab traffic stays on the bridge)\n"
        "[Match]\nVirtualization=container\nName=host0\n\n"
        f"[Network]\nAddress={target.address}/{LAB_NETWORK.prefixlen}\n"
        "LinkLocalAddressing=no\nIPv6AcceptRA=no\nLLMNR=no\nMulticastDNS=no\n"
    )


def hosts_file(targets: Sequence[LabTarget]) -> str:
    """Return /etc/hosts naming every lab target (so roles can point NTP, syslog at names)."""
    lines = ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback"]
    lines += [f"{t.address}\t{t.name}" for t in targets]
    return "\n".join(lines) + "\n"


# The kernel keeps audit to the machine, so auditd (in the root filesystem because the logging
# role installs it and lab hosts cannot download) fails in a container. Left to itself, systemd
# restarts it, and now and then its start job hangs for minutes and with it the end of the
# boot. The lab skips it at boot, as the role skips starting it in a container.
AUDITD_DROP_IN = "etc/systemd/system/auditd.service.d/matops-lab.conf"
AUDITD_IN_CONTAINER = (
    "# matops lab: auditd cannot run in a container (the kernel keeps audit to the machine)\n"
    "[Unit]\nConditionVirtualization=!container\n"
)


def prepare_host(
    target: LabTarget,
    base: Path,
    state_dir: Path,
    targets: Sequence[LabTarget],
    operator_pub: str,
    *,
    keyring: tuple[str, str] | None = None,
) -> str:
    """Create a host's overlay dirs and write its identity into ``upper/`` before first boot.

    ``keyring``: (absolute path, armoured text) of the lab mirror's public key, installed where
    the trust's ``signed_by`` names it. Returns the host's new public SSH key
    (``<type> <base64>``) for known_hosts.
    """
    hdir = host_dir(state_dir, target.name)
    for sub in ("upper", "work", "root"):
        (hdir / sub).mkdir(parents=True, exist_ok=True)
    if any(ch in str(p) for p in (base, hdir) for ch in ",:"):
        raise LabError(f"lab paths must not contain ',' or ':' (overlayfs options): {hdir}")
    layer = _Layer(base, hdir / "upper")
    layer.write("etc/hostname", f"{target.name}\n")
    layer.write("etc/hosts", hosts_file(targets))
    layer.write("etc/systemd/network/80-container-host0.network", network_unit(target))
    layer.write(f"home/{OPERATOR}/.ssh/authorized_keys", operator_pub, mode=0o600, owner=OPERATOR)
    layer.write(AUDITD_DROP_IN, AUDITD_IN_CONTAINER)
    if keyring is not None:
        layer.write(keyring[0].lstrip("/"), keyring[1])
    return generate_host_key(layer.path(HOST_KEY), f"root@{target.name}")


def start_host(
    target: LabTarget, base: Path, state_dir: Path, lab_id: str, cgroup_dirs: Sequence[Path]
) -> int:
    """Boot a prepared host in the background; return the launcher's pid (a session leader).

    The launcher moves itself into ``cgroup_dirs`` (see :mod:`matops.lab.cgroups`) first.
    """
    hdir = host_dir(state_dir, target.name)
    nspawn = nspawn_argv(target, hdir / "root", lab_id)
    layers = [str(base), str(hdir / "upper"), str(hdir / "work"), str(hdir / "root")]
    if any(len(str(path).split()) != 1 for path in cgroup_dirs):
        raise LabError(f"cgroup paths must not contain spaces: {list(cgroup_dirs)}")
    cgroups = " ".join(str(path) for path in cgroup_dirs)
    argv = ["unshare", "--mount", "--propagation", "private", "--"]
    argv += ["sh", "-c", _LAUNCH_SCRIPT, "matops-lab-host", *layers, cgroups, *nspawn]
    with (hdir / "console.log").open("ab") as log:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, LAB_ENV: lab_id},
        )
    return proc.pid


def nspawn_argv(target: LabTarget, root: Path, lab_id: str) -> list[str]:
    """Return the systemd-nspawn arguments (after the program name) that boot ``target``."""
    return [
        "--quiet",
        f"--directory={root}",
        "--boot",
        "--register=no",
        "--keep-unit",
        f"--machine={machine_name(target.name)}",
        f"--hostname={target.name}",
        f"--network-bridge={BRIDGE_NAME}",
        "--capability=CAP_NET_ADMIN",
        "--resolv-conf=off",
        "--timezone=off",
        "--link-journal=no",
        "--console=passive",
        f"--setenv={LAB_ENV}={lab_id}",
    ]


def container_leader(launcher_pid: int) -> int | None:
    """Return the pid (in the root pid namespace) of the container's PID 1, if it is running."""
    parents = process_parents()

    def is_nspawn(pid: int) -> bool:
        cmdline = process_cmdline(pid)
        return bool(cmdline) and cmdline[0].endswith("systemd-nspawn")

    for pid in descendants(launcher_pid, parents):
        # PID 1 of the container is the child of nspawn that has exec'd (systemd).
        if is_nspawn(parents.get(pid, 0)) and not is_nspawn(pid):
            return pid
    return None


class _Layer:
    """Writes files into an overlay upper dir, giving new parent dirs the lower dir's owner."""

    def __init__(self, lower: Path, upper: Path) -> None:
        self.lower, self.upper = lower, upper

    def path(self, rel: str) -> Path:
        """Return ``upper/rel`` after creating its parents like their lower counterparts."""
        parts = Path(rel).parts
        for depth in range(1, len(parts)):
            self._mkdir(Path(*parts[:depth]))
        return self.upper / rel

    def write(self, rel: str, text: str, mode: int = 0o644, owner: str | None = None) -> None:
        """Write ``text`` to ``upper/rel`` with ``mode``, owned by ``owner`` (default root)."""
        target = self.path(rel)
        target.write_text(text)
        target.chmod(mode)
        uid, gid = self._ids(owner) if owner else (0, 0)
        os.chown(target, uid, gid)

    def _mkdir(self, rel: Path) -> None:
        """Create ``upper/rel`` copying the lower dir's mode and owner (or operator's, 0700)."""
        upper = self.upper / rel
        if upper.is_dir():
            return
        lower = self.lower / rel
        upper.mkdir()
        if lower.is_dir():
            stat = lower.stat()
            os.chown(upper, stat.st_uid, stat.st_gid)
            upper.chmod(stat.st_mode & 0o7777)
        else:  # e.g. ~/.ssh: private to the operator
            uid, gid = self._ids(OPERATOR)
            os.chown(upper, uid, gid)
            upper.chmod(0o700)

    def _ids(self, user: str) -> tuple[int, int]:
        """Look ``user`` up in the lower dir's /etc/passwd (not the machine's)."""
        for line in (self.lower / "etc/passwd").read_text().splitlines():
            fields = line.split(":")
            if fields[0] == user:
                return int(fields[2]), int(fields[3])
        raise LabError(f"user {user!r} is missing from the lab root filesystem")
