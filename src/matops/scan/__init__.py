"""Posture scanning: the check catalogue, the runner, waivers, attestations and results."""
