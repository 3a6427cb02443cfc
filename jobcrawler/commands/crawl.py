"""`scrapy crawl SLUG`: the one Scrapy command that records a crawl, with a telling exit status.

Scrapy's other commands (`parse`, `fetch`, `shell`, `view`, `check`, `runspider`, `bench`)
leave `JOBCRAWLER_RECORD` off, so they show items without touching the database. scrapyd
jobs run this command too (scrapyd.runner calls Scrapy's `execute` with the project settings).
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from jobcrawler.outcome import EXIT_CODES_HELP, crawl_outcome, exit_code


class Command(ScrapyCrawlCommand):
    def long_desc(self) -> str:
        return (
            "Crawl one company into the database and record its crawl session; "
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
        try:
            crawler = self._create_crawler(args[0])
        except KeyError as exc:
            raise UsageError(f"unknown company {args[0]!r} (see scrapy list)") from exc
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        self.exitcode = exit_code([crawl_outcome(crawler, args[0])])
