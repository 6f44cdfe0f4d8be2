"""The options every connecting command shares, and the one place a run's profile is built.

``scan``, ``deploy``, ``network backup|diff|push`` and ``refresh plan|run|resume`` take the same
four options and call :func:`connection_profile` once; what it returns is passed down and is the
only thing below the command layer that says whether a run is in the lab. The lab folder's
environment variable is read here only, as the default of ``--lab-dir`` (it never means
``--lab``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated

import typer

from matops.commands.common import fail
from matops.connect.profile import ConnectionProfile, build_profile
from matops.inventory.model import Target
from matops.lab.lifecycle import default_state_dir
from matops.lab.record import read_record

LabOption = Annotated[
    bool,
    typer.Option(
        "--lab",
        help="Connect to the lab on this machine: its ssh_config, known_hosts, switch passwords "
        "and made-up secrets (never the trust's own).",
    ),
]
LabDirOption = Annotated[
    Path | None,
    typer.Option(
        "--lab-dir",
        show_default=False,
        help="The lab's state folder (given, it implies --lab). Default for --lab: "
        "$MATOPS_LAB_DIR, else the running lab's, else /var/lib/matops/lab.",
    ),
]
SshConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--ssh-config",
        show_default=False,
        help="ssh_config for Linux hosts (Host blocks named as in the inventory); with --lab, "
        "instead of the lab's.",
    ),
]
VaultOption = Annotated[
    Path | None,
    typer.Option(
        "--vault-password-file",
        show_default=False,
        help="Vault password file (default: $ANSIBLE_VAULT_PASSWORD_FILE).",
    ),
]


LAB_DIR_VARIABLE = "MATOPS_LAB_DIR"
"""--lab-dir's default (only where --lab-dir is defaulted, here); it never means --lab."""


def lab_folder(lab_dir: Path | None, env: Mapping[str, str]) -> Path:
    """--lab-dir, else its default: $MATOPS_LAB_DIR, the running lab's folder, the usual one.

    >>> lab_folder(Path("/srv/lab"), {})
    PosixPath('/srv/lab')
    """
    named = lab_dir or (Path(env[LAB_DIR_VARIABLE]) if env.get(LAB_DIR_VARIABLE) else None)
    return (named or default_state_dir()).absolute()


def lab_addresses(lab_dir: Path) -> dict[str, str]:
    """Address → target name of the lab recorded in ``lab_dir`` (empty when none is up there)."""
    record = read_record(lab_dir)
    return {str(t.address): t.name for t in record.targets()} if record else {}


def lab_tenant_simulator(lab_dir: Path) -> str | None:
    """Where the lab in ``lab_dir`` runs its tenant simulator (``lab.json``), if it runs one."""
    record = read_record(lab_dir)
    entry = record.data.get("tenantsim") if record else None
    url = entry.get("base_url") if isinstance(entry, dict) else None
    return url if isinstance(url, str) else None


def refuse_lab_targets(lab_dir: Path, targets: Iterable[Target]) -> None:
    """Exit 2 with one line when any target is at an address of the lab that is up."""
    addresses = lab_addresses(lab_dir)
    hit = [t.name for t in targets if str(t.address) in addresses]
    if hit:
        shown = ", ".join(hit[:3]) + (f" and {len(hit) - 3} more" if len(hit) > 3 else "")
        fail(
            f"{shown}: lab address(es) and the lab is up ({lab_dir}); add --lab to use the "
            "lab's host keys and secrets"
        )


def connection_profile(
    trust_dir: Path,
    targets: Iterable[Target],
    *,
    lab: bool,
    lab_dir: Path | None,
    ssh_config: Path | None,
    vault_password_file: Path | None,
    offline: bool = False,
    tenant_variables: Iterable[str] = (),
) -> ConnectionProfile:
    """Build the run's profile from the command line; exit 2 on a usage error.

    Without --lab, a run pointed at a lab that is up is refused (one line naming --lab), unless
    it is ``offline`` (contacts nothing). With --lab, the lab must be there (its ssh_config).
    Named files must exist. ``tenant_variables``: the variables the trust's tenants name for
    their credentials (read from the environment of a run against the real trust only).
    """
    env = dict(os.environ)
    folder = lab_folder(lab_dir, env)
    use_lab = lab or lab_dir is not None
    if ssh_config is not None and not ssh_config.is_file():
        fail(f"--ssh-config {ssh_config} is not a file")
    vault = vault_password_file or (
        Path(env["ANSIBLE_VAULT_PASSWORD_FILE"]) if env.get("ANSIBLE_VAULT_PASSWORD_FILE") else None
    )
    if vault is not None and not vault.is_file():
        fail(f"vault password file {vault} is not a file")
    if use_lab and not (folder / "ssh_config").is_file():
        fail(f"no running lab in {folder} (no ssh_config there); start one with matops lab up")
    if not use_lab and not offline:
        refuse_lab_targets(folder, targets)
    return build_profile(
        trust_dir.absolute(),
        lab_dir=folder if use_lab else None,
        ssh_config=ssh_config.absolute() if ssh_config else None,
        vault_password_file=vault.absolute() if vault else None,
        environment=env,
        tenant_variables=tenant_variables,
        tenant_simulator=lab_tenant_simulator(folder) if use_lab else None,
    )
