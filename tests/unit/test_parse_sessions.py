"""The TMOUT parser: what a login shell would end up with, never a compliant guess."""

from __future__ import annotations

import pytest

from matops.facts.linux.parse import UnparseableError
from matops.facts.linux.parse_sessions import parse_tmout


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([("/etc/profile.d/t.sh", "readonly TMOUT=300\n")], (300, True, "/etc/profile.d/t.sh")),
        ([("/p", "declare -rx TMOUT=120\n")], (120, True, "/p")),
        ([("/p", "typeset -r TMOUT=120\n")], (120, True, "/p")),
        ([("/p", "export TMOUT=900\n")], (900, False, "/p")),
        ([("/p", 'if [ "$(id -u)" -ne 0 ]; then TMOUT=600; fi\n')], (600, False, "/p")),
        ([("/p", "# TMOUT=600\nexport PATH\n")], (None, False, None)),
        ([("/p", "TMOUT=600 some-command\n")], (None, False, None)),
        ([("/a", "TMOUT=600\nreadonly TMOUT\n"), ("/b", "TMOUT=0\n")], (600, True, "/a")),
        ([("/a", "TMOUT=600\n"), ("/b", "TMOUT=0\n")], (0, False, "/b")),
        ([("/a", "readonly TMOUT\n"), ("/b", "TMOUT=60\n")], (None, True, None)),
    ],
)
def test_tmout(files: list[tuple[str, str]], expected: tuple[object, ...]) -> None:
    found = parse_tmout(files)
    assert (found.seconds, found.readonly, found.source) == expected


def test_a_value_that_is_not_seconds_is_not_guessed() -> None:
    with pytest.raises(UnparseableError, match="not a number of seconds"):
        parse_tmout([("/etc/profile.d/t.sh", "TMOUT=$IDLE\n")])
