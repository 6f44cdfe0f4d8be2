"""No planted secret reaches any output: backup, diff, push, scan (live and offline), report (every
format, PDF text included), refresh run and its sign-off pack.

A copy of the example trust gains a small school whose two switches (one Cisco IOS, one Aruba
AOS-CX) are extra lab switches at spare addresses, started and stopped by this test, so the
lab's own switches are never touched. Distinctive values (``Pl4nted-<form>-<hex>``) are planted
three ways: typed into the switches' running configs over SSH, written into saved configs under
the trust's ``backups/`` (every form of the unit table, including those the switch hides from
``show running-config``), and given as the trust's vault values. Every command's stdout and
stderr is captured; then every file under the test's folder (results, reports, backups,
journal, run captures, sign-off pack) and every captured output is searched: zero hits of any
planted value, of the lab's made-up secrets, or of the switches' login password.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
from ipaddress import IPv4Address
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from matops.inventory import load_trust
from matops.lab.lifecycle import LabError, start_extra_switch, stop_extra_switch, switch_password
from matops.lab.model import LabTarget
from matops.network.connect import connect, lab_settings
from matops.paths import LAB_SECRETS_FILE
from switchsim.passwords import type7_encode
from tests.integration.refresh_support import STEPS, refresh_env
from tests.network.conftest import REFERENCES, make_vaulted_trust
from tests.unit.test_redaction_forms import FORMS, _planted, _value

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration

SCHOOL = "planted-primary"
IOS = LabTarget("pln-sw01", "switch", "cisco_ios", IPv4Address("198.18.98.31"), SCHOOL,
                "C1000-24P-4G-L")  # fmt: skip
CX = LabTarget("pln-sw02", "switch", "aruba_aoscx", IPv4Address("198.18.98.32"), SCHOOL,
               "6200F JL724A")  # fmt: skip
SCHOOL_YML = f"""\
---
planted_primary:
  vars:
    school:
      id: {SCHOOL}
      name: Planted Primary (test school, lab spare range)
      urn: 990196
      phase: primary
      wave: 1
      sites:
        - {{id: main, name: Planted Primary, postcode: ZZ9 9ZX}}
      network:
        management: {{vlan: 10, subnet: 198.18.98.0/24, gateway: 198.18.98.1}}
        vlans:
          - {{id: 10, name: MANAGEMENT, purpose: management, subnet: 198.18.98.0/24}}
          - {{id: 20, name: STAFF, purpose: staff, subnet: 10.98.20.0/24}}
          - {{id: 999, name: PARKING, purpose: parking}}
  children:
    planted_primary_switches:
      hosts:
        {IOS.name}:
          ansible_host: {IOS.address}
          platform: cisco_ios
          model: {IOS.model}
          ports:
            - {{name: GigabitEthernet1/0/1-24, role: staff}}
        {CX.name}:
          ansible_host: {CX.address}
          platform: aruba_aoscx
          model: {CX.model}
          ports:
            - {{name: 1/1/1-24, role: staff}}
switches:
  children:
    planted_primary_switches:
"""

LIVE = {
    IOS.name: [
        "snmp-server community {v} RO",
        "snmp-server community {w} view ISO RO 10",
        "snmp-server host 192.0.2.10 version 2c {v}",
        "snmp-server host 192.0.2.11 vrf MGMT informs version 2c {v}",
        "snmp-server host 192.0.2.12 traps {v}",
        "snmp-server user pln GRP v3 auth sha {v} priv aes 128 {w}",
        "radius-server key 7 {t7}",
        "radius-server host 192.0.2.20 auth-port 1812 acct-port 1813 key {v}",
        "radius server PLN",
        " address ipv4 192.0.2.21 auth-port 1812 acct-port 1813",
        " key 7 {t7}",
        "tacacs-server host 192.0.2.30 key {v}",
        "tacacs server PLN",
        " address ipv4 192.0.2.31",
        " key 0 {v}",
        "aaa server radius dynamic-author",
        " client 192.0.2.20 server-key {v}",
        "enable algorithm-type scrypt secret 9 {h9}",
        "username pln privilege 1 algorithm-type scrypt secret 9 {h9}",
        "username pln2 password 0 {v}",
        "line vty 5 15",
        " password 0 {v}",
        "key chain PLN",
        " key 1",
        "  key-string {v}",
        "interface Vlan10",
        " standby 1 authentication md5 key-string {v}",
        " ip ospf message-digest-key 1 md5 {v}",
        "ntp authentication-key 1 md5 {t7} 7",
        "crypto isakmp key {v} address 0.0.0.0 0.0.0.0",
        "router bgp 65000",
        " neighbor 192.0.2.1 password {v}",
    ],
    CX.name: [
        "snmp-server community {v}",
        "snmp-server host 192.0.2.10 trap version v2c community {v}",
        "snmp-server host 192.0.2.11 inform version v2c community {v} vrf default",
        "snmpv3 user pln auth sha auth-pass ciphertext {v} priv aes priv-pass ciphertext {w}",
        "user pln group operators password ciphertext {v}",
        "radius-server host 192.0.2.20 key ciphertext {v} vrf default",
        "tacacs-server host 192.0.2.30 key ciphertext {v} vrf default",
        "ntp authentication-key 1 md5 ciphertext {v}",
    ],
}
"""Lines typed into the running configs; each device's values come from _planted(<device>)."""
HIDDEN = {"snmp-server user "}
"""IOS never shows these in ``show running-config``: planted in the saved configs as well."""


def _aoscx_form(form: str) -> bool:
    return form.startswith(("aoscx-", "host-aoscx", "ntp-aoscx", "community-aoscx"))


def _saved_lines(platform: str, running: str) -> list[str]:
    """Every form of the unit table for this platform, grouped under its section.

    A line or section whose first three words the running config already has is left out (it
    is planted there already): a duplicate would stop the template comparison from reading it.
    """
    have = {tuple(line.split()[:3]) for line in running.splitlines() if line[:1].strip()}
    sections: dict[str, list[str]] = {}
    for form, section, line in FORMS:
        if form.startswith(("host-password", "host-bindpw", "shadow-")):
            continue  # host files, not switch configs
        if _aoscx_form(form) != (platform == "aruba_aoscx"):
            continue
        sections.setdefault(section, []).append(line.format(**_planted(form)))
    lines = [line for line in sections.pop("", []) if tuple(line.split()[:3]) not in have]
    for header, children in sections.items():
        if tuple(header.split()[:3]) not in have:
            lines += [header, *children]
    return lines


def _planted_values() -> set[str]:
    values = {v for name in LIVE for v in _planted(name).values()}
    for form, _, _ in FORMS:
        values |= set(_planted(form).values())
    return values


VAULT = {
    "vault_radius_key": _value("vault-radius"),
    "vault_network_admin_hash_ios": f"$9$Pl4ntedVaultSa${_value('vault-ios-hash')}",
    "vault_network_admin_hash_aoscx": "AQBap" + _value("vault-cx-hash"),
    "vault_network_snmp_auth_key": _value("vault-snmp-auth"),
    "vault_network_snmp_priv_key": _value("vault-snmp-priv"),
}


def _leaves(value: object) -> list[str]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    return [str(value)]


def _stop(name: str, lab: Lab) -> None:
    with contextlib.suppress(LabError):
        stop_extra_switch(name, lab.state_dir)


class Run:
    """Runs ``matops`` commands as processes and keeps everything they print."""

    def __init__(self, lab: Lab, cwd: Path) -> None:
        self.env, self.cwd = refresh_env(lab.state_dir), cwd
        self.outputs: list[str] = []

    def __call__(
        self, *args: str, codes: tuple[int, ...] = (0,)
    ) -> subprocess.CompletedProcess[str]:
        argv = [str(Path(sys.executable).parent / "matops"), *args]
        done = subprocess.run(argv, env=self.env, cwd=self.cwd, capture_output=True, text=True,
                              timeout=600, check=False)  # fmt: skip
        self.outputs += [done.stdout, done.stderr]
        assert "Traceback" not in done.stderr, f"{args}:\n{done.stderr}"
        assert done.returncode in codes, f"{args}: rc {done.returncode}\n{done.stdout}{done.stderr}"
        return done


def _plant_live(lab: Lab, root: Path) -> dict[str, str]:
    """Type the LIVE lines into both switches; their running configs as read back, unredacted."""
    trust = load_trust(root)
    running = {}
    for target in (t for t in trust.targets("switch") if t.name in LIVE):
        values = _planted(target.name)
        session = connect(lab_settings(lab.state_dir, target))
        try:
            session.send_config([line.format(**values) for line in LIVE[target.name]])
            running[target.name] = session.running_config()
        finally:
            session.close()
    return running


def _seed_backups(root: Path, running: dict[str, str]) -> list[Path]:
    """Saved configs under ``<trust>/backups/``: the planted running config plus every form."""
    folder = root / "backups" / SCHOOL
    folder.mkdir(parents=True)
    written = []
    for target in (IOS, CX):
        text = running[target.name].rstrip("\n")
        extra = _saved_lines(target.platform, text)
        extra += [line.format(**_planted(target.name)) for line in LIVE[target.name]
                  if line.startswith(tuple(HIDDEN))]  # fmt: skip
        if target.platform == "cisco_ios" and text.endswith("\nend"):
            text = text[: -len("\nend")] + "\n" + "\n".join(extra) + "\nend"
        else:
            text += "\n" + "\n".join(extra)
        path = folder / f"{target.name}.cfg"
        path.write_text(text + "\n")
        written.append(path)
    return written


def _texts(folder: Path) -> dict[Path, str]:
    """Every file's text (PDFs through pdftotext as well as their raw bytes)."""
    texts = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("latin-1")
        if path.suffix == ".pdf" and shutil.which("pdftotext"):
            text += subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                   text=True, check=True).stdout  # fmt: skip
        texts[path] = text
    return texts


def test_no_planted_secret_reaches_any_output(lab: Lab, tmp_path: Path) -> None:
    for target in (IOS, CX):  # left over from an interrupted earlier run on a shared lab
        _stop(target.name, lab)
    for target in (IOS, CX):
        start_extra_switch(target, lab.state_dir, switch_argv=lab.switch_argv)
    try:
        _run_everything(lab, tmp_path)
    finally:
        for target in (IOS, CX):
            _stop(target.name, lab)


def _run_everything(lab: Lab, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    root, vault = make_vaulted_trust(work, VAULT, REFERENCES)
    (root / "schools" / f"{SCHOOL}.yml").write_text(SCHOOL_YML)
    running = _plant_live(lab, root)
    for name, text in running.items():  # the planting worked: every visible value is there
        for line in LIVE[name]:
            if not line.startswith(tuple(HIDDEN)):
                shown = line.format(**_planted(name)).strip()
                assert shown in text, f"{name}: {shown!r} not in the running config"
    seeded = _seed_backups(root, running)
    run = Run(lab, work)
    common = ["--vault-password-file", str(vault)]
    out = work / "out"

    # offline: the seeded saved configs (every form)
    run("scan", str(root), "--offline", "--school", SCHOOL, "--output", str(out / "offline.json"),
        "--fail-on", "never", codes=(0, 1))  # fmt: skip
    run("report", str(out / "offline.json"), "--output", str(out / "report-offline"),
        "--inventory", str(root))  # fmt: skip
    for path in seeded:  # inputs, not outputs: the live steps write their own backups here
        path.unlink()

    # live: scan, backup, diff, push against the planted running configs
    run("scan", str(root), "--lab", "--school", SCHOOL, "--output", str(out / "live.json"),
        "--fail-on", "never", *common, codes=(0, 1))  # fmt: skip
    run("report", str(out / "live.json"), "--output", str(out / "report-live"),
        "--previous", str(out / "offline.json"), "--inventory", str(root))  # fmt: skip
    run("network", "backup", str(root), "--lab", "--school", SCHOOL, *common)
    run("network", "diff", str(root), "--lab", "--school", SCHOOL, *common)
    run("network", "push", str(root), "--lab", "--school", SCHOOL, *common)

    # refresh: planted again, then the whole run (scans, backup, push, report: sign-off pack)
    _plant_live(lab, root)
    journal = work / "run" / "journal.jsonl"
    run("refresh", "run", str(root), "--lab", "--school", SCHOOL, "--steps", STEPS, *common,
        "--journal", str(journal))  # fmt: skip

    written = _texts(work)
    assert any(p.suffix == ".pdf" for p in written) and (journal.parent / "signoff").is_dir()
    assert {p.name for p in (root / "backups" / SCHOOL).glob("*.cfg")} == {
        "pln-sw01.cfg",
        "pln-sw02.cfg",
    }
    _assert_the_runs_saw_the_planted_lines(root, out, journal.parent)
    secrets = _secrets(lab)
    hits = [
        f"{value!r} in {where}"
        for where, text in [*((str(p), text) for p, text in written.items()),
                            *((f"output {i}", o) for i, o in enumerate(run.outputs))]
        for value in secrets
        if value in text
    ]  # fmt: skip
    assert hits == []


def _assert_the_runs_saw_the_planted_lines(root: Path, out: Path, run_dir: Path) -> None:
    """The search below is only worth something if the planted lines went through every step."""
    saved = {t.name: (root / "backups" / SCHOOL / f"{t.name}.cfg").read_text() for t in (IOS, CX)}
    for line in (
        "snmp-server host 192.0.2.11 vrf MGMT informs version 2c <redacted>",
        "aaa server radius dynamic-author", " client 192.0.2.20 server-key <redacted>",
        "enable algorithm-type scrypt secret 9 <redacted>", "  key-string <redacted>",
    ):  # fmt: skip
        assert line in saved[IOS.name].splitlines(), line
    assert "snmp-server host 192.0.2.10 trap version v2c community <redacted>" in saved[CX.name]
    for results in ("offline.json", "live.json"):
        data = json.loads((out / results).read_text())
        devices = {f["target"] for f in data["findings"] if f["area"] == "network"}
        assert {IOS.name, CX.name} <= devices, results
    assert (run_dir / "signoff" / SCHOOL / "refresh.json").is_file()


def _secrets(lab: Lab) -> set[str]:
    """Every value that must not appear: planted, the trust's vault, the lab's made-up ones."""
    lab_values = yaml.safe_load((lab.state_dir / LAB_SECRETS_FILE).read_text())
    values = _planted_values() | set(VAULT.values()) | set(_leaves(lab_values))
    values.add(switch_password(lab.state_dir))
    values |= {type7_encode(v) for v in list(values) if v.startswith("Pl4nted")}
    return {v for v in values if len(v) >= 8}
