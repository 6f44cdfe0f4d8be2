"""pyinfra twin of the hardening role: the same defaults, templates and commands.

Run it with ``matops deploy --engine pyinfra --roles hardening`` (see docs/roles.md to run it by
hand). Sysctls that cannot be set here (read-only /proc/sys, as in a container) are written to
/etc/sysctl.d but skipped and reported, as in Ansible.
"""

import shlex

from pyinfra.operations import apt, files, server, systemd
from pyinfra.operations.util import any_changed

from matops.deploy.lineinfile import lineinfile, remote_text
from matops.deploy.notes import note
from matops.deploy.pyinfra_roles import Role, command_output, installed_file

role = Role.here(__file__)
in_container = command_output("systemd-detect-virt --container || true").strip() not in ("", "none")


def directory(name: str, path: str) -> None:
    """A root-owned folder (mode 0755), as the Ansible ``file: state=directory`` tasks."""
    files.directory(name=name, path=path, user="root", group="root", mode="755")


# password ageing (login.defs, edited line by line as Ansible's lineinfile does)
login_defs = remote_text("/etc/login.defs") or ""
for key, value in (
    ("PASS_MAX_DAYS", role["hardening_pass_max_days"]),
    ("PASS_MIN_DAYS", role["hardening_pass_min_days"]),
    ("PASS_WARN_AGE", role["hardening_pass_warn_age"]),
):
    login_defs = lineinfile(login_defs, rf"^{key}\s", f"{key}\t{value}")
installed_file(
    name=role.task("Set password ageing in login.defs"),
    dest="/etc/login.defs",
    content=login_defs,
    mode="0644",
)
# default_umask_restrictive and password_hashing_strong: the same file, edited further in order
login_defs = lineinfile(login_defs, r"^UMASK\s", f"UMASK\t{role['hardening_umask']}")
installed_file(
    name="default_umask_restrictive | Set the default umask in login.defs",
    dest="/etc/login.defs",
    content=login_defs,
    mode="0644",
)
for item in role["hardening_login_defs_hashing"]:
    login_defs = lineinfile(login_defs, rf"^{item['key']}\s", f"{item['key']}\t{item['value']}")
installed_file(
    name="password_hashing_strong | Set the password hash in login.defs",
    dest="/etc/login.defs",
    content=login_defs,
    mode="0644",
)

# account_lockout_after_failed_logins
installed_file(
    name="account_lockout_after_failed_logins | Set the lockout rules",
    dest="/etc/security/faillock.conf",
    content=role.render("faillock.conf.j2"),
    mode="0644",
)
profiles = [
    installed_file(
        name=f"account_lockout_after_failed_logins | Add pam_faillock to the PAM profiles ({name})",
        dest=f"/usr/share/pam-configs/{name}",
        content=role.render(template),
        mode="0644",
    )
    for template, name in (
        ("pam-faillock.j2", "matops-faillock"),
        ("pam-faillock-authfail.j2", "matops-faillock-authfail"),
    )
]
in_stack = command_output("grep -c pam_faillock.so /etc/pam.d/common-auth || true").strip()
server.shell(
    name="account_lockout_after_failed_logins | Rebuild the PAM stack with pam-auth-update",
    commands=["pam-auth-update --package"],
    _if=None if in_stack in ("", "0") else any_changed(*profiles),
)

# password_minimum_length
apt.packages(
    name="password_minimum_length | Install pam_pwquality and the cracklib dictionary",
    packages=["libpam-pwquality", "cracklib-runtime"],
)
# Without the dictionary, pam_pwquality with dictcheck refuses every new password, even root's.
dictpath = role["hardening_pwquality_dictpath"]
dict_test = f"test -f {shlex.quote(dictpath + '.pwd')} -a -f {shlex.quote(dictpath + '.pwi')}"
if (
    role["hardening_pwquality_dictcheck"]
    and not command_output(f"{dict_test} && echo found || true").strip()
):
    server.shell(
        name="password_minimum_length | Build the cracklib dictionary",
        commands=[
            f"create-cracklib-dict -o {shlex.quote(dictpath)} "
            f"{shlex.quote(role['hardening_pwquality_wordlist'])}"
        ],
    )
installed_file(
    name="password_minimum_length | Set the password rules",
    dest="/etc/security/pwquality.conf",
    content=role.render("pwquality.conf.j2"),
    mode="0644",
)

# core_dumps_disabled
installed_file(
    name="core_dumps_disabled | Set the core size limit to zero for everyone",
    dest="/etc/security/limits.d/60-matops-coredump.conf",
    content=role.render("limits-coredump.conf.j2"),
    mode="0644",
)
for folder in ("/etc/systemd/system.conf.d", "/etc/systemd/coredump.conf.d"):
    directory(f"core_dumps_disabled | Create the systemd drop-in folders ({folder})", folder)
manager = installed_file(
    name="core_dumps_disabled | Give services started by systemd no core dumps",
    dest="/etc/systemd/system.conf.d/60-matops-coredump.conf",
    content=role.render("systemd-coredump.conf.j2"),
    mode="0644",
)
installed_file(
    name="core_dumps_disabled | Tell systemd-coredump to keep nothing",
    dest="/etc/systemd/coredump.conf.d/60-matops.conf",
    content=role.render("coredump.conf.j2"),
    mode="0644",
)
coredump_conf = remote_text("/etc/systemd/coredump.conf")
if coredump_conf:
    for key, value in (("Storage", "none"), ("ProcessSizeMax", "0")):
        coredump_conf = lineinfile(
            coredump_conf, rf"^#?{key}=", f"{key}={value}", insertafter=r"^\[Coredump\]"
        )
    installed_file(
        name="core_dumps_disabled | Tell systemd-coredump to keep nothing in its own settings file",
        dest="/etc/systemd/coredump.conf",
        content=coredump_conf,
        mode="0644",
    )

# sysctls: written for every boot; applied now where /proc/sys is writable
sysctl_files = role["hardening_sysctl_files"]
for dest, purpose, settings in (
    (sysctl_files[0], "network settings", role["hardening_sysctl_network"]),
    (sysctl_files[1], "kernel settings", role["hardening_sysctl_kernel"]),
    (sysctl_files[2], "no core dumps of setuid programs", role["hardening_sysctl_coredump"]),
):
    installed_file(
        name=role.task(f"Write the sysctl settings ({dest})"),
        dest=dest,
        content=role.render("sysctl.conf.j2", sysctl_purpose=purpose, sysctl_settings=settings),
        mode="0644",
    )
state = command_output(f"sh -c {shlex.quote(role['hardening_sysctl_state_command'])}").split("\n")
if any(line.startswith("differs ") for line in state):
    server.shell(
        name=role.task("Set the sysctls that differ"),
        commands=[f"sh -c {shlex.quote(role['hardening_sysctl_apply_command'])}"],
    )
skipped = [line.split(" ", 1)[1] for line in state if line.startswith(("readonly ", "missing "))]
if skipped:
    where = "in a container" if in_container else "here"
    note(
        name=role.task("Report the sysctls that cannot be set here"),
        message=f"sysctl skipped: not possible {where} (read-only /proc/sys): {', '.join(skipped)}",
    )

# usb_storage_blocked
directory("usb_storage_blocked | Create the modprobe settings folder", "/etc/modprobe.d")
installed_file(
    name="usb_storage_blocked | Stop the USB storage drivers from loading",
    dest="/etc/modprobe.d/60-matops-blocked-modules.conf",
    content=role.render("modprobe-blocked.conf.j2"),
    mode="0644",
)
if command_output("test -d /sys/module/usb_storage && echo loaded || true").strip():
    if in_container:
        note(
            name="usb_storage_blocked | Report a loaded driver a container cannot unload",
            message="usb_storage_blocked unload skipped: not possible in a container "
            "(the module belongs to the machine)",
        )
    else:
        modules = " ".join(shlex.quote(m) for m in role["hardening_blocked_modules"])
        server.shell(
            name="usb_storage_blocked | Unload the USB storage drivers",
            commands=[f"modprobe -r {modules}"],
        )

# firewire_blocked
installed_file(
    name="firewire_blocked | Stop the FireWire drivers from loading",
    dest="/etc/modprobe.d/60-matops-firewire.conf",
    content=role.render("modprobe-firewire.conf.j2"),
    mode="0644",
)

# uncommon_network_protocols_disabled
installed_file(
    name="uncommon_network_protocols_disabled | Stop rarely used network protocols from loading",
    dest="/etc/modprobe.d/60-matops-network-protocols.conf",
    content=role.render("modprobe-protocols.conf.j2"),
    mode="0644",
)

# cron_and_sshd_config_restricted: each path that exists, a folder or a file
restricted = role["hardening_restricted_paths"]
kinds = command_output(
    "for p in "
    + " ".join(shlex.quote(item["path"]) for item in restricted)
    + '; do if [ -d "$p" ]; then echo "d $p"; elif [ -e "$p" ]; then echo "f $p"; fi; done'
)
found = {path: kind for kind, path in (line.split(" ", 1) for line in kinds.splitlines() if line)}
for item in restricted:
    kind, path = found.get(item["path"]), item["path"]
    step = f"cron_and_sshd_config_restricted | Keep cron's files and sshd_config to root ({path})"
    if kind == "d":
        files.directory(name=step, path=path, user="root", group="root", mode=item["mode"][1:])
    elif kind == "f":
        files.file(name=step, path=path, user="root", group="root", mode=item["mode"][1:])

# sudo_uses_pty_and_logs
installed_file(
    name="sudo_uses_pty_and_logs | Give sudo commands their own terminal and a log file",
    dest="/etc/sudoers.d/matops-hardening",
    content=role.render("sudoers-hardening.j2"),
    mode="0440",
    validate="visudo -cf %s",
)

# home_directories_private
if command_output(f"sh -c {shlex.quote(role['hardening_home_state_command'])}").strip():
    server.shell(
        name="home_directories_private | Keep home folders and dotfiles to their owners",
        commands=[f"sh -c {shlex.quote(role['hardening_home_fix_command'])}"],
    )

# services nobody needs
apt.packages(
    name=role.task("Remove services a school host does not need"),
    packages=role["hardening_removed_packages"],
    present=False,
)

# file_integrity_monitored (last, so that AIDE records the hardened files)
apt.packages(
    name="file_integrity_monitored | Install AIDE and debsums",
    packages=role["hardening_file_integrity_packages"],
)
installed_file(
    name="file_integrity_monitored | Check package files against Debian's checksums on a "
    "schedule (debsums)",
    dest="/etc/default/debsums",
    content=role.render("debsums-default.j2"),
    mode="0644",
)
aide_database = shlex.quote(role["hardening_aide_database"])
if not command_output(f"test -f {aide_database} && echo yes || true").strip():
    server.shell(
        name="file_integrity_monitored | Record the files as they are now (AIDE's first database)",
        commands=["aideinit --yes --force"],
    )
systemd.service(
    name="file_integrity_monitored | Compare the files with AIDE's database every day",
    service=role["hardening_aide_timer"],
    running=True,
    enabled=True,
)

server.shell(
    name="Re-execute systemd", commands=["systemctl daemon-reexec"], _if=manager.did_change
)
