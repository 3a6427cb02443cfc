"""Run several company crawls in one process (one reactor), as `scrapy crawl` does for one."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from scrapy import signals
from scrapy.crawler import AsyncCrawlerProcess
from scrapy.utils.project import get_project_settings

logger = logging.getLogger(__name__)


def crawl(slugs: Iterable[str], *, every: bool = False, settings: Mapping[str, str] = {}) -> int:
    """Crawl the companies concurrently; exit status 1 if one did not finish normally."""
    project = get_project_settings()
    project.setdict(dict(settings), priority="cmdline")
    process = AsyncCrawlerProcess(project)
    names = list(slugs)
    if every:
        names = [
            n for n in process.spider_loader.list() if process.spider_loader.load(n).company.active
        ]
    unknown = sorted(set(names) - set(process.spider_loader.list()))
    if unknown:
        logger.error("Unknown companies: %s", ", ".join(unknown))
        return 2
    reasons: dict[str, str] = {}
    for name in names:
        crawler = process.create_crawler(name)
        crawler.signals.connect(
            lambda spider, reason: reasons.__setitem__(spider.name, reason),
            signal=signals.spider_closed,
            weak=False,  # a lambda has no other reference
        )
        process.crawl(crawler)
    process.start()
    return 0 if all(reasons.get(n) == "finished" for n in names) else 1
