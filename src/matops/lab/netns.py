"""The lab network: one bridge in the root namespace, a namespace and veth per target.

Everything lives in 198.18.0.0/16. Targets get their address on-link with **no default route**,
ip_forward is never touched, and an nftables table (``inet matops_lab``) drops anything entering
from the bridge that is not addressed to the lab network, so a lab host can never send traffic
beyond the machine even if a role adds a route.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from matops.lab.model import (
    BRIDGE_ADDRESS,
    BRIDGE_NAME,
    LAB_NETWORK,
    PREFIX,
    LabError,
    LabTarget,
    host_veth_name,
    netns_name,
)
from matops.lab.proc import run

NFT_TABLE = "matops_lab"

_GUARD_RULES = f"""
table inet {NFT_TABLE} {{
  chain forward {{
    type filter hook forward priority -10; policy accept;
    iifname "{BRIDGE_NAME}" ip daddr != {LAB_NETWORK} drop
    oifname "{BRIDGE_NAME}" ip saddr != {LAB_NETWORK} drop
    iifname "{BRIDGE_NAME}" ip6 daddr != {{ fe80::/10, ff00::/8 }} drop
  }}
  chain input {{
    type filter hook input priority -10; policy accept;
    iifname "{BRIDGE_NAME}" ip daddr != {LAB_NETWORK} drop
    iifname "{BRIDGE_NAME}" ip6 daddr != {{ fe80::/10, ff00::/8 }} drop
  }}
}}
"""


def bridge_exists() -> bool:
    """Return True if the lab bridge exists in the root namespace."""
    return Path("/sys/class/net", BRIDGE_NAME).exists()


def bridge_owner() -> str | None:
    """Return the state directory recorded on the bridge (its ifalias), or None."""
    alias = Path("/sys/class/net", BRIDGE_NAME, "ifalias")
    if not alias.exists():
        return None
    return alias.read_text().strip() or None


def create_bridge(state_dir: Path) -> None:
    """Create ``mtlab0`` with 198.18.0.1/16, tag it with ``state_dir`` and add the guard rules."""
    prefix = LAB_NETWORK.prefixlen
    run(["ip", "link", "add", BRIDGE_NAME, "type", "bridge", "stp_state", "0"])
    run(["ip", "link", "set", BRIDGE_NAME, "alias", str(state_dir)])
    run(["ip", "addr", "add", f"{BRIDGE_ADDRESS}/{prefix}", "dev", BRIDGE_NAME])
    run(["ip", "link", "set", BRIDGE_NAME, "up"])
    add_guard_rules()


def add_guard_rules() -> None:
    """Install the ``inet matops_lab`` nftables table (replacing any earlier copy)."""
    delete_guard_rules()
    run(["nft", "-f", "-"], input_text=_GUARD_RULES)


def delete_guard_rules() -> None:
    """Remove the lab's nftables table if present."""
    run(["nft", "delete", "table", "inet", NFT_TABLE], check=False)


def guard_rules_present() -> bool:
    """Return True if the lab's nftables table exists."""
    return run(["nft", "list", "table", "inet", NFT_TABLE], check=False).returncode == 0


def create_target_netns(target: LabTarget) -> tuple[str, str]:
    """Create a namespace and veth for a (switch) target; return (netns, host veth).

    Inside the namespace the target has ``lo`` and ``eth0`` with ``<address>/16``, no route out.
    """
    ns, veth = netns_name(target.name), host_veth_name(target)
    run(["ip", "netns", "add", ns])
    run(["ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns])
    run(["ip", "link", "set", veth, "master", BRIDGE_NAME, "up"])
    address = f"{target.address}/{LAB_NETWORK.prefixlen}"
    run(["ip", "-n", ns, "addr", "add", address, "dev", "eth0"])
    run(["ip", "-n", ns, "link", "set", "eth0", "up"])
    run(["ip", "-n", ns, "link", "set", "lo", "up"])
    return ns, veth


def netns_exec_argv(ns: str, argv: Sequence[str]) -> list[str]:
    """Return the argument list running ``argv`` inside the named network namespace.

    >>> netns_exec_argv("mtl-abc", ["ip", "route"])
    ['ip', 'netns', 'exec', 'mtl-abc', 'ip', 'route']
    """
    return ["ip", "netns", "exec", ns, *argv]


def serve_in_namespace(
    ns: str,
    address: ipaddress.IPv4Address,
    argv: Sequence[str],
    log: Path,
    environment: Mapping[str, str],
) -> int:
    """Give a lab service its own namespace on the bridge at ``address`` and start ``argv``
    there (its own session, output appended to ``log``, ``environment`` added); its pid.

    The lab's package mirror and tenant simulator are started this way.
    """
    run(["ip", "netns", "add", ns])
    run(["ip", "link", "add", ns, "type", "veth", "peer", "name", "eth0", "netns", ns])
    run(["ip", "link", "set", ns, "master", BRIDGE_NAME, "up"])
    run(["ip", "-n", ns, "addr", "add", f"{address}/{LAB_NETWORK.prefixlen}", "dev", "eth0"])
    run(["ip", "-n", ns, "link", "set", "eth0", "up"])
    run(["ip", "-n", ns, "link", "set", "lo", "up"])
    with log.open("ab") as handle:
        proc = subprocess.Popen(
            netns_exec_argv(ns, argv),
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **environment},
        )
    return proc.pid


def pid_netns_argv(pid: int, argv: Sequence[str]) -> list[str]:
    """Return the argument list running ``argv`` in the network namespace of process ``pid``.

    >>> pid_netns_argv(42, ["ip", "route"])
    ['nsenter', '--target', '42', '--net', '--', 'ip', 'route']
    """
    return ["nsenter", "--target", str(pid), "--net", "--", *argv]


def lab_netns_names() -> list[str]:
    """Return every network namespace whose name carries the lab prefix."""
    result = run(["ip", "-j", "netns", "list"], check=False)
    entries = json.loads(result.stdout or "[]") if result.returncode == 0 else []
    return [e["name"] for e in entries if str(e.get("name", "")).startswith(f"{PREFIX}-")]


def lab_link_names() -> list[str]:
    """Return every root-namespace interface that belongs to the lab (veths and the bridge)."""
    names = [path.name for path in Path("/sys/class/net").iterdir()]
    prefixes = (f"{PREFIX}-", f"vb-{PREFIX}-", BRIDGE_NAME)
    return sorted(name for name in names if name.startswith(prefixes))


def delete_netns(ns: str) -> None:
    """Delete a network namespace (its veth goes with it); absent is fine."""
    run(["ip", "netns", "delete", ns], check=False)


def delete_link(name: str) -> None:
    """Delete an interface in the root namespace; absent is fine."""
    run(["ip", "link", "delete", name], check=False)


def wait_for_ssh(address: str, port: int = 22, timeout: float = 60.0) -> None:
    """Wait until an SSH server at ``address`` sends its banner, or raise LabError.

    Only lab or loopback addresses are ever contacted.
    """
    _require_lab_or_loopback(address)
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            if ssh_banner(address, port).startswith("SSH-"):
                return
        except OSError as exc:
            last = str(exc)
        time.sleep(0.2)
    raise LabError(f"no SSH server answered on {address}:{port} within {timeout:.0f}s ({last})")


def ssh_banner(address: str, port: int = 22, timeout: float = 2.0) -> str:
    """Connect to ``address:port`` and return the first line the server sends."""
    _require_lab_or_loopback(address)
    with socket.create_connection((address, port), timeout=timeout) as conn:
        lines = conn.recv(256).decode(errors="replace").splitlines()
    return lines[0] if lines else ""


def _require_lab_or_loopback(address: str) -> None:
    """Refuse to contact anything outside the lab network and loopback."""
    ip = ipaddress.ip_address(address)
    if ip not in LAB_NETWORK and not ip.is_loopback:
        raise LabError(f"refusing to contact {address}: outside {LAB_NETWORK} and loopback")
