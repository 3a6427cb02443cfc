"""CLI: `python -m fakeats --port 8089 --board greenhouse:acme:500[:seed[:bytes]]`.

Serves until SIGINT/SIGTERM; prints one "listening" line once ready so scripts can wait
for it.
"""

from __future__ import annotations

import argparse
import signal
import threading
from collections.abc import Sequence

from .boards import DEFAULT_DESCRIPTION_BYTES
from .platforms import PLATFORMS
from .server import FakeATS


def parse_board(spec: str) -> tuple[str, str, int, int, int]:
    """'platform:token:size[:seed[:description_bytes]]' -> its parts."""
    parts = spec.split(":")
    if not 3 <= len(parts) <= 5:
        raise argparse.ArgumentTypeError(
            f"{spec!r}: expected platform:token:size[:seed[:description_bytes]]"
        )
    platform, token, *raw = parts
    if platform not in PLATFORMS:
        raise argparse.ArgumentTypeError(f"{spec!r}: unknown platform {platform!r}")
    try:
        numbers = [int(n) for n in raw]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{spec!r}: size, seed and bytes must be integers"
        ) from None
    seed = numbers[1] if len(numbers) > 1 else 0
    description_bytes = numbers[2] if len(numbers) > 2 else DEFAULT_DESCRIPTION_BYTES
    return platform, token, numbers[0], seed, description_bytes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fakeats", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089, help="0 picks a free port")
    parser.add_argument(
        "--board",
        action="append",
        default=[],
        type=parse_board,
        metavar="PLATFORM:TOKEN:SIZE[:SEED[:BYTES]]",
        help=f"board to serve (repeatable); platforms: {', '.join(PLATFORMS)}",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)

    server = FakeATS(args.host, args.port, verbose=args.verbose)
    for platform, token, size, seed, description_bytes in args.board:
        server.add_board(platform, token, size, seed, description_bytes=description_bytes)

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    server.start()
    print(f"fake ATS listening on {server.url}", flush=True)
    while not stop.wait(0.5):
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
