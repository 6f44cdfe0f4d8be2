"""The check catalogue: every check under ``checks/<area>/<id>/``, loaded and validated.

Built by walking the folder at load time (no registration at import). Loading fails loudly,
listing every problem as ``path:line: message``: the folder, module, metadata ``id`` must agree,
the judge's parameters must be exactly the metadata's facts with the declared fact types.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import sys
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from matops.facts.catalogue import FACTS
from matops.scan.meta import Area, CheckMeta
from matops.scan.verdict import Verdict
from matops.source.problems import Problem, ProblemsError
from matops.source.pydantic_errors import validate_node
from matops.source.yamlsrc import LineDict, YamlSyntaxError, load_yaml_file

Judge = Callable[..., Verdict]


class CatalogueError(ProblemsError):
    """The check catalogue is inconsistent; ``problems`` lists every problem found."""


@dataclass(frozen=True)
class Check:
    """A loaded check: metadata, judge and folder."""

    meta: CheckMeta
    judge: Judge
    folder: Path

    @property
    def id(self) -> str:
        """The check ID (folder = module = metadata id)."""
        return self.meta.id

    def scenario_files(self) -> list[Path]:
        """The scenario files beside the check (``tests/<what>.<status>.yml``)."""
        tests = self.folder / "tests"
        return sorted(tests.glob("*.yml")) if tests.is_dir() else []


@dataclass(frozen=True)
class Catalogue:
    """Every check, by ID."""

    root: Path
    checks: dict[str, Check]

    def __iter__(self) -> typing.Iterator[Check]:
        return iter(self.checks[k] for k in sorted(self.checks))

    def __len__(self) -> int:
        return len(self.checks)

    def get(self, check_id: str) -> Check:
        """The check with this ID; KeyError naming close IDs otherwise."""
        if check_id in self.checks:
            return self.checks[check_id]
        close = [c for c in self.checks if check_id in c or c in check_id][:5]
        hint = f"; did you mean: {', '.join(close)}" if close else ""
        raise KeyError(f"no check {check_id!r}{hint} (matops checks list shows them all)")

    def select(self, selectors: Iterable[str]) -> list[Check]:
        """Checks matching any selector: a check ID, a tag or an area; KeyError for unknown ones."""
        wanted = [s.strip() for s in selectors if s.strip()]
        chosen: dict[str, Check] = {}
        for selector in wanted:
            matches = [
                c for c in self if selector in {c.id, c.meta.area.value} or selector in c.meta.tags
            ]
            if not matches:
                raise KeyError(f"{selector!r} is not a check ID, tag or area")
            chosen.update((c.id, c) for c in matches)
        return [chosen[k] for k in sorted(chosen)]

    def tags(self) -> list[str]:
        """Every tag used by a check."""
        return sorted({t for c in self for t in c.meta.tags})


def default_root() -> Path:
    """``MATOPS_CHECKS``, or the ``checks/`` folder of the source tree, or ``./checks``."""
    if env := os.environ.get("MATOPS_CHECKS"):
        return Path(env)
    source = Path(__file__).resolve().parents[3] / "checks"
    return source if source.is_dir() else Path("checks")


def _import_judge(path: Path, area: str, check_id: str) -> ModuleType:
    name = f"matops_checks.{area}.{check_id}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # needed to resolve postponed annotations
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _signature_problems(judge: Judge, meta: CheckMeta, path: Path) -> list[Problem]:
    params = inspect.signature(judge).parameters
    problems = []
    bad_kinds = [
        p for p in params.values() if p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    if bad_kinds:
        problems.append(Problem(path, 1, "judge must take named fact parameters only"))
    names = list(params)
    if sorted(names) != sorted(meta.facts):
        problems.append(
            Problem(path, 1, f"judge parameters {names} do not match metadata facts {meta.facts}")
        )
        return problems
    try:
        hints = typing.get_type_hints(judge)
    except Exception as exc:
        return [*problems, Problem(path, 1, f"cannot resolve judge annotations: {exc}")]
    for name in names:
        declared = FACTS[name].type
        if hints.get(name) != declared:
            problems.append(
                Problem(
                    path, 1, f"parameter {name!r} is {hints.get(name)!r}; fact type is {declared!r}"
                )
            )
    if hints.get("return") is not Verdict:
        problems.append(Problem(path, 1, "judge must be annotated to return Verdict"))
    return problems


def _load_meta(path: Path, problems: list[Problem]) -> CheckMeta | None:
    try:
        node = load_yaml_file(path)
    except (YamlSyntaxError, OSError) as exc:
        problems.append(Problem(path, getattr(exc, "line", 1), str(exc)))
        return None
    if not isinstance(node, LineDict):
        problems.append(Problem(path, 1, "check metadata must be a mapping"))
        return None
    meta, found = validate_node(CheckMeta, node, path)
    problems.extend(found)
    return meta


def load_check(folder: Path, area: str, problems: list[Problem]) -> Check | None:
    """Load one check folder, appending any problem found."""
    check_id = folder.name
    meta_path, module_path = folder / f"{check_id}.yml", folder / f"{check_id}.py"
    missing = [
        Problem(path, 1, f"missing {path.name}: folder, module and metadata share the check ID")
        for path in (meta_path, module_path)
        if not path.is_file()
    ]
    if missing:
        problems.extend(missing)
        return None
    meta = _load_meta(meta_path, problems)
    if meta is None:
        return None
    if meta.id != check_id:
        problems.append(Problem(meta_path, 1, f"metadata id {meta.id!r} != folder {check_id!r}"))
    if meta.area.value != area:
        problems.append(
            Problem(meta_path, 1, f"area {meta.area.value!r} but folder is under {area!r}")
        )
    try:
        module = _import_judge(module_path, area, check_id)
    except Exception as exc:
        problems.append(Problem(module_path, 1, f"cannot import: {type(exc).__name__}: {exc}"))
        return None
    judge: Any = getattr(module, "judge", None)
    if not callable(judge):
        problems.append(Problem(module_path, 1, "module defines no judge() function"))
        return None
    found = _signature_problems(judge, meta, module_path)
    problems.extend(found)
    return None if found else Check(meta=meta, judge=judge, folder=folder)


def load_catalogue(root: Path | None = None) -> Catalogue:
    """Load every check under ``root``; raise :class:`CatalogueError` listing all problems."""
    root = root or default_root()
    problems: list[Problem] = []
    checks: dict[str, Check] = {}
    if not root.is_dir():
        raise CatalogueError([Problem(root, 1, "check catalogue folder not found")])
    for area_dir in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "frameworks"):
        if area_dir.name not in {a.value for a in Area}:
            valid = ", ".join(a.value for a in Area)
            problems.append(Problem(area_dir, 1, f"unknown area folder; valid areas: {valid}"))
            continue
        for folder in sorted(
            p for p in area_dir.iterdir() if p.is_dir() and p.name != "__pycache__"
        ):
            check = load_check(folder, area_dir.name, problems)
            if check is None:
                continue
            if check.id in checks:
                problems.append(Problem(folder, 1, f"duplicate check id {check.id!r}"))
            checks[check.id] = check
    if problems:
        raise CatalogueError(problems)
    return Catalogue(root=root, checks=checks)
