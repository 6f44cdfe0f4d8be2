"""Command line: run one simulated switch until SIGTERM.

Example::

    python -m switchsim --platform cisco_ios --hostname sw1 --model C9200L-48P-4G \
        --listen 198.18.0.21 --port 22 --host-key /var/lib/lab/sw1/key \
        --state-dir /var/lib/lab/sw1 --username admin --password-file /var/lib/lab/secret
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path

from switchsim.device import SYNTAXES, Device, DeviceSpec
from switchsim.server import run_forever


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m switchsim", description=__doc__)
    parser.add_argument("--platform", required=True, choices=sorted(SYNTAXES))
    parser.add_argument("--hostname", required=True)
    parser.add_argument(
        "--model", required=True, help="e.g. C9200L-48P-4G, WS-C2960X-48FPD-L, JL675A"
    )
    parser.add_argument("--listen", required=True, help="address to listen on")
    parser.add_argument("--port", type=int, default=22)
    parser.add_argument("--host-key", type=Path, required=True, help="generated when missing")
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password-file", type=Path, required=True)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the device and serve SSH until SIGTERM or SIGINT."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    password = args.password_file.read_text(encoding="utf-8").rstrip("\r\n")
    spec = DeviceSpec(
        platform=args.platform,
        hostname=args.hostname,
        model=args.model,
        address=args.listen,
        state_dir=args.state_dir,
        username=args.username,
        password=password,
    )
    device = Device(spec)
    asyncio.run(_serve(device, args.listen, args.port, args.host_key))
    return 0


async def _serve(device: Device, host: str, port: int, host_key: Path) -> None:
    """Run the server task and cancel it on SIGTERM/SIGINT."""
    task = asyncio.ensure_future(run_forever(device, host, port, host_key))
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, task.cancel)
    with contextlib.suppress(asyncio.CancelledError):
        await task


if __name__ == "__main__":
    sys.exit(main())
