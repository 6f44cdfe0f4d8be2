"""Facts from the inventory and asset register (pure: no I/O beyond the loaded trust)."""
