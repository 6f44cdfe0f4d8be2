"""Performance measurements, each against an alternative measured in the same run."""
