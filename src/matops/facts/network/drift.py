"""The ``config_remediation`` fact: how far a switch's configuration is from the trust template.

The template is rendered from the inventory exactly as ``matops network render`` does, and the
running configuration is compared with it by hier_config (:func:`matops.network.diff.compute_diff`),
the same comparison a push makes. Rendering needs the trust's network secrets (vault); when they
cannot be resolved the fact is unavailable, so the drift check is reported as not assessed with the
reason, never as a failure. Remediation lines may contain secrets: the evidence excerpt is redacted
like any other, and the drift check's detail shows only the commands' first words.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from matops.facts.model import FactError, FactUnavailableError
from matops.inventory.ansible_vars import AnsibleVariables, VariableError
from matops.inventory.model import Target, Trust
from matops.network.context import RenderError
from matops.network.diff import compute_diff
from matops.network.render import render_target
from matops.platforms import UnknownPlatformError

Variables = Callable[[], AnsibleVariables]
"""Builds Ansible's variable resolver on first use (reading the inventory takes a moment)."""


class TemplateRemediation:
    """A remediation source for the network fact providers: (target, running text) → lines.

    >>> drift = TemplateRemediation(trust, lambda: AnsibleVariables(root))  # doctest: +SKIP
    >>> drift(target, running_text)  # doctest: +SKIP
    ['no ip http server', 'line vty 0 4', ' transport input ssh']
    """

    def __init__(
        self, trust: Trust, variables: Variables, keep_users: tuple[str, ...] = ()
    ) -> None:
        self._trust = trust
        self._variables = variables
        self._loaded: AnsibleVariables | Exception | None = None
        self._keep_users = keep_users
        self._lock = threading.Lock()

    def _hostvars(self, target: Target) -> Mapping[str, Any]:
        with self._lock:
            if self._loaded is None:
                try:
                    self._loaded = self._variables()
                except Exception as exc:  # a bad vault password file, an unreadable inventory
                    self._loaded = exc
            if isinstance(self._loaded, Exception):
                raise FactUnavailableError(
                    f"drift not assessed: cannot read the trust's variables: {self._loaded}"
                )
            try:
                return self._loaded.rendered(target.name)
            except VariableError as exc:
                raise FactUnavailableError(f"drift not assessed: {exc}") from exc

    def intended(self, target: Target, hostvars: Mapping[str, Any] | None = None) -> str:
        """The template rendered for ``target`` (from ``hostvars`` when the caller has them);
        FactUnavailableError when secrets are missing."""
        hostvars = self._hostvars(target) if hostvars is None else hostvars
        try:
            return render_target(self._trust, target, hostvars)
        except (RenderError, UnknownPlatformError) as exc:
            raise FactUnavailableError(
                f"drift not assessed: the template cannot be rendered: {exc}"
            ) from exc

    def __call__(self, target: Target, running: str) -> list[str]:
        """The lines a push would send to bring ``running`` to the template."""
        hostvars = self._hostvars(target)  # rendered once per switch: it is the costly part
        intended = self.intended(target, hostvars)
        login = hostvars.get("network_username")
        keep = (*self._keep_users, str(login)) if login else self._keep_users
        try:
            diff = compute_diff(target.platform, running, intended, keep_users=keep, rollback=False)
        except Exception as exc:  # hier_config on an unexpected config: an error, not a crash
            raise FactError(f"cannot compare {target.name} with its template: {exc}") from exc
        return list(diff.remediation)


def trust_remediation(
    root: Path,
    trust: Trust,
    vault_password_file: Path | None,
    keep_users: tuple[str, ...] = (),
    extra_vars_file: Path | None = None,
) -> TemplateRemediation:
    """The remediation source for the trust at ``root`` (vault password file optional;
    ``extra_vars_file``: the lab's made-up secrets, named only by a run given ``--lab``).

    >>> trust_remediation(Path("inventories/example-trust"), trust, None)  # doctest: +SKIP
    """
    return TemplateRemediation(
        trust, lambda: AnsibleVariables(root, vault_password_file, extra_vars_file), keep_users
    )
