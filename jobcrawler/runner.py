"""Run several company crawls in one process (one reactor), as `scrapy crawl` does for one.

`python -m jobcrawler crawl` and `scrapy crawl batch -a companies=...` (one scrapyd job for
many companies) both run here. Each company is its own crawler (own session, listing,
lifecycle and host pace), so one company's failure never touches another. At most
`CONCURRENT_COMPANIES` crawl at once and the next starts when one ends: a batch of a
thousand companies holds no more crawlers, and no more memory, than that.

The process ends with a table of every company's outcome and exits with the worst one
(see jobcrawler/outcome.py). Crawling several companies logs at WARNING unless
`LOG_LEVEL` is given: the table, not thousands of INFO lines, is what an operator reads.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.utils.project import get_project_settings

from jobcrawler.outcome import (
    USAGE_ERROR,
    Outcome,
    crawl_outcome,
    exit_code,
    summary_table,
)

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
    outcomes = crawl_companies(process, names)
    print(summary_table(outcomes), flush=True)
    return exit_code(outcomes)


def crawl_companies(
    process: AsyncCrawlerProcess, names: Iterable[str], spider_args: Mapping[str, Any] = {}
) -> list[Outcome]:
    """Run the process until every company's crawl ended; their outcomes.

    `spider_args` go to every company's spider (scrapyd's `_job`, `trigger`). A company
    that is not in the catalog, or whose crawler cannot be created, is failed and the
    others still run.
    """
    batch = _Batch(process, names, spider_args)
    batch.fill()
    process.start()
    return batch.finish()


class _Batch:
    """Starts the next company's crawl whenever one ends, `CONCURRENT_COMPANIES` at a time."""

    def __init__(
        self, process: AsyncCrawlerProcess, names: Iterable[str], spider_args: Mapping[str, Any]
    ) -> None:
        self.process = process
        self.waiting = deque(dict.fromkeys(names))  # a company listed twice is crawled once
        self.spider_args = dict(spider_args)
        self.limit = max(1, process.settings.getint("CONCURRENT_COMPANIES", 8))
        self.outcomes: list[Outcome] = []
        #: Set once a crawl ended because the process is shutting down (scrapyd cancel,
        #: Ctrl-C): the companies still waiting are then not started.
        self.stopping = False

    def fill(self) -> None:
        for _ in range(self.limit):
            self._start_next()

    def finish(self) -> list[Outcome]:
        """The outcomes, with the companies never started (the process was stopped) failed."""
        self.outcomes += [
            Outcome(name, "failed", error="not crawled: the process was stopped first")
            for name in self.waiting
        ]
        self.waiting.clear()
        return self.outcomes

    def _start_next(self) -> None:
        """Start the next company that can start; those that cannot are failed at once."""
        while self.waiting and not self.stopping:
            name = self.waiting.popleft()
            try:
                crawler = self.process.create_crawler(name)
                task = self.process.crawl(crawler, **self.spider_args)
            except KeyError:
                logger.error("Unknown company %s: not in the catalog", name)
                self.outcomes.append(Outcome(name, "failed", error="unknown company"))
                continue
            except Exception as exc:
                logger.error("Crawl of %s could not run", name, exc_info=exc)
                self.outcomes.append(Outcome(name, "failed", error=f"could not run: {exc!r}"))
                continue
            task.add_done_callback(partial(self._ended, name, crawler))
            return

    def _ended(self, name: str, crawler: Crawler, task: asyncio.Task[None]) -> None:
        try:
            outcome = crawl_outcome(crawler, name, _task_error(task, name))
            self.outcomes.append(outcome)
            stats = crawler._stats.get_stats() if crawler._stats is not None else {}
            if stats.get("finish_reason") == "shutdown":
                self.stopping = True
        finally:  # whatever this crawl came to, the batch goes on
            self._start_next()


def _task_error(task: asyncio.Task[None], name: str) -> str | None:
    """A crawl that raised (its spider could not be created, say) is failed, not ignored."""
    if task.cancelled():
        return "the crawl was cancelled"
    if (exc := task.exception()) is not None:
        logger.error("Crawl of %s could not run", name, exc_info=exc)
        return f"could not run: {exc!r}"
    return None
