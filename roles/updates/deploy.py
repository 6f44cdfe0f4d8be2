"""pyinfra twin of the updates role: the same defaults and templates.

``matops deploy --engine pyinfra --roles updates`` (see docs/roles.md).
"""

from pyinfra.operations import apt, files, systemd

from matops.deploy.pyinfra_roles import Role, installed_file

role = Role.here(__file__)

apt.packages(
    name="unattended_upgrades_enabled | Ensure unattended-upgrades is installed",
    packages=["unattended-upgrades", "apt-listchanges"],
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
