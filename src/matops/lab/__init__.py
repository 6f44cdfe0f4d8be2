"""The lab: a simulated school network on one machine (Linux hosts and switches)."""
