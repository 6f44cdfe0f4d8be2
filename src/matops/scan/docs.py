"""``docs/checks.md``: the check catalogue rendered from metadata (kept current by a test)."""

from __future__ import annotations

from matops.facts.catalogue import FACTS
from matops.scan.catalogue import Catalogue, Check
from matops.scan.meta import Area
from matops.scan.model import Severity

_AREAS = {
    Area.REGISTER: "Asset register",
    Area.NETWORK: "Network (switch configuration)",
    Area.HOST: "Linux hosts",
    Area.TENANT: "Cloud identity tenants (Microsoft 365, Google Workspace)",
    Area.DEVICE: "Managed devices (Intune, Google Admin) and the register",
}


def _applies(check: Check) -> str:
    rule = check.meta.applies_to
    if rule.register_types is not None:
        return "register: " + (", ".join(rule.register_types) or "every asset")
    parts = [", ".join(rule.kinds), ", ".join(rule.platforms), ", ".join(rule.device_roles)]
    return "; ".join(p for p in parts if p)


def _remediation(check: Check) -> str:
    r = check.meta.remediation
    if r.role:
        how = f"role `{r.role}`, tag `{r.tag}`"
    elif r.network_template:
        how = f"network template `{r.network_template}`"
    else:
        how = r.manual or ""
    flags = f"disruption {r.disruption}" + (", reboot" if r.reboot else "")
    return f"{how} ({flags})"


def _section(check: Check) -> list[str]:
    meta = check.meta
    scenarios = ", ".join(f"`{p.name}`" for p in check.scenario_files())
    return [
        f"### `{meta.id}`",
        "",
        f"**{meta.title}** — severity **{meta.severity.value}**",
        "",
        meta.rationale.strip(),
        "",
        f"- Applies to: {_applies(check)}",
        f"- Facts: {', '.join(f'`{f}`' for f in meta.facts)}",
        f"- Fix: {_remediation(check)}",
        f"- Tags: {', '.join(meta.tags) or '—'}",
        f"- Scenarios: {scenarios}",
        "",
    ]


def render_markdown(catalogue: Catalogue) -> str:
    """The whole catalogue as Markdown (deterministic: sorted by area then ID)."""
    order = [s.value for s in Severity]
    lines = [
        "# Check catalogue",
        "",
        "<!-- Generated from checks/*/*/*.yml by `matops checks docs --write`. Do not edit. -->",
        "",
        f"{len(catalogue)} checks. Each judges facts only; see `docs/architecture.md`.",
        "",
        "| Check | Area | Severity | Title |",
        "|---|---|---|---|",
    ]
    ordered = sorted(
        catalogue,
        key=lambda c: (list(_AREAS).index(c.meta.area), order.index(c.meta.severity.value), c.id),
    )
    lines += [
        f"| `{c.id}` | {c.meta.area.value} | {c.meta.severity.value} | {c.meta.title} |"
        for c in ordered
    ]
    for area, heading in _AREAS.items():
        lines += ["", f"## {heading}", ""]
        for check in sorted((c for c in catalogue if c.meta.area is area), key=lambda c: c.id):
            lines += _section(check)
    lines += ["## Facts", "", "| Fact | Source | Meaning |", "|---|---|---|"]
    lines += [f"| `{s.name}` | {s.source} | {s.description} |" for s in FACTS.values()]
    return "\n".join(lines).rstrip() + "\n"
