"""`scrapy list`: the companies and `batch`, the spider name of a job of many companies.

scrapyd accepts a job only for a name its `listspiders.json` (this command) gives, and caches
that list per deployed version. `batch` is always there, so a batch job can name companies
added to `JOBCRAWLER_COMPANIES_DIR` since the deploy.
"""

from __future__ import annotations

import argparse

from scrapy.commands.list import Command as ScrapyListCommand
from scrapy.spiderloader import get_spider_loader

from jobcrawler.catalog import BATCH_SPIDER


class Command(ScrapyListCommand):
    def short_desc(self) -> str:
        return "List the companies (spiders), and batch"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        names = get_spider_loader(self.settings).list()
        print("\n".join(sorted([*names, BATCH_SPIDER])))
