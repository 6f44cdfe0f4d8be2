"""Running vs intended configuration: the exact commands to send, and the way back (hier_config).

hier_config 3.x compares the two configs as trees. matops tunes its drivers per platform
(:mod:`matops.platforms`): lines the baseline does not own are left alone, write-only
lines are set aside, secrets the device transforms are masked for the comparison, and a handful
of commands are treated as "last value wins" so a change is one command rather than a ``no`` of
the old value followed by the new one.

A command in :attr:`ConfigDiff.remediation` is one line as typed, indented by the platform's
indentation to show its section; a banner is one command spanning several lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from hier_config import HConfig, HConfigChild, WorkflowRemediation, get_hconfig, get_hconfig_driver
from hier_config.models import IdempotentCommandsRule, MatchRule, NegationSubRule, OrderingRule
from hier_config.platforms.driver_base import HConfigDriverBase

from matops.platforms import ConfigPart, NetworkPlatform, network_platform

MASK = "<masked>"
_ONE_LINE_BANNER = re.compile(r"^banner (\S+) (\^C|[^\s^])(.*?)\2[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class ConfigDiff:
    """What it takes to bring a device from its running config to the intended one."""

    platform: str
    remediation: tuple[str, ...]
    rollback: tuple[str, ...]
    write_only: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the device already runs the intended configuration."""
        return not self.remediation

    def commands(self) -> tuple[str, ...]:
        """The commands a push sends: the remediation, then write-only lines if it changes anything.

        >>> ConfigDiff("cisco_ios", ("hostname a",), (), ("snmp-server user u g v3",)).commands()
        ('hostname a', 'snmp-server user u g v3')
        """
        return (*self.remediation, *self.write_only) if self.remediation else ()


def make_driver(platform: NetworkPlatform) -> HConfigDriverBase:
    """hier_config's driver for ``platform`` with matops' rules added."""
    driver = get_hconfig_driver(platform.hier_platform)
    rules = driver.rules
    # IOS shows a bare ' no ip address'; anchored, so that a command such as
    # ' no ip address 10.0.0.1 255.0.0.0' is not cut down to its address.
    for index, sub in enumerate(rules.per_line_sub):
        if sub.search == "^ no ip address":
            rules.per_line_sub[index] = sub.model_copy(update={"search": "^ no ip address$"})
    rules.idempotent_commands[:] = [
        rule
        for rule in rules.idempotent_commands
        if not any(m.startswith in platform.not_idempotent for m in rule.match_rules)
    ]
    for path in platform.idempotent:
        match = tuple(MatchRule(re_search=pattern) for pattern in path)
        rules.idempotent_commands.append(IdempotentCommandsRule(match_rules=match))
    for prefix, search, replace in platform.negations:
        rule = NegationSubRule(
            match_rules=(MatchRule(startswith=prefix),), search=search, replace=replace
        )
        rules.negation_sub.append(rule)
    # A VLAN is deleted only after the ports that used it have moved elsewhere.
    late = OrderingRule(match_rules=(MatchRule(startswith="no vlan "),), weight=100)
    rules.ordering.append(late)
    return driver


def unfold_banners(text: str) -> str:
    """Rewrite one-line banners (``banner motd ^Chello^C``) in the multi-line form.

    hier_config (2.x and 3.x alike) reads a banner until a line that ends it, so a banner that
    opens and closes on one line swallows the rest of the config; IOS prints short banners so.

    >>> unfold_banners("banner motd ^CAuthorised users only^C\\nhostname a")
    'banner motd ^C\\nAuthorised users only\\n^C\\nhostname a'
    """
    return _ONE_LINE_BANNER.sub(lambda m: f"banner {m[1]} {m[2]}\n{m[3]}\n{m[2]}", text)


def _normal(line: str) -> str:
    return " ".join(line.split())


def _mask(text: str, platform: NetworkPlatform, originals: dict[str, str]) -> str:
    """Mask transformed secrets line by line, remembering each masked line's original."""
    if not platform.masked:
        return text
    out = []
    for line in text.splitlines():
        masked = line
        for pattern in platform.masked:
            masked = pattern.sub(lambda m: f"{m['keyword']} {MASK}", masked)
        if masked != line:
            originals[_normal(masked)] = line.strip()
        out.append(masked)
    return "\n".join(out) + "\n"


def _split_write_only(text: str, platform: NetworkPlatform) -> tuple[str, tuple[str, ...]]:
    keep: list[str] = []
    write_only: list[str] = []
    for line in text.splitlines():
        is_write_only = any(p.search(line) for p in platform.write_only)
        (write_only if is_write_only else keep).append(line)
    return "\n".join(keep) + "\n", tuple(line.strip() for line in write_only)


def _without_defaults(text: str, platform: NetworkPlatform) -> str:
    """Drop top-level lines that only state a default (a device may print them or not)."""
    if not platform.defaults:
        return text
    lines = text.splitlines()
    kept = [line for line in lines if not any(p.search(line) for p in platform.defaults)]
    return "\n".join(kept) + "\n"


def _prune_unowned(
    running: HConfig, intended: HConfig, platform: NetworkPlatform, keep_users: Iterable[str]
) -> None:
    """Drop running lines the baseline does not own, so that they are never negated."""
    users = tuple(re.compile(rf"^(username|user) {re.escape(u)}( |$)") for u in keep_users)
    owned = {child.text for child in intended.children}
    for child in tuple(running.children):
        if child.text in owned:
            continue
        text = child.text
        if (
            any(p.search(text) for p in (*platform.unmanaged, *platform.write_only, *users))
            or platform.physical_interface.search(text) is not None
        ):
            child.delete()


def _restrict(config: HConfig, part: ConfigPart) -> None:
    """Keep only the part's sections, and under them only the lines the part owns."""
    for child in tuple(config.children):
        if not any(p.search(child.text) for p in part.sections):
            child.delete()
            continue
        for line in tuple(child.children):
            if not any(p.search(line.text) for p in part.lines):
                line.delete()


def _walk(config: HConfig | HConfigChild) -> Iterator[HConfigChild]:
    for child in sorted(config.children):
        yield child
        yield from _walk(child)


def _lines(
    config: HConfig, platform: NetworkPlatform, target: dict[str, str], source: dict[str, str]
) -> tuple[str, ...]:
    """The commands of a remediation or rollback tree, with masked secrets restored.

    Lines that are added come from the ``target`` config; negated lines from the ``source``.
    """
    out = []
    for child in _walk(config):
        text = child.text
        if MASK in text:
            if text.startswith("no "):
                text = "no " + source.get(_normal(text[3:]), text[3:])
            else:
                text = target.get(_normal(text), text)
        out.append(platform.indent * (child.depth() - 1) + text)
    return tuple(out)


def parse(platform: NetworkPlatform | str, text: str) -> HConfig:
    """Parse a configuration with matops' tuned hier_config driver for ``platform``.

    >>> [c.text for c in parse("cisco_ios", "vlan 10\\n name STAFF\\n").children]
    ['vlan 10']
    """
    spec = network_platform(platform) if isinstance(platform, str) else platform
    return get_hconfig(make_driver(spec), unfold_banners(text))


def compute_diff(
    platform: NetworkPlatform | str,
    running: str,
    intended: str,
    *,
    keep_users: Iterable[str] = (),
    part: ConfigPart | None = None,
    rollback: bool = True,
) -> ConfigDiff:
    """The remediation (running → intended) and rollback (intended → running) of one device.

    ``keep_users`` are local accounts the diff never removes (the account matops connects with).
    With ``part``, only that slice of both configurations is compared (see
    :class:`~matops.platforms.ConfigPart`); the rest of the device is left alone. Without
    ``rollback`` (a scan's drift check, which never changes the device) the rollback is left
    empty rather than computed: it is about as costly as the remediation.

    >>> diff = compute_diff("cisco_ios", "hostname old\\n", "hostname new\\n")
    >>> diff.remediation, diff.rollback
    (('hostname new',), ('hostname old',))
    >>> compute_diff("cisco_ios", "hostname a\\n", "hostname a\\n").empty
    True
    """
    spec = network_platform(platform) if isinstance(platform, str) else platform
    ran: dict[str, str] = {}
    wanted: dict[str, str] = {}
    intended_text, write_only = _split_write_only(unfold_banners(intended), spec)
    intended_text = _without_defaults(intended_text, spec)
    running = _without_defaults(unfold_banners(running), spec)
    driver = make_driver(spec)
    running_tree = get_hconfig(driver, _mask(running, spec, ran))
    intended_tree = get_hconfig(driver, _mask(intended_text, spec, wanted))
    _prune_unowned(running_tree, intended_tree, spec, keep_users)
    if part is not None:
        _restrict(running_tree, part)
        _restrict(intended_tree, part)
    workflow = WorkflowRemediation(running_tree, intended_tree)
    return ConfigDiff(
        platform=spec.name,
        remediation=_lines(workflow.remediation_config, spec, wanted, ran),
        rollback=_lines(workflow.rollback_config, spec, ran, wanted) if rollback else (),
        write_only=() if part is not None else write_only,  # no part owns write-only lines
    )


def with_exits(commands: Iterable[str], indent: str) -> list[str]:
    """Commands with an ``exit`` after each section, so no line lands in the wrong section.

    >>> with_exits(["interface vlan 10", "    ip address 1.2.3.4/24", "ip route x"], "    ")
    ['interface vlan 10', '    ip address 1.2.3.4/24', 'exit', 'ip route x']
    """
    out: list[str] = []
    previous = 0
    for command in commands:
        depth = (len(command) - len(command.lstrip(" "))) // len(indent)
        for level in range(previous - 1, depth - 1, -1):
            out.append(indent * level + "exit")
        out.append(command)
        previous = depth
    return out


def config_lines(commands: Iterable[str]) -> list[str]:
    """Split commands into the physical lines typed at the device (banners span several).

    >>> config_lines(["banner login ^C\\nhello\\n^C", "hostname a"])
    ['banner login ^C', 'hello', '^C', 'hostname a']
    """
    return [line for command in commands for line in command.split("\n")]
