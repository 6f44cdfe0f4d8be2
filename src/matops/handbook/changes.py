"""What changed in a trust's inventory over a period, from its git history: devices added to,
retired from and removed from the asset registers, baseline settings changed in ``group_vars``,
waivers granted, withdrawn and expired.

The judging is pure: :func:`parse_log` reads ``git log`` output and :func:`summarise` compares
each commit's files with their parent's, through a reader it is given (``git show`` in
:func:`inventory_changes`, the only function that runs git). Nothing here quotes a value from
``group_vars`` (only the names of the settings that changed, so no secret can leak), nor who an
asset is assigned to, nor who approved a waiver: the summary is fit for governors.
"""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import yaml
from markupsafe import Markup

from matops.scan.helpers import add_years

if TYPE_CHECKING:
    from matops.handbook.context import HandbookContext

MARK = "@@commit "


@dataclass(frozen=True)
class Commit:
    """One commit that touched the trust folder: its hash, date, subject and changed files."""

    sha: str
    day: date
    subject: str
    files: tuple[str, ...]


@dataclass(frozen=True, order=True)
class Change:
    """One thing that changed, when, in which commit (empty for an expiry), and where."""

    day: date
    kind: str
    """``device added``, ``device retired``, ``device removed``, ``baseline changed``,
    ``waiver granted``, ``waiver withdrawn`` or ``waiver expired``."""
    school: str
    """The school's id, or empty for the trust as a whole."""
    summary: str
    commit: str = ""


def parse_log(text: str) -> list[Commit]:
    """Commits from ``git log --format='@@commit %H%x09%cs%x09%s' --name-only``.

    >>> log = "@@commit abc\\t2026-10-01\\tAdd laptops\\n\\ninv/assets/oak.csv\\n"
    >>> parse_log(log)[0].files
    ('inv/assets/oak.csv',)
    """
    commits: list[Commit] = []
    for block in text.split(MARK)[1:]:
        head, *rest = block.splitlines()
        sha, day, subject = [*head.split("\t", 2), "", ""][:3]
        files = tuple(line.strip() for line in rest if line.strip())
        commits.append(Commit(sha, date.fromisoformat(day), subject, files))
    return commits


def _rows(text: str | None) -> dict[str, dict[str, str]]:
    if not text:
        return {}
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    return {
        row["asset_tag"].strip(): {k: (v or "").strip() for k, v in row.items() if k}
        for row in reader
        if (row.get("asset_tag") or "").strip()
    }


def register_changes(old: str | None, new: str | None) -> Iterator[tuple[str, str]]:
    """``(kind, summary)`` for each row added, retired (``disposed_date`` set) or removed.

    >>> head = "asset_tag,type,model,disposed_date\\n"
    >>> old = head + "A1,laptop,X,\\nA2,tablet,Y,\\n"
    >>> new = head + "A1,laptop,X,2026-10-01\\nA3,switch,Z,\\n"
    >>> sorted(register_changes(old, new))  # doctest: +NORMALIZE_WHITESPACE
    [('device added', 'A3: switch Z'), ('device removed', 'A2: tablet Y (not marked disposed)'),
     ('device retired', 'A1: laptop X, disposed of 2026-10-01')]
    """
    before, after = _rows(old), _rows(new)
    for tag, row in after.items():
        what = f"{tag}: {row.get('type', '')} {row.get('model', '')}".rstrip()
        was = before.get(tag)
        if was is None and not row.get("disposed_date"):
            yield "device added", what
        elif was is not None and not was.get("disposed_date") and row.get("disposed_date"):
            yield "device retired", f"{what}, disposed of {row['disposed_date']}"
    for tag, row in before.items():
        if tag not in after and not row.get("disposed_date"):
            what = f"{tag}: {row.get('type', '')} {row.get('model', '')}".rstrip()
            yield "device removed", f"{what} (not marked disposed)"


class _AnyTagLoader(yaml.SafeLoader):
    """A safe loader that reads unknown tags (Ansible's ``!vault``) as an opaque marker."""


def _opaque(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> str:
    return f"<{node.tag}>"


_AnyTagLoader.add_multi_constructor("!", _opaque)


def _load(text: str | None) -> Any:
    if not text or text.lstrip().startswith("$ANSIBLE_VAULT"):
        return None
    try:
        return yaml.load(text, Loader=_AnyTagLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        return None


def _flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: node}


def setting_changes(old: str | None, new: str | None) -> list[str]:
    """The names of the settings added, removed or changed (never their values).

    >>> setting_changes("trust:\\n  ntp: [a]\\n  dns: [b]\\n", "trust:\\n  ntp: [c]\\n  x: 1\\n")
    ['trust.dns removed', 'trust.ntp changed', 'trust.x added']
    """
    if (old or "").lstrip().startswith("$ANSIBLE_VAULT") or (new or "").lstrip().startswith(
        "$ANSIBLE_VAULT"
    ):
        return ["encrypted file changed"] if old != new else []
    before, after = _flatten(_load(old)), _flatten(_load(new))
    before.pop("", None)
    after.pop("", None)
    words = []
    for key in sorted(set(before) | set(after)):
        if key not in before:
            words.append(f"{key} added")
        elif key not in after:
            words.append(f"{key} removed")
        elif before[key] != after[key]:
            words.append(f"{key} changed")
    return words


def _waivers(text: str | None) -> list[dict[str, Any]]:
    node = _load(text)
    items = node.get("waivers") if isinstance(node, dict) else None
    return [w for w in items or [] if isinstance(w, dict)]


def _waiver_words(w: dict[str, Any]) -> str:
    where = w.get("name") or "the whole trust"
    return f"{w.get('check')} for {where} ({w.get('scope')}), until {w.get('expires')}"


def waiver_changes(old: str | None, new: str | None) -> Iterator[tuple[str, str]]:
    """``(kind, summary)`` for each waiver granted (new or renewed) or withdrawn.

    >>> old = "waivers:\\n- {check: c1, scope: trust, expires: 2026-10-31}\\n"
    >>> new = "waivers:\\n- {check: c1, scope: trust, expires: 2027-10-31}\\n"
    >>> list(waiver_changes(old, new))
    [('waiver granted', 'c1 for the whole trust (trust), until 2027-10-31 (renewed)')]
    """
    key: Callable[[dict[str, Any]], tuple[str, ...]] = lambda w: (  # noqa: E731
        str(w.get("check")), str(w.get("scope")), str(w.get("name")), str(w.get("expires"))
    )  # fmt: skip
    before = {key(w): w for w in _waivers(old)}
    after = {key(w): w for w in _waivers(new)}
    renewed = {k[:3] for k in after} & {k[:3] for k in before}
    for k, w in after.items():
        if k not in before:
            yield "waiver granted", _waiver_words(w) + (" (renewed)" if k[:3] in renewed else "")
    for k, w in before.items():
        if k not in after and k[:3] not in renewed:
            yield "waiver withdrawn", _waiver_words(w)


def expired_waivers(text: str | None, since: date, until: date) -> list[Change]:
    """The waivers (as the file stands at the end) whose expiry falls in the period."""
    found = []
    for w in _waivers(text):
        expires = w.get("expires")
        if isinstance(expires, date) and since <= expires <= until:
            found.append(Change(expires, "waiver expired", "", _waiver_words(w)))
    return found


Reader = Callable[[str, str], "str | None"]
"""``reader(revision, path)``: the file's text at that revision, None when it is absent."""


def _school_of(rel: PurePosixPath) -> str:
    return rel.stem if rel.parts[0] == "assets" else ""


def _file_changes(
    commit: Commit, rel: PurePosixPath, old: str | None, new: str | None
) -> list[Change]:
    made: list[Change] = []
    if rel.parts[0] == "assets" and rel.suffix == ".csv":
        for kind, words in register_changes(old, new):
            made.append(Change(commit.day, kind, _school_of(rel), words, commit.sha[:10]))
    elif rel.parts[0] == "group_vars":
        for words in setting_changes(old, new):
            summary = f"{rel.as_posix()}: {words}"
            made.append(Change(commit.day, "baseline changed", "", summary, commit.sha[:10]))
    elif rel.as_posix() in ("waivers.yml", "waivers.yaml"):
        for kind, words in waiver_changes(old, new):
            made.append(Change(commit.day, kind, "", words, commit.sha[:10]))
    return made


def summarise(
    commits: list[Commit],
    trust_path: str,
    read: Reader,
    period: tuple[date, date],
    end: str | None,
) -> list[Change]:
    """Every change the commits made to the trust folder (``trust_path``, from the repository
    root), plus the waivers (as they stand at revision ``end``, the last one of the period)
    that expired in the period, in date order."""
    since, until = period
    base = PurePosixPath(trust_path)
    changes: list[Change] = []
    for commit in commits:
        for name in commit.files:
            path = PurePosixPath(name)
            if base not in path.parents:
                continue
            rel = path.relative_to(base)
            old, new = read(f"{commit.sha}^", name), read(commit.sha, name)
            changes += _file_changes(commit, rel, old, new)
    if end is not None:
        changes += expired_waivers(read(end, (base / "waivers.yml").as_posix()), since, until)
    return sorted(changes)


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )


def inventory_changes(repo: Path, trust: Path, since: date, until: date) -> list[Change]:
    """What changed in ``trust`` (a folder inside the git repository ``repo``) from ``since``
    to ``until`` (both days included, by commit date); raises RuntimeError when git fails."""
    rel = trust.resolve().relative_to(repo.resolve()).as_posix()
    log = _git(
        repo, "log", "--reverse", "--no-renames", "--name-only",
        f"--format={MARK}%H%x09%cs%x09%s", f"--since={since.isoformat()} 00:00:00",
        f"--until={until.isoformat()} 23:59:59", "--", rel,
    )  # fmt: skip
    if log.returncode != 0:
        raise RuntimeError(f"git log failed: {log.stderr.strip().splitlines()[:1]}")

    def read(revision: str, path: str) -> str | None:
        shown = _git(repo, "show", f"{revision}:{path}")
        return shown.stdout if shown.returncode == 0 else None

    last = _git(repo, "rev-list", "-1", f"--before={until.isoformat()} 23:59:59", "HEAD")
    end = last.stdout.strip() or None
    return summarise(parse_log(log.stdout), rel, read, (since, until), end)


def changes_html(changes: list[Change], since: date, until: date) -> Markup:
    """The period's changes: counts by kind and school, then every change (date, kind, school,
    detail, commit) in a table that opens on request.

    >>> print(changes_html([], date(2026, 9, 1), date(2026, 12, 31)))
    <p>Nothing changed in the inventory from 2026-09-01 to 2026-12-31.</p>
    """
    if not changes:
        return Markup("<p>Nothing changed in the inventory from {} to {}.</p>").format(
            since.isoformat(), until.isoformat()
        )
    counts: dict[tuple[str, str], int] = {}
    for change in changes:
        key = (change.kind, change.school or "trust")
        counts[key] = counts.get(key, 0) + 1
    summary = Markup("\n").join(
        Markup("<tr><td>{}</td><td>{}</td><td>{}</td></tr>").format(kind, where, n)
        for (kind, where), n in sorted(counts.items())
    )
    rows = Markup("\n").join(
        Markup(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>"
        ).format(c.day.isoformat(), c.kind, c.school or "trust", c.summary, c.commit)
        for c in changes
    )
    return Markup(
        "<p>From {} to {}, by commit date.</p>\n"
        '<table class="changes-summary"><tr><th>What</th><th>Where</th><th>How many</th></tr>\n'
        "{}</table>\n<details><summary>Every change ({})</summary>\n"
        '<table class="changes"><tr><th>Date</th><th>What</th><th>Where</th><th>Detail</th>'
        "<th>Commit</th></tr>\n{}</table></details>"
    ).format(since.isoformat(), until.isoformat(), summary, len(changes), rows)


def changes_page(ctx: HandbookContext) -> Markup:
    """The "What changed" page: from ``ctx.since`` (by default the twelve months before) to the
    build date (register as a ``Page``)."""
    since, until = ctx.since or add_years(ctx.built, -1), ctx.built
    top = _git(ctx.root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        return Markup("<p>The inventory is not in a git repository: there is no history.</p>")
    repo = Path(top.stdout.strip())
    if _git(repo, "rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        return Markup(
            "<p>The repository is a shallow clone, so its history is incomplete and a summary "
            "would be wrong. Build the handbook from a whole clone (<code>git fetch "
            "--unshallow</code>, or <code>fetch-depth: 0</code> in CI).</p>"
        )
    changes = inventory_changes(repo, ctx.root, since, until)
    return changes_html(changes, since, until)
