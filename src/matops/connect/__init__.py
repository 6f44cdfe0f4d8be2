"""How a run reaches its targets: the connection profile, decided once by the command layer."""
