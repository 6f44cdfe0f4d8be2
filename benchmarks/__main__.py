"""Run every benchmark: ``python -m benchmarks`` (or ``./run bench``)."""

from __future__ import annotations

import sys

from benchmarks import (
    deploy,
    devices,
    large_config,
    network_push,
    reports,
    scale,
    scan,
    shards,
    tenants,
)

BENCHMARKS = {
    "network_push": network_push.main,
    "scan": scan.main,
    "scale": scale.main,
    "shards": shards.main,
    "large_config": large_config.main,
    "reports": reports.main,
    "deploy": deploy.main,
    "tenants": tenants.main,
    "devices": devices.main,
}


def main(argv: list[str]) -> int:
    """Run the named benchmarks (all when none are named)."""
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmarks {unknown}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    for name in names:
        BENCHMARKS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
