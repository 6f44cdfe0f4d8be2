"""Home folders are private to their owner and group (0750 or stricter), and no dotfile in them
can be changed by others."""

from __future__ import annotations

from matops.facts.linux.model import HomeDirectories
from matops.scan.verdict import Verdict, listing, verdict_for


def judge(home_directories: HomeDirectories) -> Verdict:
    """Fail for each home folder its group can write or others can enter, and for each dotfile
    (``.bashrc``, ``.profile``…) others can write."""
    open_homes = [
        f"{path} {mode}" for path, mode in sorted(home_directories.modes.items())
        if int(mode, 8) & 0o027
    ]  # fmt: skip
    problems = [f"home folders open to others: {listing(open_homes)}"] if open_homes else []
    if home_directories.writable_dotfiles:
        problems.append(f"dotfiles others can write: {listing(home_directories.writable_dotfiles)}")
    count = len(home_directories.modes)
    return verdict_for(problems, f"{count} home folders private")
