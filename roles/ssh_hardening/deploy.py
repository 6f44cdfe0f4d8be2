"""pyinfra twin of the ssh_hardening role: the same defaults, template, checks and validation.

Run it with ``matops deploy --engine pyinfra --roles ssh_hardening`` or directly:
``pyinfra --sudo -y matops.inventory.pyinfra_adapter.inventory roles/ssh_hardening/deploy.py``
(``MATOPS_INVENTORY``, ``MATOPS_SSH_CONFIG`` and ``MATOPS_LIMIT`` select the trust, SSH settings
and hosts).
"""

import shlex

from pyinfra.operations import apt, systemd

from matops.deploy.pyinfra_roles import Role, command_output, deploy_user, installed_file, require

role = Role.here(__file__)

apt.packages(name=role.task("Ensure the OpenSSH server is installed"), packages=["openssh-server"])

user = deploy_user()
groups = set(command_output(f"id -nG {shlex.quote(user)}").split())
allowed = role["ssh_hardening_allow_groups"]
root_refused = user == "root" and role["ssh_hardening_permit_root_login"] == "no"
require(
    bool(groups & set(allowed)) and not root_refused,
    role.task("Refuse a configuration that would lock out the deploy account"),
    f"the deploy account ({user}) is in none of ssh_hardening_allow_groups ({', '.join(allowed)}), "
    "or is root while root logins are refused: this drop-in would lock it out",
)

dropin = installed_file(
    name=(
        "ssh_root_login_disabled, ssh_password_authentication_disabled, ssh_strong_algorithms, "
        "ssh_idle_timeout, ssh_max_auth_tries, ssh_login_banner, "
        "ssh_compression_and_tcp_keepalive_off | "
        "Install the sshd drop-in (checked with sshd -t)"
    ),
    dest=role["ssh_hardening_dropin_path"],
    content=role.render("sshd-hardening.conf.j2"),
    mode="0644",
    validate="/usr/sbin/sshd -t -f %s",
)

installed_file(
    name="ssh_idle_timeout | Log out login shells left idle at their prompt (read-only TMOUT)",
    dest=role["ssh_hardening_shell_timeout_path"],
    content=role.render("idle-timeout.sh.j2"),
    mode="0644",
)

systemd.service(
    name=role.task("Ensure sshd is enabled and running"), service="ssh", running=True, enabled=True
)
systemd.service(name="Reload sshd", service="ssh", reloaded=True, _if=dropin.did_change)
