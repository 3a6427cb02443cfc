"""Run several company crawls in one process (one reactor), as `scrapy crawl` does for one.

The process ends with a table of every company's outcome and exits with the worst one
(see jobcrawler/outcome.py). Crawling several companies logs at WARNING unless
`LOG_LEVEL` is given: the table, not thousands of INFO lines, is what an operator reads.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping

from scrapy.crawler import AsyncCrawlerProcess
from scrapy.utils.project import get_project_settings

from jobcrawler.outcome import USAGE_ERROR, crawl_outcome, exit_code, summary_table

logger = logging.getLogger(__name__)


def crawl(slugs: Iterable[str], *, every: bool = False, settings: Mapping[str, str] = {}) -> int:
    """Crawl the companies concurrently, print their outcomes; the exit status of the worst."""
    project = get_project_settings()
    project.set("JOBCRAWLER_RECORD", True, priority="cmdline")
    names = list(slugs)
    if every or len(names) > 1:
        project.set("LOG_LEVEL", "WARNING", priority="cmdline")
    project.setdict(dict(settings), priority="cmdline")
    process = AsyncCrawlerProcess(project)
    if every:
        names = [
            n for n in process.spider_loader.list() if process.spider_loader.load(n).company.active
        ]
    unknown = sorted(set(names) - set(process.spider_loader.list()))
    if unknown:
        logger.error("Unknown companies: %s", ", ".join(unknown))
        return USAGE_ERROR
    crawlers = {name: process.create_crawler(name) for name in names}
    errors: dict[str, str] = {}
    for name, crawler in crawlers.items():
        task = process.crawl(crawler)
        task.add_done_callback(lambda task, name=name: _keep_error(task, name, errors))
    process.start()
    outcomes = [crawl_outcome(c, name, errors.get(name)) for name, c in crawlers.items()]
    print(summary_table(outcomes), flush=True)
    return exit_code(outcomes)


def _keep_error(task: asyncio.Task[None], name: str, errors: dict[str, str]) -> None:
    """A crawl that raised (its spider could not be created, say) is failed, not ignored."""
    if task.cancelled():
        errors[name] = "the crawl was cancelled"
    elif (exc := task.exception()) is not None:
        logger.error("Crawl of %s could not run", name, exc_info=exc)
        errors[name] = f"could not run: {exc!r}"
