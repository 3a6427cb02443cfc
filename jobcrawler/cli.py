"""`python -m jobcrawler`: the project's commands besides Scrapy's own.

companies validate   check the whole catalog; exit 1 on any error
db upgrade           apply database migrations (crawls also do it before they start)
crawl SLUG... | --all
                     crawl several companies in one process (scrapy crawl does one);
                     exit 0 only if every crawl succeeded (see `crawl --help`)
report [--format table|json|csv|jsonl]
                     per-company postings and the last crawl (read only; exit 5 if the
                     database cannot be reached, 1 if its schema is of another version)
export [--format csv|jsonl|parquet] [-o FILE] [filters]
                     postings (default: active ones) streamed to a file or stdout
demo                 offline demo against the fake ATS, into its own SQLite file
                     (.scrapy/jobcrawler-demo.sqlite3) unless DATABASE_URL is set
serve [--host HOST] [--port PORT] [--demo]
                     the API (OpenAPI at /openapi.json) and the dashboard (/dashboard/)
                     on 127.0.0.1:8000; --demo serves the demo's database
alerts [--loop [--interval SECONDS]]
                     deliver saved searches' alerts (webhooks, email, Slack) and
                     crawl-health alerts: one pass for cron, or a daemon with --loop
find URL | --from FILE [--check] [--write] [--dir DIR]
                     the ATS and board behind careers URLs, as catalog entries;
                     --check crawls each board once and reports its open postings
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from jobcrawler.clitools import add_format_option, run
from jobcrawler.export_command import add_options as add_export_options
from jobcrawler.outcome import EXIT_CODES_HELP


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "jobcrawler.settings")
    parser = argparse.ArgumentParser(
        prog="python -m jobcrawler", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    companies = commands.add_parser("companies", help="work with the company catalog")
    companies_sub = companies.add_subparsers(dest="action", required=True, metavar="ACTION")
    validate = companies_sub.add_parser("validate", help="validate every company; exit 1 on errors")
    validate.add_argument(
        "--dir", help="catalog directory (default: JOBCRAWLER_COMPANIES_DIR or packaged)"
    )
    validate.set_defaults(func=_validate)

    db = commands.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    upgrade = db_sub.add_parser("upgrade", help="apply migrations to DATABASE_URL")
    upgrade.set_defaults(func=_upgrade)

    crawl = commands.add_parser(
        "crawl",
        help="crawl companies in one process",
        description="Crawl companies in one process, record their sessions and print a table of"
        " their outcomes. Several companies log at WARNING unless -s LOG_LEVEL=... is given.",
        epilog=EXIT_CODES_HELP,
    )
    crawl.add_argument("slugs", nargs="*", help="company slugs (spider names)")
    crawl.add_argument("--all", action="store_true", help="every active company")
    crawl.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="Scrapy setting, as with scrapy crawl -s",
    )
    crawl.set_defaults(func=_crawl)

    report = commands.add_parser("report", help="per-company postings and last crawl")
    add_format_option(report)
    report.set_defaults(func=_report)

    export = commands.add_parser(
        "export",
        help="export postings as csv, jsonl or parquet",
        description="Export the postings the filters keep (default: every active one),"
        " streamed with flat memory. Filters combine with AND.",
    )
    add_export_options(export)
    export.set_defaults(func=_export)

    demo = commands.add_parser("demo", help="offline demo against the fake ATS")
    demo.set_defaults(func=_demo)

    serve = commands.add_parser(
        "serve",
        help="serve the read API over DATABASE_URL",
        description="Serve the read API (search, /changes feed, Atom, /healthz, /metrics);"
        " its OpenAPI description is at /openapi.json.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--demo", action="store_true", help="serve the database `make demo` wrote")
    serve.set_defaults(func=_serve)

    alerts = commands.add_parser(
        "alerts",
        help="deliver saved searches' alerts (one pass; --loop: keep going)",
        description="Sync the saved searches of JOBCRAWLER_SEARCHES_DIR, match the postings"
        " of closed crawl sessions and crawl health against them, send what is due (webhooks,"
        " email digests over SMTP_HOST, Slack). Exit 1 if a saved search file is invalid.",
    )
    alerts.add_argument("--loop", action="store_true", help="run a pass every --interval")
    alerts.add_argument(
        "--interval", type=float, default=30.0, help="seconds between passes (default 30)"
    )
    alerts.add_argument(
        "--retry-now",
        action="store_true",
        help="first make every undelivered alert due now, failed ones too (a receiver is back)",
    )
    alerts.set_defaults(func=_alerts)

    find = commands.add_parser(
        "find",
        help="find the ATS boards behind careers URLs",
        description="Find the ATS board behind each careers URL and print its catalog entry"
        " (several: a YAML list). Messages go to stderr. Exit 1 if any URL gave no entry.",
    )
    find.add_argument("url", nargs="?", help="careers page, job board or job posting URL")
    find.add_argument(
        "--from",
        dest="urls_file",
        metavar="FILE",
        help="read URLs from FILE (- for stdin), one per line as `URL [COMPANY NAME]`",
    )
    find.add_argument("--name", help="company name (default: from the board token)")
    find.add_argument(
        "--check",
        action="store_true",
        help="crawl each board once (recording nothing) and report its open postings;"
        " boards that cannot be read are left out",
    )
    find.add_argument("--write", action="store_true", help="write each entry to DIR/<slug>.yaml")
    find.add_argument(
        "--dir", help="catalog directory (default: JOBCRAWLER_COMPANIES_DIR or ./companies)"
    )
    find.set_defaults(func=_find)

    args = parser.parse_args(argv)
    if args.command == "crawl" and bool(args.slugs) == args.all:
        crawl.error("give either company slugs or --all")
    if args.command == "export" and args.format == "parquet" and not args.output:
        export.error("parquet needs a file: give -o FILE")
    if args.command == "find" and (args.url is None) == (args.urls_file is None):
        find.error("give either a URL or --from FILE")
    if args.command == "find" and args.urls_file is not None and args.name:
        find.error("--name names one URL's company; in FILE, put the name after the URL")
    return args.func(args)


def _validate(args: argparse.Namespace) -> int:
    from jobcrawler.catalog import load_catalog

    try:
        catalog = load_catalog(args.dir)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for error in catalog.errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"{len(catalog.companies)} valid companies, {len(catalog.errors)} errors")
    return 1 if catalog.errors else 0


def _upgrade(args: argparse.Namespace) -> int:
    from jobcrawler.db.access import DatabaseProblem, shown, write_engine

    try:
        engine = write_engine()
    except DatabaseProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status
    print(f"database at head: {shown(str(engine.url))}")
    return 0


def _crawl(args: argparse.Namespace) -> int:
    from jobcrawler.runner import crawl

    return crawl(args.slugs, every=args.all, settings=dict(s.split("=", 1) for s in args.set))


def _report(args: argparse.Namespace) -> int:
    from jobcrawler.db.access import DatabaseProblem
    from jobcrawler.report import print_report

    try:
        print_report(fmt=args.format)
    except DatabaseProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status
    return 0


def _export(args: argparse.Namespace) -> int:
    from jobcrawler.export_command import run

    return run(args)


def _demo(args: argparse.Namespace) -> int:
    from jobcrawler.demo import run_demo

    return run_demo()


def _serve(args: argparse.Namespace) -> int:
    from jobcrawler.api.serve import serve
    from jobcrawler.db.access import DatabaseProblem

    try:
        if args.demo:
            from jobcrawler.demo import demo_database_url

            return serve(args.host, args.port, demo_database_url())
        return serve(args.host, args.port)
    except DatabaseProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status


def _alerts(args: argparse.Namespace) -> int:
    from jobcrawler.alerts.run import main as run_alerts

    return run_alerts(loop=args.loop, interval=args.interval, retry_now=args.retry_now)


def _find(args: argparse.Namespace) -> int:
    from jobcrawler.finder_command import run

    return run(
        args.url,
        args.urls_file,
        name=args.name,
        do_check=args.check,
        do_write=args.write,
        directory=args.dir,
    )


if __name__ == "__main__":
    sys.exit(run(main))
