"""matops: infrastructure as code and compliance automation for multi-academy trusts."""

__version__ = "0.1.0"
