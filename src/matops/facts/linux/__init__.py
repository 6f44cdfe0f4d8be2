"""Linux host facts: pure parsers of command output and read-only testinfra collectors."""
