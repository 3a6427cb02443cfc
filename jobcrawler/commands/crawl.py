"""`scrapy crawl SLUG`: the one Scrapy command that records a crawl, with a telling exit status.

`scrapy crawl batch -a companies=SLUG,SLUG,...` crawls many companies in one process, each
as if crawled alone (jobcrawler/runner.py), and prints their table; the catalog is read when
the job starts. Other `-a` arguments (scrapyd's `_job`, `trigger`) go to every company.

Scrapy's other commands (`parse`, `fetch`, `shell`, `view`, `check`, `runspider`, `bench`)
leave `JOBCRAWLER_RECORD` off, so they show items without touching the database. scrapyd
jobs run this command too (scrapyd.runner calls Scrapy's `execute` with the project settings).
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from jobcrawler.catalog import BATCH_SPIDER
from jobcrawler.outcome import EXIT_CODES_HELP, crawl_outcome, exit_code, summary_table
from jobcrawler.runner import crawl_companies

logger = logging.getLogger(__name__)


class Command(ScrapyCrawlCommand):
    def long_desc(self) -> str:
        return (
            "Crawl one company into the database and record its crawl session, or many: "
            f"{BATCH_SPIDER} -a companies=SLUG,SLUG,...; "
            "-s JOBCRAWLER_RECORD=False crawls without writing. " + EXIT_CODES_HELP + "."
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        # above the project's default, below an explicit -s JOBCRAWLER_RECORD=...
        if self.settings.getpriority("JOBCRAWLER_RECORD") < SETTINGS_PRIORITIES["cmdline"]:
            self.settings.set("JOBCRAWLER_RECORD", True, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one company (spider name)")
        assert self.crawler_process is not None
        if args[0] == BATCH_SPIDER:
            self.exitcode = self._run_batch(dict(opts.spargs))
            return
        try:
            crawler = self._create_crawler(args[0])
        except KeyError as exc:
            raise UsageError(f"unknown company {args[0]!r} (see scrapy list)") from exc
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        self.exitcode = exit_code([crawl_outcome(crawler, args[0])])

    def _run_batch(self, spargs: dict[str, Any]) -> int:
        names = [name.strip() for name in spargs.pop("companies", "").split(",") if name.strip()]
        if not names:
            raise UsageError(f"{BATCH_SPIDER} needs -a companies=SLUG,SLUG,...")
        assert self.crawler_process is not None
        outcomes = crawl_companies(self.crawler_process, names, spargs)
        table = summary_table(outcomes)
        logger.info("Batch of %d companies:\n%s", len(outcomes), table)  # scrapyd's job log
        print(table, flush=True)
        return exit_code(outcomes)
