"""Reading the project's own files: YAML with line numbers, pydantic errors as ``path:line``
problems, and the error that carries them.

Every file-based source uses these: the trust inventory, the check catalogue and framework
files, waivers and attestations. None of them depends on another's errors.
"""

from matops.source.problems import Problem, ProblemsError, Severity

__all__ = ["Problem", "ProblemsError", "Severity"]
