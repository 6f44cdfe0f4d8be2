"""Pure parsers for APT's sources, its fetched Release files and its update stamp, and the
security updates pending from its package lists and dpkg's record of what is installed."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from matops.facts.linux import debversion
from matops.facts.linux.model import AptRelease, AptSource, PendingUpdate
from matops.facts.linux.parse import UnparseableError

_ONE_LINE = re.compile(r"^deb\s+(?:\[(?P<options>[^\]]*)\]\s+)?(?P<uri>\S+)\s+(?P<rest>.*)$")


def parse_sources_list(text: str, path: str) -> list[AptSource]:
    """One-line ``deb`` entries of a ``.list`` file (``deb-src`` and comments ignored).

    >>> parse_sources_list("deb [arch=amd64] http://m/debian bookworm main\\n", "/x.list")[0].suites
    ['bookworm']
    """
    found = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("deb-src"):
            continue
        match = _ONE_LINE.match(line)
        if match is None:
            raise UnparseableError(f"{path}: not an APT source line: {line[:80]!r}")
        words = match["rest"].split()
        if not words:
            raise UnparseableError(f"{path}: a source without a suite: {line[:80]!r}")
        found.append(AptSource(file=path, uri=match["uri"], suites=[words[0]],
                               components=words[1:]))  # fmt: skip
    return found


def _stanzas(text: str) -> list[dict[str, str]]:
    """deb822 paragraphs: field → value (continuation lines joined with spaces)."""
    stanzas: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for raw in [*text.splitlines(), ""]:
        if raw.startswith("#"):
            continue
        if not raw.strip():
            if current:
                stanzas.append(current)
            current, key = {}, ""
            continue
        if raw[0] in " \t" and key:
            current[key] += " " + raw.strip()
            continue
        name, sep, value = raw.partition(":")
        if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", name):
            raise UnparseableError(f"deb822: not a field line: {raw[:80]!r}")
        key = name.lower()
        current[key] = value.strip()
    return stanzas


def parse_sources_deb822(text: str, path: str) -> list[AptSource]:
    """Enabled ``deb`` stanzas of a ``.sources`` file (one source per URI).

    >>> text = "Types: deb deb-src\\nURIs: http://m/debian\\nSuites: bookworm bookworm-security"
    >>> parse_sources_deb822(text, "/x.sources")[0].security_suites
    ['bookworm-security']
    """
    found = []
    for stanza in _stanzas(text):
        if "deb" not in stanza.get("types", "").split():
            continue
        if stanza.get("enabled", "yes").strip().lower() in ("no", "false", "0"):
            continue
        uris, suites = stanza.get("uris", "").split(), stanza.get("suites", "").split()
        if not uris or not suites:
            raise UnparseableError(f"{path}: a deb stanza without URIs or Suites")
        components = stanza.get("components", "").split()
        found += [AptSource(file=path, uri=u, suites=suites, components=components) for u in uris]
    return found


def parse_sources(files: list[tuple[str, str]]) -> list[AptSource]:
    """Every enabled ``deb`` source in (path, text) pairs, by the file's extension."""
    found: list[AptSource] = []
    for path, text in files:
        if path.endswith(".sources"):
            found += parse_sources_deb822(text, path)
        else:
            found += parse_sources_list(text, path)
    return found


RELEASE_FIELDS = "^(Suite|Codename|Date|Valid-Until):"
"""What ``grep -E`` looks for in the Release files apt keeps."""
_RELEASE_FIELD = re.compile(
    r"^(?P<file>/\S+):(?P<key>Suite|Codename|Date|Valid-Until): ?(?P<value>.*)$"
)


def parse_release_fields(text: str, files: list[str]) -> list[AptRelease]:
    """``grep -H`` output of Suite, Codename, Date and Valid-Until lines → one AptRelease per file.

    Every file named must have a Suite or Codename line (every Debian Release file does);
    without one, the output is not what was asked for.
    """
    fields: dict[str, dict[str, str]] = {path: {} for path in files}
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _RELEASE_FIELD.match(line)
        if match is None or match["file"] not in fields:
            raise UnparseableError(f"Release fields: unexpected line {line[:80]!r}")
        fields[match["file"]].setdefault(match["key"], match["value"].strip())
    releases = []
    for path, values in fields.items():
        if "Suite" not in values and "Codename" not in values:
            raise UnparseableError(f"{path}: no Suite or Codename (not a Release file?)")
        releases.append(
            AptRelease(file=path, suite=values.get("Suite"), codename=values.get("Codename"),
                       date=parse_release_date(values.get("Date")),
                       valid_until=parse_release_date(values.get("Valid-Until")))
        )  # fmt: skip
    return releases


def parse_release_date(value: str | None) -> datetime | None:
    """A Release file's ``Date`` (RFC 2822, UTC); None when absent or not a date.

    >>> parse_release_date("Sat, 15 Nov 2026 10:00:00 UTC").isoformat()
    '2026-11-15T10:00:00+00:00'
    """
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.replace("UTC", "+0000"))
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_stamp(text: str) -> datetime | None:
    """``find -printf '%T@\\n'`` of one stamp file → its time; '' → None (no stamp).

    >>> parse_stamp("1764900000.5\\n").year
    2025
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    if len(lines) != 1 or not re.fullmatch(r"\d+(\.\d+)?", lines[0]):
        raise UnparseableError(f"update stamp: not a file time: {text[:60]!r}")
    return datetime.fromtimestamp(float(lines[0]), UTC)


PACKAGE_FIELDS = "^(Package|Version|Architecture):"
"""What ``grep -E`` keeps of a package list apt stores uncompressed."""
_INSTALLED = re.compile(
    r"^(?P<want>[uihrp])(?P<state>[ncHUFWti])[ R]?\t(?P<package>[^\t]+)\t(?P<arch>[^\t]+)"
    r"\t(?P<version>[^\t]*)$"
)
_PACKAGES_LIST = re.compile(r"[^_/]+_Packages(\.(lz4|gz|xz|zst|bz2|lzma))?")
"""``<arch>_Packages``, uncompressed or in a compression apt can keep (not its diff indexes)."""
Offered = dict[tuple[str, str], str]
"""(package, architecture) → the newest version a list offers."""


def security_archive(path: str) -> str | None:
    """The suite of a package list apt keeps, when that suite carries security updates
    (the same rule as :attr:`AptSource.security_suites`); None for any other list.

    apt names a list after its source: ``<site>_dists_<suite>_<component>_binary-<arch>_Packages``
    (``/`` in the suite becomes ``_``), with a compression suffix when it keeps lists compressed.

    >>> security_archive("/var/lib/apt/lists/m_debian_dists_bookworm-security_main_binary-amd64_Packages")
    'bookworm-security'
    >>> security_archive("/var/lib/apt/lists/m_debian_dists_bookworm_main_binary-amd64_Packages")
    """  # noqa: E501
    _site, dists, tail = path.rsplit("/", 1)[-1].rpartition("_dists_")
    where, binary, rest = tail.partition("_binary-")
    if not dists or not binary or not _PACKAGES_LIST.fullmatch(rest):
        return None
    parts = where.split("_")
    if parts[0].endswith("-security"):
        return parts[0]
    if len(parts) > 2 and parts[1] == "updates":  # stable/updates main (before bullseye)
        return f"{parts[0]}/updates"
    return None


def parse_installed(text: str) -> Offered:
    """``dpkg-query -W -f='${db:Status-Abbrev}\\t${Package}\\t${Architecture}\\t${Version}\\n'``
    → the installed version of each (package, architecture); removed packages whose config
    files remain (``rc``) and packages never installed (``un``) are left out.

    >>> parse_installed("ii \\tless\\tamd64\\t590-2.1~deb12u2\\nrc \\told\\tamd64\\t1.0\\n")
    {('less', 'amd64'): '590-2.1~deb12u2'}
    """
    found: Offered = {}
    for line in text.splitlines():
        match = _INSTALLED.match(line)
        if match is None:
            raise UnparseableError(f"dpkg-query: unexpected line {line[:80]!r}")
        if match["state"] in "nc":
            continue
        if not debversion.valid(match["version"]):
            raise UnparseableError(f"dpkg-query: not a version: {match['version'][:40]!r}")
        found[(match["package"], match["arch"])] = match["version"]
    if not found:
        raise UnparseableError("dpkg-query: no installed package (a Debian host has hundreds)")
    return found


def parse_package_list(text: str, path: str) -> Offered:
    """A package list's stanzas (whole, or only their Package, Version and Architecture lines)
    → the newest version of each (package, architecture). Every stanza must name all three.

    >>> parse_package_list("Package: less\\nVersion: 590-2\\nArchitecture: amd64\\n", "/l")
    {('less', 'amd64'): '590-2'}
    """
    found: Offered = {}
    stanzas: list[dict[str, str]] = []
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if key == "Package" and sep:
            stanzas.append({})
        if key in ("Package", "Version", "Architecture") and sep:
            if not stanzas:
                raise UnparseableError(f"{path}: {key} before any Package line")
            stanzas[-1][key] = value.strip()
    if not stanzas:
        raise UnparseableError(f"{path}: no package (apt keeps no list for an empty index)")
    for stanza in stanzas:
        package, version, arch = (stanza.get(k) for k in ("Package", "Version", "Architecture"))
        if not package or not arch or not version or not debversion.valid(version):
            raise UnparseableError(f"{path}: a stanza without a valid Version or Architecture")
        known = found.get((package, arch))
        if known is None or debversion.compare(version, known) > 0:
            found[(package, arch)] = version
    return found


def pending_security(installed: Offered, lists: list[tuple[str, Offered]]) -> list[PendingUpdate]:
    """Installed packages that a security list offers a newer version of (the newest offered,
    with its suite), whatever apt's pinning would choose: an installed version older than the
    security suite's is exposed to what the update fixed.

    >>> pending_security({("less", "amd64"): "590-2"}, [("bookworm-security",
    ...     {("less", "amd64"): "590-2.1~deb12u2"})])[0].version
    '590-2.1~deb12u2'
    """
    best: dict[str, PendingUpdate] = {}
    for archive, offered in lists:
        for (package, arch), version in offered.items():
            current = installed.get((package, arch))
            if current is None or debversion.compare(version, current) <= 0:
                continue
            known = best.get(package)
            if known is None or debversion.compare(version, known.version) > 0:
                best[package] = PendingUpdate(package=package, version=version, archive=archive)
    return [best[name] for name in sorted(best)]
