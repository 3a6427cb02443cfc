"""`python -m scheduler`: schedule company crawls on scrapyd nodes and report on them.

Each command's --help page is its description below, then the environment and the exit
statuses that all commands share (ENVIRONMENT).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Engine

from jobcrawler.catalog import load_catalog
from jobcrawler.clitools import add_format_option, stamped_lines
from jobcrawler.db.access import DatabaseProblem, read_engine, write_engine
from jobcrawler.db.content import jsonable
from jobcrawler.output import render
from scheduler import planning, reports, tick, watch
from scheduler.cluster import Cluster
from scheduler.scrapyd import Config, Node

T = TypeVar("T")


def _arg(parse: Callable[[str], T]) -> Callable[[str], T]:
    """An argparse `type` that turns ValueError messages into usage errors."""

    def convert(text: str) -> T:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


ENVIRONMENT = """\
environment:
  SCRAPYD_URLS        comma-separated node URLs (default http://localhost:6800)
  SCRAPYD_CAPACITY    jobs per node counted as full: one number or one per node (default 4)
  SCRAPYD_USERNAME, SCRAPYD_PASSWORD   basic auth for the nodes
  SCRAPYD_PROJECT     scrapyd project (default jobcrawler)
  SCRAPYD_TIMEOUT     seconds per HTTP call (default 10)
  JOBCRAWLER_BATCH_SIZE   companies per scrapyd job, as --batch-size (default 25)
  DATABASE_URL        the crawls' database (default: SQLite in .scrapy/, as for crawls)
  JOBCRAWLER_COMPANIES_DIR   catalog directory, as for crawls

exit status:
  0  ok
  1  a run could not be placed (or its schedule.json got no answer), no node is reachable
     (tick, daily, crawl, status), (crawl --wait) a crawl did not succeed, or (status,
     stats, new) the database's schema is of another version
  2  bad usage, configuration or company
  5  the database cannot be reached (one line on stderr: its URL without password, why)
  141  stdout was closed early (`... | head`): the output was cut short

tick, daily and maintain start every line they print with the UTC time (cron logs).
status, stats and new only read, never creating or upgrading tables: on a database
without tables they say "no crawls yet" and exit 0.
--format table fits 100 columns (long names cut with "…"); json, csv, jsonl are whole.
"""

PLACEMENT = """\
Runs are claimed in the table schedule_runs before scrapyd is called, so concurrent or
repeated commands place each run once; a company with a job pending or running on any
node is skipped. Up to --batch-size companies go out as one scrapyd job (spider `batch`,
one process; each company keeps its own crawl session and schedule_runs row); a batch of
one is a plain job of that company. Each job goes to the reachable node with the lowest (pending + running) /
capacity; a node that is down or refuses is skipped with a message on stderr. A run whose
schedule.json got no answer is not sent elsewhere: the next tick looks it up on that node."""

#: name: (one line for the command list, the description of its --help page)
COMMAND_HELP = {
    "tick": (
        "schedule due and retried crawls (run from cron)",
        """\
Cron entry point (every 5 minutes). Schedules every active company whose cron schedule
(UTC) has a due time not scheduled yet, no older than --catch-up. First it fails sessions
whose crawl was killed or crashed (scrapyd reports the job finished or no longer knows it,
but the session never closed); then it retries failed crawls after 5, 10 then 20 minutes
(trigger=retry, at most one retry per delay).

"""
        + PLACEMENT,
    ),
    "daily": (
        "schedule every active company now (due 00:00 UTC)",
        """\
Schedules every active company once for today: the run due today 00:00 UTC, with
trigger=schedule.

"""
        + PLACEMENT,
    ),
    "crawl": (
        "schedule companies now (trigger manual)",
        """\
Schedules the given companies now (trigger=manual). --wait prints each job's state changes
until all end, and exits 1 unless every session succeeded.

"""
        + PLACEMENT,
    ),
    "maintain": (
        "delete old sessions, mark unseen postings stale",
        """\
Deletes crawl sessions (and schedule_runs rows) older than --sessions-days; their events
stay, with session_id NULL. Marks active postings unseen for --stale-days as stale, with a
`stale` event. Run it daily.""",
    ),
    "status": (
        "nodes' health and queues, companies' last crawls",
        """\
Shows each node's health and queue (pending, running, finished: daemonstatus.json, all
projects), and per company the last crawl, its status and the next due time. A due time in
the past is waiting for a tick to place it.""",
    ),
    "stats": (
        "per-company crawl figures over the last days",
        """\
Per company over the last --days: crawls, succeeded, success rate (of the finished crawls;
running ones are left out), new, updated and removed postings, mean duration. The last
row, TOTAL, sums every company.""",
    ),
    "new": (
        "postings first seen in the last hours",
        """\
The postings first seen in the last --hours, newest first: the feed other systems consume
(--format jsonl: one JSON object per line). The table leaves out the URL (json, csv and
jsonl carry it, and every other field).""",
    ),
}


def _command(commands: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    summary, description = COMMAND_HELP[name]
    return commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=ENVIRONMENT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler",
        description=__doc__.split("\n\n")[0],
        epilog="Run `python -m scheduler COMMAND --help` for a command's options.\n\n"
        + ENVIRONMENT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _command(commands, "tick")
    p.add_argument(
        "--catch-up",
        type=_arg(planning.parse_duration),
        default=planning.DEFAULT_CATCH_UP,
        help="skip due times older than this, e.g. 30m, 6h, 2d (default 6h)",
    )
    p.add_argument(
        "--retry-delays",
        type=_arg(planning.parse_retry_delays),
        default=planning.DEFAULT_RETRY_DELAYS,
        help="minutes to wait before each retry of a failed crawl; their number is the "
        "maximum of retries; '' disables retries (default 5,10,20)",
    )
    _jitter(p)
    _batch_size(p)

    p = _command(commands, "daily")
    _jitter(p)
    _batch_size(p)

    p = _command(commands, "crawl")
    p.add_argument("companies", nargs="+", metavar="COMPANY", help="company slugs")
    _batch_size(p)
    p.add_argument("--node", help="scrapyd URL to use (default: the least loaded node)")
    p.add_argument("--wait", action="store_true", help="follow the jobs until they end")
    p.add_argument("--poll", type=float, default=5.0, help="seconds between polls (default 5)")
    p.add_argument("--timeout", type=float, default=3600.0, help="give up waiting after (s)")

    p = _command(commands, "maintain")
    p.add_argument("--sessions-days", type=float, default=90, help="keep sessions (default 90)")
    p.add_argument("--stale-days", type=float, default=60, help="stale after (default 60)")

    p = _command(commands, "status")
    add_format_option(p)

    p = _command(commands, "stats")
    p.add_argument("--days", type=float, default=7, help="window in days (default 7)")
    add_format_option(p)

    p = _command(commands, "new")
    p.add_argument("--hours", type=float, default=24, help="window in hours (default 24)")
    add_format_option(p)
    return parser


def _jitter(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--jitter",
        type=float,
        default=30.0,
        help="spread the schedule calls over at most this many seconds: each waits a random "
        "0..JITTER/N s, N = runs to place (default 30; 0: none)",
    )


def _batch_size(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--batch-size",
        type=_arg(planning.parse_batch_size),
        default=os.environ.get("JOBCRAWLER_BATCH_SIZE") or planning.DEFAULT_BATCH_SIZE,
        help="companies crawled by one scrapyd job, in one process; 1: a job per company "
        f"(default $JOBCRAWLER_BATCH_SIZE or {planning.DEFAULT_BATCH_SIZE})",
    )


#: Run from cron: their lines carry the time. Reports only read the database.
CRON_COMMANDS = {"tick", "daily", "maintain"}
REPORTS = {"status", "stats", "new"}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with stamped_lines() if args.command in CRON_COMMANDS else nullcontext():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        config = Config.from_env()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    now = datetime.now(UTC)
    try:
        engine = read_engine() if args.command in REPORTS else write_engine()
    except DatabaseProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status
    try:
        return COMMANDS[args.command](args, engine, config, now)
    finally:
        if engine is not None:
            engine.dispose()


def _tick(args: argparse.Namespace, engine: Engine, config: Config, now: datetime) -> int:
    return tick.tick(
        engine,
        Cluster(config.nodes()),
        now=now,
        catch_up=args.catch_up,
        retry_delays=args.retry_delays,
        jitter=args.jitter,
        batch_size=args.batch_size,
    )


def _daily(args: argparse.Namespace, engine: Engine, config: Config, now: datetime) -> int:
    return tick.daily(
        engine, Cluster(config.nodes()), now=now, jitter=args.jitter, batch_size=args.batch_size
    )


def _crawl(args: argparse.Namespace, engine: Engine, config: Config, now: datetime) -> int:
    nodes = config.nodes()
    if args.node:
        url = args.node.rstrip("/")
        nodes = [n for n in nodes if n.url == url] or [
            Node(url, project=config.project, auth=config.auth(), timeout=config.timeout)
        ]
    status, placed = tick.crawl(engine, nodes, args.companies, now=now, batch_size=args.batch_size)
    if not args.wait or not placed:
        return status
    by_url = {n.url: n for n in nodes}
    waited = watch.wait(
        engine, [(run, by_url[url]) for run, url in placed], poll=args.poll, timeout=args.timeout
    )
    return max(status, waited)


def _maintain(args: argparse.Namespace, engine: Engine, config: Config, now: datetime) -> int:
    done = reports.maintain(
        engine, now, sessions_days=args.sessions_days, stale_days=args.stale_days
    )
    print(f"deleted {done.sessions_deleted} crawl sessions older than {args.sessions_days:g} days")
    print(f"deleted {done.runs_deleted} schedule runs older than {args.sessions_days:g} days")
    print(f"marked {done.postings_staled} postings stale (unseen for {args.stale_days:g} days)")
    return 0


def _status(args: argparse.Namespace, engine: Engine | None, config: Config, now: datetime) -> int:
    """Two tables; as csv or jsonl, one stream whose rows say their `kind` (node, company)."""
    nodes = reports.node_status(config.nodes())
    catalog = load_catalog().companies
    companies = reports.company_status(engine, catalog, now)
    if args.format == "json":
        print(json.dumps(jsonable({"nodes": nodes, "companies": companies}), indent=2))
    elif args.format == "table":
        render(nodes, "table", sys.stdout, reports.NODE_COLUMNS)
        print()
        render(companies, "table", sys.stdout, reports.COMPANY_COLUMNS, empty="no companies")
    else:
        rows = [{"kind": "node", **n} for n in nodes] + [
            {"kind": "company", **c} for c in companies
        ]
        render(rows, args.format, sys.stdout, ())
    return 0 if any(n["health"] == "ok" for n in nodes) else 1


def _stats(args: argparse.Namespace, engine: Engine | None, config: Config, now: datetime) -> int:
    rows = reports.stats(engine, now, args.days) if engine is not None else []
    render(rows, args.format, sys.stdout, reports.STATS_COLUMNS)
    return 0


def _new(args: argparse.Namespace, engine: Engine | None, config: Config, now: datetime) -> int:
    rows = reports.new_postings(engine, now, args.hours) if engine is not None else []
    empty = f"no postings first seen in the last {args.hours:g} hours" if engine else ""
    render(rows, args.format, sys.stdout, reports.NEW_COLUMNS, fields=reports.NEW_ROW, empty=empty)
    return 0


COMMANDS = {
    "tick": _tick,
    "daily": _daily,
    "crawl": _crawl,
    "maintain": _maintain,
    "status": _status,
    "stats": _stats,
    "new": _new,
}
