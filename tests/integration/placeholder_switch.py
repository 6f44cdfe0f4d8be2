"""A stand-in switch for lab tests until ``switchsim`` can run.

Takes the switch backends' common arguments, serves SSH (asyncssh) with the lab-generated host
key and the lab password, and answers every command with ``<hostname>#``-style output.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import asyncssh


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    for flag in ("--listen", "--hostname", "--host-key", "--state-dir", "--username"):
        parser.add_argument(flag, required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--port", type=int, default=22)
    return parser.parse_args()


async def main(args: argparse.Namespace) -> None:
    password = Path(args.password_file).read_text().strip()

    class Server(asyncssh.SSHServer):
        def begin_auth(self, username: str) -> bool:
            return True

        def password_auth_supported(self) -> bool:
            return True

        def validate_password(self, username: str, given: str) -> bool:
            return username == args.username and given == password

    async def handle(process: asyncssh.SSHServerProcess) -> None:
        process.stdout.write(f"{args.hostname} placeholder: {process.command}\n")
        process.exit(0)

    await asyncssh.create_server(
        Server,
        args.listen,
        args.port,
        server_host_keys=[args.host_key],
        process_factory=handle,
    )
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(parse()))
