"""Ansible's ``lineinfile`` as a pure function, for pyinfra twins that edit a line of a file.

A twin reads the file (a fact), computes the new text with :func:`lineinfile` and writes it with
``installed_file``, so both engines leave byte-identical files.
"""

from __future__ import annotations

import base64
import re
import shlex


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


def remote_text(path: str) -> str | None:
    """The exact text of ``path`` on pyinfra's current host (None when it does not exist).

    Read through base64 so that trailing blank lines and whitespace survive the fact's output.
    """
    from matops.deploy.pyinfra_roles import command_output

    quoted = shlex.quote(path)
    encoded = command_output(f"test -f {quoted} && base64 -w0 {quoted} || echo -").strip()
    if encoded == "-":
        return None
    return base64.b64decode(encoded).decode("utf-8")
