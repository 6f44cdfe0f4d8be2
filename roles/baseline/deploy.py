"""pyinfra twin of the baseline role: the same defaults, templates, checks and validation.

Run it with ``matops deploy --engine pyinfra --roles baseline`` (see docs/roles.md to run it by
hand). In a container chrony's configuration is written but the service is left alone and the
skip is reported, as in Ansible.
"""

import shlex

from pyinfra.context import host
from pyinfra.operations import apt, files, server, systemd

from matops.deploy.pyinfra_roles import (
    Role,
    command_output,
    deploy_user,
    installed_file,
    require,
)

role = Role.here(__file__)
virt = command_output("systemd-detect-virt --container || true").strip()
in_container = virt not in ("", "none")
TIME = "time_synchronised | "
ADMINS = "local_admins_match_inventory | "


def root_file(name: str, dest: str, template: str, **extra: object) -> object:
    """A root-owned 0644 file rendered from the role's template, as the Ansible template tasks."""
    return installed_file(name=name, dest=dest, content=role.render(template, **extra), mode="0644")


# identity: host name, /etc/hosts, timezone
hostname = root_file(role.task("Set the host name"), "/etc/hostname", "hostname.j2")
root_file(role.task("Write /etc/hosts"), "/etc/hosts", "hosts.j2")
files.link(
    name=role.task("Set the timezone"),
    path="/etc/localtime",
    target=f"/usr/share/zoneinfo/{role['baseline_timezone']}",
)
root_file(role.task("Name the timezone in /etc/timezone"), "/etc/timezone", "timezone.j2")

# time_synchronised
apt.packages(name=TIME + "Ensure chrony is installed", packages=["chrony"])
chrony = installed_file(
    name=TIME + "Point chrony at the trust's time source only (checked with chronyd -p)",
    dest=role["baseline_chrony_conf_path"],
    content=role.render("chrony.conf.j2"),
    mode="0644",
    validate="/usr/sbin/chronyd -p -f %s",
)
if in_container:
    host.noop(
        f"time_synchronised | chrony skipped: not possible in a container ({virt}); the clock "
        "belongs to the machine the container runs on (chrony.conf is written all the same)"
    )
else:
    systemd.service(
        name=TIME + "Ensure chrony is enabled and running",
        service="chrony",
        running=True,
        enabled=True,
    )

root_file(role.task("Use the trust's DNS resolvers"), "/etc/resolv.conf", "resolv.conf.j2")

# ssh_login_banner
for banner_file in role["baseline_banner_files"]:
    root_file("ssh_login_banner | Show the trust's banner before login", banner_file, "banner.j2")

# local_admins_match_inventory: the deploy account is never removed or taken out of the group
admins = role["baseline_admins"]
group = role["baseline_admin_group"]
keep = [a["username"] for a in admins] + list(role["baseline_keep_accounts"]) + [deploy_user()]
local_accounts = command_output(
    "awk -F: -v lo={} -v hi={} {} /etc/passwd".format(
        int(role["baseline_uid_min"]),
        int(role["baseline_uid_max"]),
        shlex.quote("$3 >= lo && $3 <= hi { print $1 }"),
    )
).split()
remove = (
    [a for a in local_accounts if a not in keep] if role["baseline_remove_unknown_accounts"] else []
)
group_line = command_output(f"getent group {shlex.quote(group)} || true").strip()
members = [m for m in [*group_line.split(":"), "", "", "", ""][3].split(",") if m]

for admin in admins:
    home = f"{role['baseline_home_root']}/{admin['username']}"
    server.user(
        name=ADMINS + "Create the administrators' accounts in the admin group",
        user=admin["username"],
        comment=admin["full_name"],
        shell=role["baseline_admin_shell"],
        home=home,
        create_home=True,
        groups=[group],
        append=True,
    )
for admin in admins:
    files.directory(
        name=ADMINS + "Create the administrators' .ssh folders",
        path=f"{role['baseline_home_root']}/{admin['username']}/.ssh",
        user=admin["username"],
        group=admin["username"],
        mode="700",
    )
for admin in admins:
    installed_file(
        name=ADMINS + "Install exactly the administrators' SSH keys",
        dest=f"{role['baseline_home_root']}/{admin['username']}/.ssh/authorized_keys",
        content=role.render("authorized_keys.j2", baseline_admin=admin),
        mode="0600",
        user=admin["username"],
        group=admin["username"],
    )
for member in members:
    if member not in keep and member not in remove:
        server.shell(
            name=ADMINS + "Take other members out of the admin group",
            commands=[f"gpasswd --delete {shlex.quote(member)} {shlex.quote(group)}"],
        )
for account in remove:
    server.user(
        name=ADMINS + "Remove local login accounts that are not in the inventory",
        user=account,
        present=False,
    )

# sudo_nopasswd_limited: never take passwordless sudo from the account this run uses
user = deploy_user()
admin_names = [a["username"] for a in admins]
require(
    user == "root"
    or user in role["baseline_nopasswd_accounts"]
    or (role["baseline_admins_nopasswd"] and user in admin_names),
    "sudo_nopasswd_limited | Refuse to take passwordless sudo from the deploy account",
    f"the deploy account ({user}) is not in baseline_nopasswd_accounts "
    f"({', '.join(role['baseline_nopasswd_accounts'])}): the new sudoers file would make sudo "
    "ask it for a password in the middle of this run. Deploy as an automation account listed in "
    "trust.automation_accounts.",
)
installed_file(
    name="sudo_nopasswd_limited | Let the named administrators use sudo (checked with visudo -cf)",
    dest=role["baseline_sudoers_path"],
    content=role.render("sudoers-admins.j2"),
    mode="0440",
    validate="/usr/sbin/visudo -cf %s",
)

# no_empty_passwords: lock (usermod --lock prefixes "!") any account whose password is empty
empty_password = command_output("awk -F: '$2 == \"\" {print $1}' /etc/shadow").split()
for account in empty_password:
    server.shell(
        name="no_empty_passwords | Lock every account whose password is empty",
        commands=[f"usermod --lock {shlex.quote(account)}"],
    )

# handlers
server.shell(
    name="Apply the host name",
    commands=["hostname --file /etc/hostname"],
    _if=hostname.did_change,
)
if not in_container:
    systemd.service(name="Restart chrony", service="chrony", restarted=True, _if=chrony.did_change)
