"""Command line: serve the simulated tenants over HTTPS until SIGTERM.

Example::

    python -m tenantsim --listen 198.18.0.20:443 --cert server.pem --key server.key \
        --data /var/lib/matops/lab/tenantsim/data --control-token-file control-token
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import sys
from pathlib import Path

import uvicorn

from tenantsim.app import build_app
from tenantsim.faults import Faults
from tenantsim.state import SimState
from tenantsim.store import DataError, Store
from tenantsim.tokens import TokenRegistry


def listen_address(text: str) -> tuple[str, int]:
    """``ADDR:PORT`` (IPv4, or ``[IPv6]:PORT``) as host and port.

    >>> listen_address("127.0.0.1:8443"), listen_address("[::1]:443")
    (('127.0.0.1', 8443), ('::1', 443))
    """
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected ADDR:PORT, got {text!r}")
    host = host.removeprefix("[").removesuffix("]")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an IP address: {host!r}") from None
    return host, int(port)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m tenantsim", description=__doc__)
    parser.add_argument("--listen", required=True, type=listen_address, help="ADDR:PORT")
    parser.add_argument("--cert", required=True, type=Path, help="server certificate (PEM)")
    parser.add_argument("--key", required=True, type=Path, help="its private key (PEM)")
    parser.add_argument("--data", required=True, type=Path, help="folder of tenant folders")
    parser.add_argument("--control-token-file", type=Path, help="enables the /_sim/ API")
    parser.add_argument("--token-lifetime", type=int, default=3599, help="seconds")
    return parser.parse_args(argv)


async def _serve(server: uvicorn.Server, host: str, port: int) -> None:
    task = asyncio.ensure_future(server.serve())
    while not server.started and not task.done():
        await asyncio.sleep(0.02)
    if server.started:
        shown = f"[{host}]" if ":" in host else host
        print(f"tenantsim listening on https://{shown}:{port}", flush=True)
    await task


def main(argv: list[str] | None = None) -> int:
    """Load the data and serve it until SIGTERM or SIGINT."""
    args = parse_args(argv)
    try:
        store = Store(args.data)
    except DataError as exc:
        print(f"tenantsim: {exc}", file=sys.stderr)
        return 2
    control = None
    if args.control_token_file is not None:
        control = args.control_token_file.read_text(encoding="utf-8").strip() or None
    state = SimState(store, TokenRegistry(args.token_lifetime), Faults(), control)
    host, port = args.listen
    config = uvicorn.Config(
        build_app(state),
        host=host,
        port=port,
        ssl_certfile=str(args.cert),
        ssl_keyfile=str(args.key),
        log_level="warning",
        access_log=False,
        lifespan="off",
        server_header=False,
        timeout_graceful_shutdown=2,
    )
    asyncio.run(_serve(uvicorn.Server(config), host, port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
