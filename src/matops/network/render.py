"""Render a switch's intended configuration from the trust's inventory (Jinja2 templates).

Templates live in ``templates/<platform>/baseline.j2``; undefined template variables are errors
(StrictUndefined), and so are missing secrets (:class:`~matops.network.context.RenderError`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from matops.inventory.ansible_vars import AnsibleVariables
from matops.inventory.loader import load_trust
from matops.inventory.model import Target, Trust
from matops.network.context import (
    RenderError,
    cisco_type7,
    compress_vlans,
    device_context,
)
from matops.platforms import TEMPLATES, network_platform

__all__ = ["RenderError", "render_device", "render_target", "switch_targets"]


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - device configuration text, not HTML
    )
    env.filters["type7"] = cisco_type7
    env.filters["vlan_list"] = compress_vlans
    return env


def render_target(
    trust: Trust, target: Target, hostvars: Mapping[str, Any], part: str | None = None
) -> str:
    """Render one switch's baseline (or one ``part`` of it, e.g. ``ports``) from the loaded
    trust and its rendered Ansible variables.

    >>> render_target(trust, trust.targets("switch")[0], hostvars)  # doctest: +SKIP
    'hostname oak-sw01\\n...'
    """
    platform = network_platform(target.platform)
    context = device_context(trust, target, hostvars)
    template = platform.part(part).template if part else platform.template.name
    template_name = f"{platform.template_dir.name}/{template}"
    try:
        text = _environment().get_template(template_name).render(context)
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{target.name}: template {template_name}: {exc.message}") from exc
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines()) + "\n"


def switch_targets(
    trust: Trust, school: str | None = None, device: str | None = None
) -> list[Target]:
    """The switches of a trust, optionally of one school or one device (errors list choices).

    >>> [t.name for t in switch_targets(trust, school="oakfield-primary")]  # doctest: +SKIP
    ['oak-sw01', 'oak-sw02']
    """
    targets = trust.targets("switch")
    if school is not None:
        trust.school(school)  # KeyError listing the schools
        targets = [t for t in targets if t.school == school]
    if device is not None:
        chosen = [t for t in targets if t.name == device]
        if not chosen:
            valid = ", ".join(t.name for t in targets) or "none"
            raise KeyError(f"no switch {device!r}; switches: {valid}")
        targets = chosen
    return targets


def render_device(
    trust_dir: Path,
    target_name: str,
    variables: AnsibleVariables,
    *,
    trust: Trust | None = None,
    part: str | None = None,
) -> str:
    """Render the intended configuration of switch ``target_name`` of the trust at ``trust_dir``.

    Pass an already loaded ``trust`` to skip loading it again.

    >>> variables = AnsibleVariables(Path("inventories/example-trust"))  # doctest: +SKIP
    >>> render_device(Path("inventories/example-trust"), "oak-sw01", variables)  # doctest: +SKIP
    'hostname oak-sw01\\n...'
    """
    loaded = trust if trust is not None else load_trust(trust_dir)
    target = switch_targets(loaded, device=target_name)[0]
    return render_target(loaded, target, variables.rendered(target_name), part)
