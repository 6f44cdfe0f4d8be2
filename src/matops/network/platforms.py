"""The network part of the platform registry (:mod:`matops.platforms`), under its old name.

Kept only while modules being changed elsewhere still import it from here; new code imports
:mod:`matops.platforms`.
"""

from matops.platforms import (
    NETWORK_PLATFORMS,
    TEMPLATES,
    ConfigPart,
    NetworkPlatform,
    UnknownPartError,
    UnknownPlatformError,
    network_platform,
)

__all__ = [
    "NETWORK_PLATFORMS",
    "TEMPLATES",
    "ConfigPart",
    "NetworkPlatform",
    "UnknownPartError",
    "UnknownPlatformError",
    "network_platform",
]
