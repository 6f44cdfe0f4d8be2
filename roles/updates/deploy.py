"""pyinfra twin of the updates role: the same defaults and templates.

``matops deploy --engine pyinfra --roles updates`` (see docs/roles.md).
"""

import shlex

from pyinfra.operations import apt, files, server, systemd

from matops.deploy.pyinfra_roles import Role, command_output, installed_file

role = Role.here(__file__)

apt.packages(
    name="unattended_upgrades_enabled | Ensure unattended-upgrades is installed",
    packages=["unattended-upgrades", "apt-listchanges"],
)
changed_sources = []
if role["updates_apt_mirror"] is not None:
    changed_sources.append(
        installed_file(
            name="apt_security_suite_configured | Point APT at the trust's mirror and its "
            "security suite",
            dest=role["updates_sources_path"],
            content=role.render("matops-mirror.sources.j2"),
        )
    )
    changed_sources.append(
        installed_file(
            name="apt_security_suite_configured | Leave no other Debian source in sources.list",
            dest="/etc/apt/sources.list",
            content=role.render("sources.list.j2"),
        )
    )
installed_file(
    name="apt_lists_fresh | Stamp every package-list refresh that succeeds",
    dest="/etc/apt/apt.conf.d/15matops-update-stamp",
    content=role.render("15matops-update-stamp.j2"),
)
minutes = shlex.quote(f"-{int(role['updates_refresh_after_minutes'])}")
recent = command_output(
    "find /var/lib/apt/periodic -maxdepth 1 -name update-success-stamp -mmin " + minutes
).strip()
server.shell(
    name="apt_lists_fresh | Refresh the package lists (any source failing fails the host)",
    commands=["apt-get update -q -o APT::Update::Error-Mode=any"],
    _if=lambda: not recent or any(op.did_change() for op in changed_sources),
)
installed_file(
    name="unattended_upgrades_enabled | Turn on the daily update run",
    dest="/etc/apt/apt.conf.d/20auto-upgrades",
    content=role.render("20auto-upgrades.j2"),
)
installed_file(
    name="security_updates_within_14_days | Install security updates and reboot in the window",
    dest="/etc/apt/apt.conf.d/52matops-unattended-upgrades",
    content=role.render("52matops-unattended-upgrades.j2"),
)
files.directory(
    name=role.task("Ensure the upgrade timer folder exists"),
    path="/etc/systemd/system/apt-daily-upgrade.timer.d",
    user="root",
    group="root",
    mode="0755",
)
timer = installed_file(
    name=role.task("Schedule the upgrade run"),
    dest="/etc/systemd/system/apt-daily-upgrade.timer.d/matops.conf",
    content=role.render("apt-daily-upgrade-timer.conf.j2"),
)
for unit in ("apt-daily.timer", "apt-daily-upgrade.timer", "unattended-upgrades.service"):
    systemd.service(
        name="unattended_upgrades_enabled | Ensure the update timers are enabled and running",
        service=unit,
        running=True,
        enabled=True,
    )
systemd.daemon_reload(name="Reload systemd units", _if=timer.did_change)
