"""Network facts: parsed running configs and ``show version`` of switches."""
