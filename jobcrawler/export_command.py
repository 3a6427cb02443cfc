"""`python -m jobcrawler export`: its options (the filter's) and its run."""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

from jobcrawler.db.filters import STATUSES, PostingFilter
from jobcrawler.export_formats import FORMATS


def _since(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or time: {value!r}") from None


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="csv", help="(default csv)")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (default stdout; parquet needs it)"
    )
    parser.add_argument("--query", metavar="WORDS", help="words all found in title or description")
    parser.add_argument("--company", action="append", default=[], metavar="SLUG", help="repeatable")
    parser.add_argument("--country", help="ISO alpha-2; any of a posting's places")
    parser.add_argument("--city", help="any of a posting's places, case-insensitive")
    parser.add_argument("--remote-type", help="remote, hybrid or onsite")
    parser.add_argument("--employment-type", help="e.g. full_time")
    parser.add_argument("--department")
    parser.add_argument(
        "--status", choices=[*STATUSES, "any"], default="active", help="(default active)"
    )
    parser.add_argument("--posted-since", type=_since, metavar="DATE", help="UTC unless stated")
    parser.add_argument(
        "--first-seen-since",
        "--seen-since",
        type=_since,
        metavar="DATE",
        help="first seen on or after DATE",
    )
    parser.add_argument("--salary-min", type=float, help="range reaches at least this")
    parser.add_argument("--salary-max", type=float, help="range starts at most at this")
    parser.add_argument("--currency", help="ISO 4217 code of the salary")


def posting_filter(args: argparse.Namespace) -> PostingFilter:
    return PostingFilter(
        q=args.query,
        companies=tuple(args.company),
        country=args.country,
        city=args.city,
        remote_type=args.remote_type,
        employment_type=args.employment_type,
        department=args.department,
        status=None if args.status == "any" else args.status,
        posted_since=args.posted_since,
        first_seen_since=args.first_seen_since,
        salary_min=args.salary_min,
        salary_max=args.salary_max,
        currency=args.currency,
    )


def run(args: argparse.Namespace) -> int:
    """Export to -o FILE or stdout; the count goes to stderr. Exit 5 or 1 on database
    problems, as `report`."""
    from jobcrawler.db.access import DatabaseProblem, read_engine
    from jobcrawler.export import export_postings
    from jobcrawler.export_formats import open_writer

    try:
        engine = read_engine()
    except DatabaseProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status
    with ExitStack() as stack:
        out: Any = sys.stdout
        if args.output and args.format != "parquet":
            out = stack.enter_context(Path(args.output).open("w", encoding="utf-8", newline=""))
        writer = open_writer(args.format, out, args.output)
        count = export_postings(engine, posting_filter(args), writer.write)
        writer.close()
    print(f"{count} postings exported", file=sys.stderr)
    return 0
