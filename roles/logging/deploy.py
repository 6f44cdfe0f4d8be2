"""pyinfra twin of the logging role: the same defaults, templates and validation.

Run it with ``matops deploy --engine pyinfra --roles logging`` (see docs/roles.md to run it by
hand). In a container auditd cannot run: starting it is skipped and reported, as in Ansible.
"""

from pyinfra.operations import apt, files, server, systemd

from matops.deploy.notes import note
from matops.deploy.pyinfra_roles import Role, command_output, installed_file

role = Role.here(__file__)
in_container = command_output("systemd-detect-virt --container || true").strip() not in ("", "none")
FORWARD = "/etc/rsyslog.d/50-matops-forward.conf"

# syslog_forwarded_to_trust
apt.packages(name="syslog_forwarded_to_trust | Install rsyslog", packages=["rsyslog"])
if role["logging_forward_targets"]:
    forward = installed_file(
        name="syslog_forwarded_to_trust | Forward every message to the trust's syslog hosts",
        dest=FORWARD,
        content=role.render("forward.conf.j2"),
        mode="0644",
        validate="rsyslogd -N1 -f %s",
    )
else:
    forward = files.file(
        name="syslog_forwarded_to_trust | Forward nothing from the syslog host itself",
        path=FORWARD,
        present=False,
    )
RECEIVE = "/etc/rsyslog.d/40-matops-receive.conf"
ROTATE = "/etc/logrotate.d/matops-remote"
if role["logging_is_syslog_server"]:
    receive = installed_file(
        name="syslog_server_receives | Receive the trust's hosts' logs on a trust syslog server "
        "(checked with rsyslogd -N1)",
        dest=RECEIVE,
        content=role.render("receive.conf.j2"),
        mode="0644",
        validate="rsyslogd -N1 -f %s",
    )
    installed_file(
        name="syslog_server_receives | Rotate what a trust syslog server receives",
        dest=ROTATE,
        content=role.render("logrotate-remote.j2"),
        mode="0644",
    )
else:
    receive = files.file(
        name="syslog_server_receives | Receive nothing on a host that is not a trust syslog server",
        path=RECEIVE,
        present=False,
    )
    files.file(
        name="syslog_server_receives | Receive nothing on a host that is not a trust syslog server",
        path=ROTATE,
        present=False,
    )
systemd.service(
    name="syslog_forwarded_to_trust | Run rsyslog now and at boot",
    service="rsyslog",
    running=True,
    enabled=True,
)
systemd.service(
    name="Restart rsyslog",
    service="rsyslog",
    restarted=True,
    _if=lambda: bool(forward.did_change() or receive.did_change()),
)

apt.packages(
    name=role.task("Install logrotate to rotate the logs kept on the host"), packages=["logrotate"]
)

# journald
files.directory(
    name=role.task("Create the journald drop-in folder"),
    path="/etc/systemd/journald.conf.d",
    user="root",
    group="root",
    mode="755",
)
journald = installed_file(
    name=role.task("Keep the journal on disk with size and age limits"),
    dest="/etc/systemd/journald.conf.d/50-matops.conf",
    content=role.render("journald.conf.j2"),
    mode="0644",
)
systemd.service(
    name="Restart journald", service="systemd-journald", restarted=True, _if=journald.did_change
)

# auditd_running
apt.packages(name="auditd_running | Install auditd", packages=["auditd"])
auditd_conf = installed_file(
    name="auditd_running | Configure the audit daemon",
    dest="/etc/audit/auditd.conf",
    content=role.render("auditd.conf.j2"),
    mode="0640",
)
rules = installed_file(
    name="auditd_running | Audit privileged commands and changes to accounts, sudo and SSH",
    dest="/etc/audit/rules.d/50-matops-privileged.rules",
    content=role.render("privileged.rules.j2"),
    mode="0640",
)
if in_container:
    note(
        name="auditd_running | Report that auditd cannot run in a container",
        message="auditd_running skipped: not possible in a container "
        "(the kernel keeps audit to the machine)",
    )
else:
    systemd.service(
        name="auditd_running | Run auditd now and at boot",
        service="auditd",
        running=True,
        enabled=True,
    )
    systemd.service(
        name="Reload auditd", service="auditd", reloaded=True, _if=auditd_conf.did_change
    )
    server.shell(name="Load audit rules", commands=["augenrules --load"], _if=rules.did_change)
