"""``matops scan`` live against the lab: expected failures, offline parity, nothing changed.

The scan reads riv-mon01 (a fresh, un-hardened Debian container nobody deploys to in these
tests) and a factory-default simulated switch of our own, ``riv-scan01``, started at a spare
address of Riverside's management network and stopped at the end, so that other tests pushing
to the trust's switches cannot change what these tests see. The trust is a copy of the example
trust with fictional vault values (so the drift check can render the template) and the extra
switch added to Riverside's inventory.
"""

from __future__ import annotations

import hashlib
import html
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from matops.cli import app
from matops.connect.profile import SecretSource, build_profile
from matops.facts.linux.provider import LinuxHostProvider
from matops.facts.model import Subject
from matops.facts.network.live import LiveNetworkProvider, read_outputs
from matops.facts.register.collect import InventoryProvider
from matops.handbook.context import HandbookContext
from matops.handbook.linkstyles import LinkState
from matops.handbook.pages import school_drawing_of
from matops.inventory import load_trust
from matops.inventory.model import Target, TargetVars
from matops.lab import lifecycle
from matops.lab.model import LabTarget
from matops.scan.catalogue import load_catalogue
from matops.scan.live import LiveOptions, linux_connect, switch_settings
from matops.scan.model import Finding, Status
from matops.scan.results import Results, write_results
from matops.scan.runner import Selection, judge_subject
from matops.scan.session import ScanRequest, providers_for, run_scan
from tests.network.conftest import FICTIONAL, make_vaulted_trust

if TYPE_CHECKING:
    from conftest import Lab

pytestmark = pytest.mark.integration

HOST = "riv-mon01"
SWITCH = LabTarget(
    "riv-scan01", "switch", "cisco_ios", ipaddress.IPv4Address("198.18.20.250"),
    "riverside-academy", model="WS-C2960X-24PS-L",
)  # fmt: skip
SWITCH_INVENTORY = """\
        riv-scan01:
          ansible_host: 198.18.20.250
          platform: cisco_ios
          model: WS-C2960X-24PS-L
          device_role: access
          ports:
            - {name: GigabitEthernet1/0/1, role: staff, description: office PC}
            - {name: GigabitEthernet1/0/2, role: curriculum, description: classroom PC}
            - {name: GigabitEthernet1/0/3, role: unused}
"""

HOST_FAILS = {
    "ssh_password_authentication_disabled",
    "ssh_root_login_disabled",
    "ssh_max_auth_tries",
    "ssh_idle_timeout",
    "ssh_login_banner",
    "host_firewall_active",
    "host_firewall_default_deny_inbound",
    "ssh_restricted_to_management_network",
    "syslog_forwarded_to_trust",
    "account_lockout_after_failed_logins",
    "password_minimum_length",
    "usb_storage_blocked",
    "core_dumps_disabled",
    "default_umask_restrictive",
    "password_hashing_strong",
    "uncommon_network_protocols_disabled",
    "cron_and_sshd_config_restricted",
    "sudo_uses_pty_and_logs",
    "home_directories_private",
    "ssh_compression_and_tcp_keepalive_off",
    "file_integrity_monitored",
    "firewire_blocked",
    "local_admins_match_inventory",
}
"""What a fresh Debian 12 container (debootstrap minbase + the lab's operator) fails."""

CONTAINER_NOT_APPLICABLE = {"auditd_running", "time_synchronised", "kernel_hardening_sysctls"}

SWITCH_FAILS = {
    "switch_telnet_disabled",
    "switch_ssh_v2_only",
    "switch_http_server_disabled",
    "switch_snmp_no_default_communities",
    "switch_snmp_v3_only",
    # switch_named_local_admins: waived in the example trust (the lab switches sign in as admin)
    "switch_no_weak_password_storage",
    "switch_aaa_radius",
    "switch_ntp_trust_servers",
    "switch_syslog_trust_servers",
    "switch_login_banner",
    "switch_no_user_ports_in_vlan1",
    "switch_unused_ports_parked",
    "switch_bpdu_guard_edge_ports",
    "switch_dhcp_snooping_user_vlans",
    "switch_cdp_off_lldp_on",
    "switch_config_saved",
    "switch_config_matches_template",
}
"""What the simulator's factory-default Cisco IOS configuration fails."""


@pytest.fixture(scope="module")
def trust(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A vaulted copy of the example trust with riv-scan01 in Riverside's switches."""
    root, password = make_vaulted_trust(tmp_path_factory.mktemp("scan-trust"))
    school = root / "schools" / "riverside-academy.yml"
    text = school.read_text()
    assert "\nlinux:\n" in text
    school.write_text(text.replace("\nlinux:\n", "\n" + SWITCH_INVENTORY + "linux:\n", 1))
    return root, password


@pytest.fixture(scope="module")
def factory_switch(lab: Lab) -> Iterator[LabTarget]:
    """Our own factory-default switch, stopped (with its files) at the end."""
    lifecycle.start_extra_switch(SWITCH, lab.state_dir, "switchsim")
    try:
        yield SWITCH
    finally:
        lifecycle.stop_extra_switch(SWITCH.name, lab.state_dir)


def _request(lab: Lab, root: Path, password: Path, *targets: str) -> ScanRequest:
    catalogue = load_catalogue()
    return ScanRequest(
        root=root,
        trust=load_trust(root),
        catalogue=catalogue,
        checks=list(catalogue),
        selection=Selection(targets=frozenset(targets)),
        live=LiveOptions(build_profile(root, lab_dir=lab.state_dir), connect_timeout=15),
        vault_password_file=password,
    )


def _status(results: Results, target: str) -> dict[str, Status]:
    return {f.check: f.status for f in results.findings if f.target == target}


def test_fresh_host_and_factory_switch_fail_expected_checks(
    lab: Lab, trust: tuple[Path, Path], factory_switch: LabTarget
) -> None:
    root, password = trust
    results = run_scan(_request(lab, root, password, HOST, factory_switch.name))
    assert results.scan.mode == "live"
    host, switch = _status(results, HOST), _status(results, factory_switch.name)
    assert not [c for c, s in host.items() if s in (Status.ERROR, Status.UNREACHABLE)], host
    assert {c for c in HOST_FAILS if host.get(c) != Status.FAIL} == set(), host
    assert {c: host[c] for c in CONTAINER_NOT_APPLICABLE} == dict.fromkeys(
        CONTAINER_NOT_APPLICABLE, Status.NOT_APPLICABLE
    )
    assert {c for c in SWITCH_FAILS if switch.get(c) != Status.FAIL} == set(), switch
    # One host check passes on a fresh host too: the scan does not simply fail everything.
    assert host["no_extra_uid0_accounts"] == Status.PASS
    assert not results.skipped, results.skipped
    dumped = results.model_dump_json()
    secrets = [*FICTIONAL.values(), lifecycle.switch_password(lab.state_dir)]
    assert not [s for s in secrets if s in dumped], "a secret reached the results"


def test_drift_not_assessed_without_network_secrets(lab: Lab, factory_switch: LabTarget) -> None:
    """The example trust itself has no vault values: drift is skipped with the reason."""
    root = Path(__file__).parents[2] / "inventories" / "example-trust"
    catalogue = load_catalogue()
    request = ScanRequest(
        root=root, trust=load_trust(root), catalogue=catalogue,
        checks=catalogue.select(["switch_config_matches_template", "switch_telnet_disabled"]),
        selection=Selection(targets=frozenset({"riv-sw03"})),
        # the lab's connections, but no secrets at all (not even the lab's made-up ones)
        live=LiveOptions(
            build_profile(root, lab_dir=lab.state_dir).model_copy(
                update={"secrets": SecretSource()}
            )
        ),
    )  # fmt: skip
    results = run_scan(request)
    assert [f.check for f in results.findings] == ["switch_telnet_disabled"]
    (skipped,) = results.skipped
    assert skipped.check == "switch_config_matches_template"
    assert "network_admin_secret_hash is not defined" in skipped.reason


def test_offline_scan_of_saved_outputs_matches_live(
    lab: Lab, trust: tuple[Path, Path], factory_switch: LabTarget, tmp_path: Path
) -> None:
    root, password = trust
    loaded = load_trust(root)
    switches = [t.name for t in loaded.targets("switch")]
    live_request = _request(lab, root, password, *switches)
    providers = providers_for(live_request)
    network = next(p for p in providers if isinstance(p, LiveNetworkProvider))
    live = run_scan(live_request, providers=providers)
    assert network.sessions == len(switches)  # one session per switch, however many checks
    configs = tmp_path / "configs"
    saved = network.save_offline(configs, unredacted=True)
    assert len(saved) == 3 * len(switches)
    # Offline with --lab: the template is rendered with the lab's made-up secrets (as live), and
    # the lab's login account is left alone, as the live scan of the lab does.
    secrets = lab.state_dir / "lab-secrets.yml"
    offline_request = replace(live_request, live=None, configs=configs, lab_secrets=secrets)
    offline = run_scan(offline_request)
    assert offline.scan.mode == "offline"

    def verdicts(results: Results) -> dict[tuple[str, str], tuple[str, str]]:
        found = {
            (f.target, f.check): (f.status.value, f.detail)
            for f in results.findings
            if f.kind == "switch" and f.subject == "target"
        }
        found.update({(s.target, s.check): ("skipped", s.reason) for s in results.skipped})
        return found

    live_verdicts = verdicts(live)
    assert len(live_verdicts) >= 20 * len(switches)
    assert verdicts(offline) == live_verdicts
    assert live_verdicts[(factory_switch.name, "switch_telnet_disabled")][0] == "fail"


def _host_fingerprint(lab: Lab) -> str:
    """Paths, sizes, modes, owners and mtimes of every file, plus the content of /etc.

    Left out, because they change by themselves on an idle host: /var/log (journal, syslog),
    /var/lib/systemd (timer stamps, random seed), /var/cache, /var/tmp, /tmp and /run (tmpfs;
    sudo's timestamps live there). Other file systems are not crossed (-xdev: /proc, /sys, /dev).
    """
    script = (
        "find / -xdev \\( -path /var/log -o -path /var/lib/systemd -o -path /var/cache "
        "-o -path /var/tmp -o -path /tmp -o -path /run \\) -prune -o -printf "
        "'%p %s %m %U %G %T@ %y\\n' | LC_ALL=C sort | sha256sum; "
        "find /etc -xdev -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum"
    )
    result = lab.ssh(HOST, "sudo", "sh", "-c", f"'{script}'", timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _switch_fingerprint(lab: Lab, target: LabTarget) -> str:
    loaded = Target(
        name=target.name, kind="switch", school=target.school,
        vars=TargetVars(ansible_host=str(target.address), platform=target.platform),
    )  # fmt: skip
    options = LiveOptions(build_profile(Path("."), lab_dir=lab.state_dir))
    settings = switch_settings(Path("."), options)(loaded)
    texts = read_outputs(settings, target.school, 15).texts
    running, startup = texts["running_config"], texts["startup_config"]
    saved = lab.state_dir / "switches" / target.name / "startup-config"
    on_disk = saved.read_bytes() if saved.exists() else b"(none)"
    return hashlib.sha256((running + startup).encode() + on_disk).hexdigest()


def test_scan_changes_nothing(
    lab: Lab, trust: tuple[Path, Path], factory_switch: LabTarget
) -> None:
    root, password = trust
    before = (_host_fingerprint(lab), _switch_fingerprint(lab, factory_switch))
    results = run_scan(_request(lab, root, password, HOST, factory_switch.name))
    assert len(results.findings) > 40
    after = (_host_fingerprint(lab), _switch_fingerprint(lab, factory_switch))
    assert after == before


def test_unreachable_targets_become_findings(lab: Lab) -> None:
    """Nothing answers at 198.18.20.249: every check of such a target is unreachable."""
    root = Path(__file__).parents[2] / "inventories" / "example-trust"
    loaded = load_trust(root)
    ghost = "198.18.20.249"

    def target(name: str, kind: str, platform: str) -> Target:
        return Target.model_validate(
            {"name": name, "kind": kind, "school": "riverside-academy",
             "vars": {"ansible_host": ghost, "platform": platform}}
        )  # fmt: skip

    host, switch = (
        target("riv-ghost", "linux", "debian"),
        target("riv-ghost-sw", "switch", "cisco_ios"),
    )
    options = LiveOptions(build_profile(root, lab_dir=lab.state_dir), connect_timeout=3)
    providers = [
        InventoryProvider(loaded, date.today()),
        # Without an ssh_config the host is reached by address (there is no Host block for it).
        LinuxHostProvider(linux_connect(LiveOptions(build_profile(root), connect_timeout=3))),
        LiveNetworkProvider(switch_settings(root, options), timeout=3),
    ]
    checks = list(load_catalogue())
    for target in (host, switch):
        results = judge_subject(Subject.of_target(target), checks, providers)
        findings = [r for r in results if isinstance(r, Finding)]
        assert len(findings) >= 20, target.name
        statuses = {f.status for f in findings if f.check != "target_in_asset_register"}
        assert statuses == {Status.UNREACHABLE}, (target.name, statuses)


def test_cli_live_scan_of_the_lab(lab: Lab, tmp_path: Path) -> None:
    """The documented example: ``matops scan --lab-dir DIR --target …`` writes live results."""
    output = tmp_path / "results.json"
    args = ["scan", "--lab-dir", str(lab.state_dir), "--target", HOST, "--checks", "ssh",
            "--output", str(output), "--fail-on", "never"]  # fmt: skip
    result = CliRunner().invoke(app, args, terminal_width=200)
    data = json.loads(output.read_text())
    # --fail-on never: only an expired waiver (the example trust has some) makes it exit 1.
    assert result.exit_code == (1 if data["expired_waivers"] else 0), result.output
    assert data["scan"]["mode"] == "live"
    statuses = {f["status"] for f in data["findings"] if f["target"] == HOST}
    assert "fail" in statuses and statuses <= {"fail", "pass"}, statuses
    assert f"[1/1] {HOST}:" in result.output


def test_broken_commands_on_a_real_host_give_errors(lab: Lab) -> None:
    """``ss`` and ``getent`` made non-executable on riv-mon01: every check reading them is
    ``error`` naming the permission problem, never ``pass``; the modes are put back after."""
    broken = ("/usr/bin/ss", "/usr/bin/getent")
    found = lab.ssh(HOST, "stat", "-c", "%a", *broken)
    assert found.returncode == 0, found.stderr
    modes = found.stdout.split()
    root = Path(__file__).parents[2] / "inventories" / "example-trust"
    loaded = load_trust(root)
    target = next(t for t in loaded.targets("linux") if t.name == HOST)
    facts = {"listening_sockets", "passwd", "privileged_groups"}
    checks = [c for c in load_catalogue() if facts & set(c.meta.facts)]
    providers = [
        InventoryProvider(loaded, date.today()),
        LinuxHostProvider(linux_connect(LiveOptions(build_profile(root, lab_dir=lab.state_dir)))),
    ]
    try:
        assert lab.ssh(HOST, "sudo", "chmod", "a-x", *broken).returncode == 0
        results = judge_subject(Subject.of_target(target), checks, providers)
    finally:
        for path, mode in zip(broken, modes, strict=True):
            lab.ssh(HOST, "sudo", "chmod", mode, path)
    assert lab.ssh(HOST, "stat", "-c", "%a", *broken).stdout.split() == modes
    findings = [r for r in results if isinstance(r, Finding)]
    assert len(findings) == len(checks) >= 3
    for finding in findings:
        assert finding.status == Status.ERROR, (finding.check, finding.status, finding.detail)
        assert "permission denied (exit status 126)" in finding.detail, finding.detail


RIVERSIDE_SWITCHES = ("riv-core01", "riv-sw01", "riv-sw02", "riv-sw03")


def test_the_handbook_of_a_live_scan_finds_the_planted_repatch(
    lab: Lab, trust: tuple[Path, Path], factory_switch: LabTarget, tmp_path: Path
) -> None:
    """Riverside's switches scanned live: their LLDP neighbours are in the results, the factory
    IOS switch's are "not read" (LLDP is off there), and the handbook built from those results
    finds the lab's planted re-patch (inventories/example-trust/lab/cabling.yml)."""
    root, password = trust
    request = _request(lab, root, password, *RIVERSIDE_SWITCHES, SWITCH.name)
    only = [c for c in request.checks if c.id == "switch_telnet_disabled"]
    results = run_scan(replace(request, checks=only))
    seen = {n.device: n for n in results.neighbours}
    assert set(seen) == {*RIVERSIDE_SWITCHES, SWITCH.name}
    assert seen[SWITCH.name].reason == "LLDP is not enabled on the switch"
    assert all(seen[name].read for name in RIVERSIDE_SWITCHES), seen
    assert {(n.local_port, n.name) for n in seen["riv-sw03"].neighbours} == {("1/1/16", "riv-sw02")}
    path = tmp_path / "results.json"
    write_results(results, path)
    out = tmp_path / "handbook"
    args = ["handbook", "build", str(root), "--results", str(path), "--output", str(out)]
    built = CliRunner().invoke(app, args, terminal_width=200)
    assert built.exit_code == 0, built.output
    page = html.unescape((out / "schools" / "riverside-academy.html").read_text())
    assert "riv-core01 – riv-sw03 is drawn (riv-core01 1/1/51, riv-sw03 1/1/15) but not " in page
    assert "riv-core01 hears nothing on 1/1/51; riv-sw03 hears nothing on 1/1/15" in page
    assert "riv-sw02 – riv-sw03 is discovered (riv-sw02 1/1/26, riv-sw03 1/1/16)" in page
    assert "riv-scan01: neighbours not read: LLDP is not enabled on the switch" in page
    school = load_trust(root).school("riverside-academy")
    drawing = school_drawing_of(
        HandbookContext(root=root, trust=load_trust(root), results=results), school
    )
    states = {frozenset((x.a, x.b)): x.state for x in drawing.links if x.uplink}
    assert states[frozenset(("riv-core01", "riv-sw01"))] is LinkState.CONFIRMED
    assert states[frozenset(("riv-core01", "riv-fw01"))] is LinkState.CONFIRMED
    assert states[frozenset(("riv-core01", "riv-sw03"))] is LinkState.DRAWN_ONLY
    assert states[frozenset(("riv-sw02", "riv-sw03"))] is LinkState.DISCOVERED_ONLY
    drawio = (out / "schools" / "riverside-academy.drawio").read_text()
    assert 'id="legend-discovered_only-words"' in drawio
