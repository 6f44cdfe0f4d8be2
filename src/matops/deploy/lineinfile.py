"""Ansible's ``lineinfile`` as a pure function: the pyinfra engine edits a file with it while
planning, then writes it with ``installed_file``, so both engines leave byte-identical files.
"""

from __future__ import annotations

import re


def lineinfile(text: str, regexp: str, line: str, insertafter: str | None = None) -> str:
    """``text`` with ``line`` in place of the last line matching ``regexp``, as Ansible does.

    Without a match, ``line`` goes after the last line matching ``insertafter`` (when given and
    found), otherwise at the end. A file without a final newline gets one first.

    >>> lineinfile("A\\t1\\nB\\t2\\n", r"^B\\s", "B\\t3")
    'A\\t1\\nB\\t3\\n'
    >>> lineinfile("[S]\\nx=1\\n", r"^#?y=", "y=2", insertafter=r"^\\[S\\]")
    '[S]\\ny=2\\nx=1\\n'
    """
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    pattern = re.compile(regexp)
    matches = [i for i, current in enumerate(lines) if pattern.search(current.rstrip("\n"))]
    if matches:
        lines[matches[-1]] = f"{line}\n"
        return "".join(lines)
    position = len(lines)
    if insertafter is not None:
        after = re.compile(insertafter)
        found = [i for i, current in enumerate(lines) if after.search(current.rstrip("\n"))]
        if found:
            position = found[-1] + 1
    lines.insert(position, f"{line}\n")
    return "".join(lines)
