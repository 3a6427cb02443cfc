"""What both command lines (`python -m jobcrawler`, `python -m scheduler`) do alike: end
quietly when their reader goes away, offer the same report formats, and stamp the lines of
cron-run commands. Light to import: no database code."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from datetime import UTC, datetime
from typing import Any, TextIO

#: Every report's `--format` (rendered by jobcrawler.output).
FORMATS = ("table", "json", "csv", "jsonl")
#: Exit status when stdout closed early (`... | head`): 128 + SIGPIPE, what the shell reports
#: for `yes | head`, so a pipeline under `set -o pipefail` sees the output was cut short.
EXIT_BROKEN_PIPE = 141


def add_format_option(parser: Any) -> None:
    """The same `--format` for every report (`parser`: an argparse parser)."""
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (for people, fits 100 columns), json, csv or jsonl (default table)",
    )


def run(main: Callable[[], int]) -> int:
    """`main()`'s exit status; EXIT_BROKEN_PIPE, without a traceback, if stdout was closed.

    As the Python docs advise (signal module, "Note on SIGPIPE"): stdout is pointed at
    devnull so the interpreter's final flush does not fail a second time.
    """
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return status


class Stamped(io.TextIOBase):
    """A text stream that starts every line written to `target` with the UTC time."""

    def __init__(self, target: TextIO, clock: Callable[[], datetime] | None = None) -> None:
        self._target = target
        self._clock = clock or (lambda: datetime.now(UTC))
        self._at_line_start = True

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        for part in text.splitlines(keepends=True):
            if self._at_line_start:
                self._target.write(f"{self._clock():%Y-%m-%dT%H:%M:%SZ} ")
            self._target.write(part)
            self._at_line_start = part.endswith("\n")
        return len(text)

    def flush(self) -> None:
        self._target.flush()


@contextmanager
def stamped_lines() -> Iterator[None]:
    """Every line printed to stdout and stderr meanwhile starts with the UTC time (cron logs)."""
    with redirect_stdout(Stamped(sys.stdout)), redirect_stderr(Stamped(sys.stderr)):
        yield
