"""pyinfra twin of the endpoint role: the same defaults, templates and validation.

Run it with ``matops deploy --engine pyinfra --roles endpoint`` (see docs/roles.md to run it by
hand). Hosts whose device_role is not an endpoint role are skipped and reported, as in Ansible.
"""

from pyinfra.operations import apt, files, server

from matops.deploy.notes import note
from matops.deploy.pyinfra_roles import Role, installed_file

role = Role.here(__file__)

if not role["endpoint_applies"]:
    device_role = role.vars.get("device_role") or "(none)"
    note(
        name=role.task("Report a host that is not an endpoint"),
        message=f"endpoint skipped: device_role {device_role} is not one of "
        + ", ".join(role["endpoint_device_roles"]),
    )
else:
    # filtering_ca_installed
    apt.packages(
        name="filtering_ca_installed | Install ca-certificates", packages=["ca-certificates"]
    )
    if role["endpoint_filtering_ca_pem"]:
        ca = installed_file(
            name=(
                "filtering_ca_installed | Put the web filter's CA in the system trust store "
                "(checked with openssl)"
            ),
            dest=role["endpoint_filtering_ca_path"],
            content=role.render("filtering-ca.crt.j2"),
            mode="0644",
            validate="openssl x509 -noout -in %s",
        )
        server.shell(
            name="Update the CA bundle", commands=["update-ca-certificates"], _if=ca.did_change
        )
    else:
        note(
            name="filtering_ca_installed | Report a school without a filtering CA",
            message=(
                "filtering_ca_installed skipped: the school records no web-filtering CA certificate"
            ),
        )

    # browser policy
    files.directory(
        name=role.task("Create the Firefox policies folder"),
        path=role["endpoint_firefox_policies_dir"],
        user="root",
        group="root",
        mode="755",
    )
    installed_file(
        name=role.task("Lock safe search and the proxy in the browser policy (checked as JSON)"),
        dest=f"{role['endpoint_firefox_policies_dir']}/policies.json",
        content=role.render("policies.json.j2"),
        mode="0644",
        validate="python3 -m json.tool %s",
    )

    # software
    packages = role["endpoint_packages"]
    if role["endpoint_software_install"] and packages:
        apt.packages(name=role.task("Install the school's software set"), packages=packages)
    notes = []
    if not role["endpoint_software_install"] and packages:
        notes.append(
            f"endpoint_software_install is false (no package mirror): {', '.join(packages)}"
        )
    if role["endpoint_unpackaged"]:
        notes.append(f"not packaged by Debian: {', '.join(role['endpoint_unpackaged'])}")
    if notes:
        note(
            name=role.task("Report software that is not installed here"),
            message=f"software skipped: {'; '.join(notes)}",
        )
