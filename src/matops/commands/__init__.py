"""Command groups of the matops CLI, one module each; :mod:`matops.cli` assembles them."""
