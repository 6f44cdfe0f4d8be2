"""``playbooks/site.yml`` is the one list of roles in order; the deploy runner reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from matops.deploy.runner import available_roles
from matops.deploy.site import SiteError, site_roles

REPO = Path(__file__).resolve().parents[3]


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text)


def test_the_runner_follows_site_yml() -> None:
    order = site_roles()
    assert order[0] == "baseline"
    assert [r for r in available_roles() if r in order] == list(order)


def test_order_comes_from_the_imports_and_plays(tmp_path: Path) -> None:
    _write(tmp_path, "a.yml", "- hosts: linux\n  roles: [{role: second}, first]\n")
    _write(tmp_path, "b.yml", "- hosts: linux\n  roles:\n    - role: third\n    - second\n")
    site = "- import_playbook: b.yml\n- ansible.builtin.import_playbook: a.yml\n"
    site += "- hosts: linux\n  roles: [fourth]\n"
    _write(tmp_path, "site.yml", site)
    assert site_roles(tmp_path) == ("third", "second", "first", "fourth")


def test_a_site_that_is_not_a_list_of_plays_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "site.yml", "roles: [a]\n")
    with pytest.raises(SiteError, match="not a list of plays"):
        site_roles(tmp_path)
