"""Which variables a role's templates see (pure): Ansible's precedence, lazy references, and the
template settings that make both engines write the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from matops.deploy.pyinfra_roles import Role, install_commands, sha1_text
from matops.deploy.variables import RoleVariableError, resolve, role_variables, template_environment

ROLES = Path(__file__).resolve().parents[3] / "roles"


def make_role(tmp_path: Path, defaults: str, vars_: str = "", template: str = "") -> Path:
    role = tmp_path / "demo"
    (role / "defaults").mkdir(parents=True)
    (role / "defaults" / "main.yml").write_text(defaults)
    if vars_:
        (role / "vars").mkdir()
        (role / "vars" / "main.yml").write_text(vars_)
    if template:
        (role / "templates").mkdir()
        (role / "templates" / "t.j2").write_text(template)
    return role


def test_inventory_overrides_defaults_and_role_vars_override_inventory(tmp_path: Path) -> None:
    role = make_role(tmp_path, "demo_a: 1\ndemo_b: 2\ndemo_c: 3\n", vars_="demo_c: 30\n")
    result = role_variables(role, {"demo_b": 20, "demo_c": 99}, "h1")
    assert (result["demo_a"], result["demo_b"], result["demo_c"]) == (1, 20, 30)
    assert result["inventory_hostname"] == "h1"


def test_defaults_referring_to_inventory_keep_their_type(tmp_path: Path) -> None:
    role = make_role(
        tmp_path,
        'demo_servers: "{{ trust.services.ntp }}"\n'
        'demo_first: "{{ demo_servers | first }}"\n'
        'demo_line: "server {{ demo_first }} iburst"\n',
    )
    result = role_variables(role, {"trust": {"services": {"ntp": ["198.18.20.10"]}}}, "h1")
    assert result["demo_servers"] == ["198.18.20.10"]
    assert result["demo_line"] == "server 198.18.20.10 iburst"


def test_inventory_strings_are_not_templated_again(tmp_path: Path) -> None:
    role = make_role(tmp_path, "demo_a: 1\n")
    result = role_variables(role, {"note": "literal {{ braces }}"}, "h1")
    assert result["note"] == "literal {{ braces }}"


def test_undefined_reference_names_the_variable(tmp_path: Path) -> None:
    role = make_role(tmp_path, 'demo_a: "{{ nowhere }}"\n')
    with pytest.raises(RoleVariableError, match="demo_a"):
        role_variables(role, {}, "h1")


def test_self_reference_is_an_error(tmp_path: Path) -> None:
    role = make_role(tmp_path, 'demo_a: "{{ demo_a }}"\n')
    with pytest.raises(RoleVariableError, match="itself"):
        role_variables(role, {}, "h1")


def test_templates_render_like_ansible(tmp_path: Path) -> None:
    """trim_blocks on, lstrip_blocks off, the trailing newline kept, undefined is an error."""
    template = "a\n{% for x in demo_list %}\n- {{ x }}\n{% endfor %}\nend\n"
    role = make_role(tmp_path, "demo_list: [1, 2]\n", template=template)
    rendered = Role.load(role, {}, "h1").render("t.j2")
    assert rendered == "a\n- 1\n- 2\nend\n"
    with pytest.raises(Exception, match="missing"):
        template_environment().from_string("{{ missing }}").render()


def test_resolve_leaves_plain_values_alone() -> None:
    env = template_environment()
    assert resolve({"a": [1, "x"], "b": None}, {}, env) == {"a": [1, "x"], "b": None}


def test_staged_install_validates_before_replacing() -> None:
    staged, command = install_commands(
        "/etc/ssh/x y.conf", "/usr/sbin/sshd -t -f %s", "0600", "root:root"
    )
    assert staged == "/etc/ssh/x y.conf.matops-new"
    validate = command.index("sshd -t -f '/etc/ssh/x y.conf.matops-new'")
    move = command.index("mv -f '/etc/ssh/x y.conf.matops-new' '/etc/ssh/x y.conf'")
    assert validate < move
    assert "rm -f '/etc/ssh/x y.conf.matops-new'; exit 1" in command


def test_sha1_matches_sha1sum_of_utf8() -> None:
    assert sha1_text("é\n") == "6ee66ed9126aa6d0e594acd7c5a70bf6d0b06b78"


def test_ssh_hardening_template_renders_from_example_values() -> None:
    role = Role.load(ROLES / "ssh_hardening", {}, "oak-srv01")
    text = role.render("sshd-hardening.conf.j2")
    assert "PermitRootLogin no\n" in text
    assert "MaxAuthTries 3\n" in text
    assert text.endswith("AllowTcpForwarding no\n")
