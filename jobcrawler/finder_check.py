"""`find --check`: crawl each found board once, as a real crawl would, and count its postings.

The check runs the company's own spider in this process with recording off (no session, no
writes, the host pace kept in memory) and without detail pages: a posting the listing shows
is an open posting, so a 3,000-posting Workday tenant is vetted in its 150 listing pages,
not 3,150 requests. The `BoardCheck` extension turns what the spider saw into the session
stats the runner reads: `new` is the number of open postings, `succeeded` means the listing
was read to its proven end, `partial` that it was not (the error says why), `failed` that
nothing could be read.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.project import get_project_settings

from jobcrawler.catalog import COMPANIES_DIR_ENV
from jobcrawler.outcome import STATS_PREFIX, Outcome
from jobcrawler.runner import crawl_companies

CHECK_SETTING = "JOBCRAWLER_CHECK"


class BoardCheck:
    """Publishes a check crawl's outcome as session stats (enabled by `JOBCRAWLER_CHECK`)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.scraped: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoardCheck:
        if not crawler.settings.getbool(CHECK_SETTING):
            raise NotConfigured
        check = cls(crawler)
        crawler.signals.connect(check.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(check.spider_closed, signal=signals.spider_closed)
        return check

    def item_scraped(self, item: object) -> None:
        external_id = ItemAdapter(item).get("external_id")
        if external_id:
            self.scraped.add(str(external_id))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        listing = spider.listing
        postings = len(self.scraped | listing.seen_without_item)
        problem = listing.problem
        if reason != "finished":
            problem = f"crawl stopped early ({reason})" + (f"; {problem}" if problem else "")
        status = "succeeded" if not problem else "partial" if postings else "failed"
        stats = self.crawler.stats
        stats.set_value(f"{STATS_PREFIX}status", status)
        stats.set_value(f"{STATS_PREFIX}new", postings)
        if problem:
            stats.set_value(f"{STATS_PREFIX}error", problem)


def check_boards(entries: Sequence[tuple[str, str]]) -> list[Outcome]:
    """Crawl each `(slug, catalog YAML)` once, recording nothing; `Outcome.new` = postings."""
    previous = os.environ.get(COMPANIES_DIR_ENV)
    with tempfile.TemporaryDirectory(prefix="jobcrawler-check-") as catalog:
        for slug, text in entries:
            Path(catalog, f"{slug}.yaml").write_text(text, encoding="utf-8")
        os.environ[COMPANIES_DIR_ENV] = catalog  # the spider loader reads it
        try:
            settings = get_project_settings()
            settings.set(CHECK_SETTING, True, priority="cmdline")
            settings.set("JOBCRAWLER_RECORD", False, priority="cmdline")
            settings.set("LOG_LEVEL", "ERROR", priority="cmdline")
            extensions = {**settings.getdict("EXTENSIONS"), f"{__name__}.BoardCheck": 0}
            settings.set("EXTENSIONS", extensions, priority="cmdline")
            return crawl_companies(AsyncCrawlerProcess(settings), [slug for slug, _ in entries])
        finally:
            if previous is None:
                os.environ.pop(COMPANIES_DIR_ENV, None)
            else:
                os.environ[COMPANIES_DIR_ENV] = previous
