"""Pure reading of ``nft -j list ruleset`` JSON: input chains, policies, what a rule admits.

Deliberately conservative: a match this module does not understand (a named set, a negation)
is treated as not restricting, so a judge errs towards reporting exposure.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network, ip_network
from typing import Any

from matops.facts.linux.model import NftRuleset

ANY_SOURCE = IPv4Network("0.0.0.0/0")


def _objects(ruleset: NftRuleset, kind: str) -> list[dict[str, Any]]:
    return [item[kind] for item in ruleset.nftables if kind in item]


def input_chains(ruleset: NftRuleset) -> list[dict[str, Any]]:
    """Base chains hooked on ``input`` (filter type), in any family that sees IPv4."""
    return [
        c
        for c in _objects(ruleset, "chain")
        if c.get("hook") == "input" and c.get("family") in ("inet", "ip")
    ]


def default_deny(ruleset: NftRuleset) -> bool:
    """Whether some input base chain drops what no rule accepted (policy drop)."""
    return any(c.get("policy") == "drop" for c in input_chains(ruleset))


def _tables_with_input(ruleset: NftRuleset) -> set[tuple[str, str]]:
    return {(c["family"], c["table"]) for c in input_chains(ruleset)}


def input_rules(ruleset: NftRuleset) -> list[dict[str, Any]]:
    """Rules of every chain in a table that has an input base chain (jumps included)."""
    tables = _tables_with_input(ruleset)
    return [r for r in _objects(ruleset, "rule") if (r.get("family"), r.get("table")) in tables]


@dataclass(frozen=True)
class Admission:
    """What an accepting rule lets in: TCP ports (None = any) from source networks."""

    ports: frozenset[int] | None
    sources: tuple[IPv4Network, ...]
    conntrack_only: bool


def _values(right: Any) -> list[Any]:
    if isinstance(right, dict) and "set" in right:
        return list(right["set"])
    return [right]


def _network(value: Any) -> IPv4Network | None:
    if isinstance(value, dict) and "prefix" in value:
        prefix = value["prefix"]
        return IPv4Network(f"{prefix['addr']}/{prefix['len']}", strict=False)
    if isinstance(value, str) and not value.startswith("@"):
        network = ip_network(value, strict=False)
        return network if isinstance(network, IPv4Network) else None
    return None


def _ports(values: list[Any]) -> frozenset[int] | None:
    ports: set[int] = set()
    for value in values:
        if isinstance(value, int):
            ports.add(value)
        elif isinstance(value, dict) and "range" in value:
            low, high = value["range"]
            ports.update(range(int(low), int(high) + 1))
        else:
            return None
    return frozenset(ports)


def _is_protocol_match(left: Any, payload: dict[str, Any]) -> bool:
    """``meta l4proto X`` or ``ip protocol X``."""
    meta = left.get("meta", {}) if isinstance(left, dict) else {}
    return meta.get("key") == "l4proto" or (
        payload.get("protocol") == "ip" and payload.get("field") == "protocol"
    )


def admission(rule: dict[str, Any]) -> Admission | None:
    """What an ``accept`` rule admits; None for rules that do not accept."""
    exprs = rule.get("expr", [])
    if not any("accept" in e for e in exprs):
        return None
    ports: frozenset[int] | None = None
    sources: list[IPv4Network] = []
    conntrack = loopback = False
    for expr in exprs:
        match = expr.get("match")
        if not isinstance(match, dict) or match.get("op", "==") not in ("==", "in"):
            continue
        left, values = match.get("left", {}), _values(match.get("right"))
        payload = left.get("payload", {}) if isinstance(left, dict) else {}
        if isinstance(left, dict) and left.get("ct", {}).get("key") == "state":
            states = set(values[0] if isinstance(values[0], list) else values)
            conntrack = "new" not in states
        elif isinstance(left, dict) and left.get("meta", {}).get("key") in ("iif", "iifname"):
            loopback = values == ["lo"]
        elif payload.get("field") == "dport":
            ports = _ports(values) if payload.get("protocol") in ("tcp", "th") else frozenset()
        elif _is_protocol_match(left, payload) and "tcp" not in values:
            ports = frozenset()
        elif payload.get("protocol") == "ip" and payload.get("field") == "saddr":
            found = [_network(v) for v in values]
            sources += [n for n in found if n is not None] if all(found) else [ANY_SOURCE]
    return Admission(ports, tuple(sources) or (ANY_SOURCE,), conntrack or loopback)


def sources_admitted(ruleset: NftRuleset, port: int) -> list[IPv4Network]:
    """Source networks that accepting rules admit to TCP ``port`` (excluding conntrack/lo)."""
    found: list[IPv4Network] = []
    for rule in input_rules(ruleset):
        admitted = admission(rule)
        if admitted is None or admitted.conntrack_only:
            continue
        if admitted.ports is None or port in admitted.ports:
            found += admitted.sources
    return found
