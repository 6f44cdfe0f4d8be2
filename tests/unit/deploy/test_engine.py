"""The pyinfra engine's plan from a role's Ansible tasks, without a host: loading (and refusing
what is not mapped, with file:line), when/loop/register/notify, and each module's mapping."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from pyinfra.operations import files, server

from matops.deploy.engine import CommandResult, Step, plan_role
from matops.deploy.pyinfra_engine import operation
from matops.deploy.pyinfra_roles import DEPLOY_USER_COMMAND, installed_file
from matops.deploy.tasks import MODULES, TaskError, load_role

ROLES = Path(__file__).resolve().parents[3] / "roles"


def reads(shell: str) -> CommandResult:
    """A host where the deploy account is ``ops`` (in group ``ops``) and finds find nothing."""
    answers = {DEPLOY_USER_COMMAND: CommandResult("ops\n"), "id -nG ops": CommandResult("ops")}
    return answers.get(shell, CommandResult(""))


def make_role(tmp_path: Path, tasks: str, handlers: str = "", defaults: str = "") -> Path:
    role = tmp_path / "demo"
    for folder, text in (("tasks", tasks), ("handlers", handlers), ("defaults", defaults)):
        if text:
            (role / folder).mkdir(parents=True)
            (role / folder / "main.yml").write_text(text)
    (role / "templates").mkdir()
    (role / "templates" / "demo.conf.j2").write_text("port={{ demo_port }}\n")
    return role


@pytest.mark.parametrize(
    ("task", "message"),
    [
        ("ansible.builtin.copy: {dest: /x, content: y}", "module ansible.builtin.copy is not"),
        ("ansible.builtin.apt: {name: x, update_cache: true}", "argument(s) update_cache"),
        ("ansible.builtin.command: id", "a command needs changed_when"),
        ("ansible.builtin.apt: {name: x, state: latest}", "apt state: latest not supported"),
        ("ansible.builtin.command: id\n  changed_when: false", "needs check_mode: false"),
        ("ansible.builtin.apt: {name: x}\n  become_user: y", "keyword(s) become_user not"),
        ("apt: {name: x}\n  ansible.builtin.file: {path: y}", "expected one module"),
        ("ansible.builtin.apt: {name: x}\n  notify: Nothing", "no handler named Nothing"),
    ],
)
def test_what_is_not_mapped_is_refused_at_load_time_with_file_and_line(
    tmp_path: Path, task: str, message: str
) -> None:
    role = make_role(
        tmp_path, f"---\n- name: fine\n  ansible.builtin.debug: {{msg: x}}\n\n- name: t\n  {task}\n"
    )
    with pytest.raises(TaskError) as caught:
        load_role(role)
    assert str(caught.value).startswith(f"{role}/tasks/main.yml:5: ")
    assert message in str(caught.value)


TASKS = """---
- name: demo | Install the packages
  ansible.builtin.apt: {name: "{{ demo_packages }}", state: present}
- name: demo | Read the marker
  ansible.builtin.command: {argv: [cat, /etc/demo-marker]}
  register: demo_marker
  changed_when: false
  check_mode: false
- name: demo_port_set | Write the config (checked with demo -t)
  ansible.builtin.template: {src: demo.conf.j2, dest: "/etc/{{ item }}.conf", mode: "0640",
                             validate: demo -t %s}
  loop: [one, two]
  when: item != 'two' or demo_marker.stdout == 'yes'
  register: demo_written
  notify: Restart demo
  tags: [demo, demo_port_set]
- name: demo | Say the config changed
  ansible.builtin.debug: {msg: "changed"}
  when: demo_written is changed
- name: demo | Refuse port 0
  ansible.builtin.assert: {that: [demo_port > 0], fail_msg: "port {{ demo_port }} is not a port"}
"""
HANDLERS = """---
- name: Restart demo
  ansible.builtin.systemd_service: {name: demo, state: restarted}
"""


def plan_demo(tmp_path: Path, marker: str, changed: bool, port: int = 80) -> list[Step]:
    role = make_role(tmp_path, TASKS, HANDLERS, "demo_packages: [a, b]\ndemo_port: 80\n")

    def answers(shell: str) -> CommandResult:
        return CommandResult(marker) if shell == "cat /etc/demo-marker" else reads(shell)

    return plan_role(role, {"demo_port": port}, "h1", answers, changed)


def test_loop_when_register_and_handlers_follow_ansible(tmp_path: Path) -> None:
    steps = plan_demo(tmp_path, marker="no", changed=True)
    assert [(s.order, s.module) for s in steps] == [
        ((0, 0), "apt"), ((2, 0), "template"), ((3, 0), "debug"), ((5, 0), "systemd_service"),
    ]  # fmt: skip
    template = steps[1].args
    assert (template["dest"], template["content"], template["mode"]) == (
        "/etc/one.conf",
        "port=80\n",
        "0640",
    )
    assert steps[0].args["name"] == ["a", "b"]
    assert steps[1].task.tags == ("demo", "demo_port_set")
    assert steps[3].name == "Restart demo" and steps[3].args["state"] == "restarted"


def test_nothing_changed_means_no_handler_and_no_changed_branch(tmp_path: Path) -> None:
    steps = plan_demo(tmp_path, marker="yes", changed=False)
    assert [(s.order, s.module) for s in steps] == [
        ((0, 0), "apt"),
        ((2, 0), "template"),
        ((2, 1), "template"),
    ]


def test_a_failed_assert_is_a_step_that_fails_the_host(tmp_path: Path) -> None:
    steps = plan_demo(tmp_path, marker="no", changed=False, port=0)
    assert steps[-1].module == "assert" and steps[-1].args == {"message": "port 0 is not a port"}
    function, kwargs = operation(steps[-1])
    assert function is server.shell
    assert (
        kwargs["commands"][0].endswith("exit 1") and "port 0 is not a port" in kwargs["commands"][0]
    )


def test_a_read_that_fails_fails_the_host_unless_failed_when_false(tmp_path: Path) -> None:
    task = "- name: r\n  ansible.builtin.command: {argv: ['false']}\n  changed_when: false\n"
    role = make_role(tmp_path, f"---\n{task}  check_mode: false\n{task}  check_mode: false\n"
                     "  failed_when: false\n")  # fmt: skip
    steps = plan_role(role, {}, "h1", lambda shell: CommandResult("", 1 if shell == "false" else 0))
    assert [(s.order, s.args) for s in steps] == [((0, 0), {"message": "false exited 1"})]


def test_every_module_of_every_role_is_mapped_once() -> None:
    used = {t.module for r in ROLES.iterdir() if (r / "deploy.py").exists() is False
            for t in load_role(r).tasks + load_role(r).handlers}  # fmt: skip
    assert used <= set(MODULES)


def test_lineinfile_edits_the_file_as_earlier_steps_left_it_and_stat_and_vars(
    tmp_path: Path,
) -> None:
    role = make_role(
        tmp_path,
        "---\n- name: s\n  ansible.builtin.stat: {path: /etc/x.conf}\n  register: demo_x\n"
        "- name: l\n  ansible.builtin.lineinfile: {path: /etc/x.conf, regexp: '^{{ item.k }}=',\n"
        "    line: '{{ item.k }}={{ value }}'}\n  vars: {value: '{{ item.v }}!'}\n"
        "  loop: [{k: A, v: '1'}, {k: B, v: '2'}]\n  when: demo_x.stat.exists\n",
    )
    text = base64.b64encode(b"A=0\nC=3\n").decode()
    read_file = "stat -c '%U %G %a' /etc/x.conf && base64 -w0 /etc/x.conf"
    answers = {"test -e /etc/x.conf && echo exists": "exists", read_file: f"root adm 640\n{text}"}
    steps = plan_role(role, {}, "h1", lambda shell: CommandResult(answers.get(shell, "ops")))
    assert [s.args["content"] for s in steps] == ["A=1!\nC=3\n", "A=1!\nC=3\nB=2!\n"]
    assert (steps[1].args["owner"], steps[1].args["group"], steps[1].args["mode"]) == (
        "root",
        "adm",
        "0640",
    )
    function, kwargs = operation(steps[1])
    assert function is installed_file
    assert kwargs["dest"] == "/etc/x.conf" and kwargs["mode"] == "0640"


def test_a_file_task_without_state_keeps_the_kind_the_path_has(tmp_path: Path) -> None:
    role = make_role(
        tmp_path,
        "---\n- name: f\n  ansible.builtin.file: {path: '{{ item }}', owner: root, mode: '0700'}\n"
        "  loop: [/etc/cron.d, /etc/crontab]\n",
    )
    answers = {"test -d /etc/cron.d && echo directory": "directory"}
    steps = plan_role(role, {}, "h1", lambda shell: CommandResult(answers.get(shell, "")))
    assert [s.args["state"] for s in steps] == ["directory", "file"]
    assert [operation(s)[0] for s in steps] == [files.directory, files.file]
