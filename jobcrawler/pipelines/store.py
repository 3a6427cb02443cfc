"""Stage 4: write postings in batches and keep their lifecycle, off the reactor thread.

The crawl session row is written when the spider opens and completed when it closes.
Removals are decided only after the spider closed, from its finish reason, whether
its listing was complete and which missing postings the platform said are gone
(`listing.gone`): a failed or partial crawl never marks postings as removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler

from jobcrawler.db import CrawlStore, make_engine, migrate
from jobcrawler.db.store import CompanyRecord, SessionResult
from jobcrawler.items import POSTING_FIELDS

logger = logging.getLogger(__name__)


class StorePipeline:
    """Buffers normalized postings and hands batches of `STORE_BATCH_SIZE` to the store.

    Database calls run in a worker thread (`asyncio.to_thread`), one at a time, so the
    reactor keeps downloading while a batch is written. Settings: `DATABASE_URL`,
    `STORE_BATCH_SIZE`, `MAX_REMOVAL_RATIO` (a company's `max_removal_ratio` wins).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.batch_size = crawler.settings.getint("STORE_BATCH_SIZE", 500)
        self.buffer: list[dict[str, Any]] = []
        self.lock = asyncio.Lock()
        self.store: CrawlStore | None = None
        self.write_error: str | None = None
        #: Ids of postings the spider yielded that a stage dropped or failed on.
        self.not_stored: set[str] = set()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_not_stored, signal=signals.item_dropped)
        crawler.signals.connect(self.item_not_stored, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    async def open_spider(self) -> None:
        spider = self.crawler.spider
        engine = make_engine(self.crawler.settings.get("DATABASE_URL"))
        await asyncio.to_thread(migrate, engine)
        self.store = CrawlStore(engine)
        company = spider.company
        record = CompanyRecord(
            slug=company.slug,
            name=company.name,
            ats=company.ats,
            board=company.board,
            active=company.active,
        )
        session_id = await asyncio.to_thread(
            self.store.open,
            record,
            spider=spider.name,
            job_id=spider.job_id,
            trigger=spider.trigger,
        )
        self.crawler.stats.set_value("jobcrawler/session_id", session_id)
        spider.known_list_hashes = self.store.list_hashes()
        spider.known_postings = self.store.known_postings()

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        posting = {key: adapter.get(key) for key in POSTING_FIELDS}
        posting["external_id"] = adapter["external_id"]
        posting["list_hash"] = adapter.get("list_hash")
        self.buffer.append(posting)
        if len(self.buffer) >= self.batch_size:
            await self.flush()
        return item

    def item_not_stored(self, item: Any) -> None:
        """A posting that was on the board but failed validation or raised in a stage still
        exists: it must not be counted as missing from the crawl."""
        external_id = ItemAdapter(item).get("external_id")
        if external_id:
            self.not_stored.add(str(external_id))

    async def close_spider(self) -> None:
        await self.flush()

    async def flush(self) -> None:
        async with self.lock:
            batch, self.buffer = self.buffer, []
            if not batch or self.store is None or self.write_error:
                return
            try:
                await asyncio.to_thread(self.store.write, batch)
            except Exception as exc:
                self.write_error = f"database write failed: {exc}"
                logger.exception("Could not store %d postings", len(batch))

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.store is None:
            return
        await self.flush()
        problem = self.write_error or spider.listing.problem
        if reason != "finished":
            problem = f"crawl stopped early (finish reason {reason!r})" + (
                f"; {problem}" if problem else ""
            )
        try:
            result = await asyncio.to_thread(self._close_session, spider, reason, problem)
        except Exception as exc:
            logger.exception("Could not complete the crawl session")
            # best effort: a session left `running` would look like a crawl still going
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self.store.fail, f"closing the session failed: {exc}")
            return
        logger.info(
            "Crawl session %s: %s (new %d, updated %d, unchanged %d, removed %d, reopened %d)%s",
            result.session_id,
            result.status,
            result.new_count,
            result.updated_count,
            result.unchanged_count,
            result.removed_count,
            result.reopened_count,
            f": {result.error}" if result.error else "",
        )

    def _close_session(self, spider: Spider, reason: str, problem: str | None) -> SessionResult:
        """Runs in a worker thread: touch what was seen without an item, then close."""
        assert self.store is not None
        seen_only = spider.listing.seen_without_item | self.not_stored
        if seen_only and not self.write_error:
            self.store.touch(seen_only)
        stats = self.crawler.stats
        ratio = spider.company.max_removal_ratio
        return self.store.close(
            finish_reason=reason,
            complete=problem is None,
            incomplete_reason=problem,
            items_scraped=stats.get_value("item_scraped_count", 0),
            error_count=stats.get_value("log_count/ERROR", 0),
            stats=stats.get_stats(),
            max_removal_ratio=(
                ratio if ratio is not None else self.crawler.settings.getfloat("MAX_REMOVAL_RATIO")
            ),
            gone=spider.listing.gone,
        )
