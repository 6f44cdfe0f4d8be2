"""``note``: a pyinfra operation that only reports, like an Ansible ``debug`` task.

Twins use it to say what they skipped ("skipped: not possible in a container"); it never changes
anything, and it counts as an operation that ran on the host (``ok``), as the ``debug`` task does.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any


def _note(message: str) -> Generator[Any, None, None]:
    """Report ``message`` for the current host; change nothing."""
    from pyinfra.context import host

    host.noop(message)
    yield from ()


def _operation() -> Any:
    from pyinfra.api.operation import operation

    return operation()(_note)


#: The pyinfra operation: ``note(name="...", message="...")``.
note: Any = _operation()
