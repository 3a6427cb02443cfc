"""Stage 4: write postings in batches and keep their lifecycle, off the reactor thread.

The crawl session row is written when the spider opens and completed when it closes.
Removals are decided only after the spider closed, from its finish reason, whether
its listing was complete and which missing postings the platform said are gone
(`listing.gone`): a failed or partial crawl never marks postings as removed.

The session's outcome goes into the crawl stats (`jobcrawler/session/status`, `/id`,
`/error` and the counts), so scrapyd's log and the exit code can tell it. Statuses beyond
the session's own: `refused` (another crawl of the company holds its lease; no session is
recorded, nothing is written) and `db_unreachable` (the session could not be opened, or
not closed after retries; such a session is closed as dead later, see db/sessions.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from functools import partial
from typing import Any, NoReturn

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider

from jobcrawler.db import CrawlStore, shared_engine
from jobcrawler.db.lease import HEARTBEAT_SECONDS, CrawlRefused, LeaseLost
from jobcrawler.db.retry import CLOSE_DELAYS, WRITE_DELAYS, first_line, is_transient, retrying
from jobcrawler.db.store import CompanyRecord, SessionResult
from jobcrawler.items import POSTING_FIELDS

logger = logging.getLogger(__name__)


class StorePipeline:
    """Buffers normalized postings and hands batches of `STORE_BATCH_SIZE` to the store.

    Database calls run in a worker thread (`asyncio.to_thread`), one at a time, so the
    reactor keeps downloading while a batch is written. Settings: `DATABASE_URL`,
    `STORE_BATCH_SIZE`, `MAX_REMOVAL_RATIO` (a company's `max_removal_ratio` wins), and
    for tests `STORE_WRITE_DELAYS` / `STORE_CLOSE_DELAYS` (waits between retries, seconds)
    and `STORE_HEARTBEAT` (seconds between lease renewals).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        #: Off for Scrapy's debugging commands (parse, fetch, shell...): items pass through.
        self.record = crawler.settings.getbool("JOBCRAWLER_RECORD")
        settings = crawler.settings
        self.batch_size = settings.getint("STORE_BATCH_SIZE", 500)
        self.write_delays = [float(d) for d in settings.getlist("STORE_WRITE_DELAYS", WRITE_DELAYS)]
        self.close_delays = [float(d) for d in settings.getlist("STORE_CLOSE_DELAYS", CLOSE_DELAYS)]
        self.heartbeat_every = settings.getfloat("STORE_HEARTBEAT", HEARTBEAT_SECONDS)
        self.buffer: list[dict[str, Any]] = []
        self.lock = asyncio.Lock()
        self.store: CrawlStore | None = None
        self.heartbeat: asyncio.Task[None] | None = None
        self.write_error: str | None = None
        #: Set when the crawl ends without closing a session of its own (refused, database
        #: unreachable, lease lost): (status, error).
        self.outcome: tuple[str, str] | None = None
        self._closing: asyncio.Task[None] | None = None
        #: Ids of postings the spider yielded that a stage dropped or failed on.
        self.not_stored: set[str] = set()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_not_stored, signal=signals.item_dropped)
        crawler.signals.connect(self.item_not_stored, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    async def open_spider(self) -> None:
        """Open the session; if that is refused or impossible, close the crawl at once."""
        if not self.record:
            return
        spider = self.crawler.spider
        company = spider.company
        record = CompanyRecord(
            slug=company.slug,
            name=company.name,
            ats=company.ats,
            board=company.board,
            active=company.active,
        )
        try:
            engine = await asyncio.to_thread(
                retrying,
                partial(
                    shared_engine,
                    self.crawler.settings.get("DATABASE_URL"),
                    self.crawler.settings.getint("DB_POOL_SIZE"),
                ),
                self.write_delays,
                "migrating the database",
            )
            store = CrawlStore(engine, retry_delays=self.write_delays)
            session_id = await asyncio.to_thread(
                store.open, record, spider=spider.name, job_id=spider.job_id, trigger=spider.trigger
            )
        except CrawlRefused as exc:
            self._stop_at_open("refused", str(exc))
        except Exception as exc:
            logger.exception("Could not open a crawl session of %s", company.slug)
            self._stop_at_open("db_unreachable", f"could not open the crawl session: {exc}")
        self.store = store
        self.crawler.stats.set_value("jobcrawler/session/id", session_id)
        spider.known_list_hashes = store.list_hashes()
        spider.known_postings = store.known_postings()
        self.heartbeat = asyncio.create_task(self._renew_lease())

    def _stop_at_open(self, status: str, error: str) -> NoReturn:
        self.outcome = (status, error)
        logger.error("Crawl of %s not started: %s", self.crawler.spider.company.slug, error)
        raise CloseSpider(status)

    async def _renew_lease(self) -> None:
        """Keeps the lease while the crawl writes nothing (slow detail pages, long waits)."""
        while True:
            await asyncio.sleep(self.heartbeat_every)
            async with self.lock:
                if self.store is None or self.outcome:
                    return
                try:
                    await asyncio.to_thread(self.store.heartbeat)
                except LeaseLost as exc:
                    self._lose_lease(exc)
                except Exception as exc:
                    logger.warning("Could not renew the crawl lease: %s", first_line(exc))

    async def process_item(self, item: Any) -> Any:
        if not self.record:
            return item
        adapter = ItemAdapter(item)
        posting = {key: adapter.get(key) for key in POSTING_FIELDS}
        posting["external_id"] = adapter["external_id"]
        posting["list_hash"] = adapter.get("list_hash")
        posting["locations"] = adapter.get("locations")
        posting["posted_at_relative"] = adapter.get("posted_at_relative", False)
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
        """Write the buffer. A refused posting costs only itself; a batch lost to a database
        that stays unreachable makes the crawl partial, and later batches are still tried."""
        async with self.lock:
            batch, self.buffer = self.buffer, []
            if not batch or self.store is None or self.outcome:
                return
            stats = self.crawler.stats
            try:
                refused = await asyncio.to_thread(self.store.write, batch)
            except LeaseLost as exc:
                self._lose_lease(exc)
                return
            except Exception as exc:
                self.write_error = self.write_error or f"database write failed: {first_line(exc)}"
                stats.inc_value("jobcrawler/store/lost", len(batch))
                logger.exception(
                    "Could not store %d postings of %s", len(batch), self.crawler.spider.name
                )
                return
            if refused:
                stats.inc_value("jobcrawler/store/rejected", refused)

    def _lose_lease(self, exc: LeaseLost) -> None:
        """Another crawl took over (this one looked dead): stop writing and stop crawling."""
        self.outcome = ("failed", str(exc))
        logger.error("%s; stopping this crawl", exc)
        engine = self.crawler.engine
        self._closing = asyncio.get_running_loop().create_task(
            engine.close_spider_async(reason="lease_lost")
        )

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        if not self.record:
            return
        if self.heartbeat is not None:
            self.heartbeat.cancel()
        if self.store is None or self.outcome:
            self._publish(*(self.outcome or ("failed", "the crawl session never opened")))
            return
        await self.flush()
        problem = self.write_error or spider.listing.problem
        if reason != "finished":
            problem = f"crawl stopped early (finish reason {reason!r})" + (
                f"; {problem}" if problem else ""
            )
        close = partial(self._close_session, spider, reason, problem)
        try:
            result = await asyncio.to_thread(
                retrying, close, self.close_delays, "closing the crawl session"
            )
        except Exception as exc:
            if is_transient(exc):
                error = (
                    f"the database stayed unreachable, session {self.store.session_id} is left "
                    f"running (closed as dead later): {first_line(exc)}"
                )
                logger.error("Could not close the crawl session: %s", error)
                self._publish("db_unreachable", error, self.store.counts)
                return
            logger.exception("Could not complete the crawl session")
            # best effort: a session left `running` would look like a crawl still going
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self.store.fail, f"closing the session failed: {exc}")
            self._publish("failed", f"closing the session failed: {exc}", self.store.counts)
            return
        self._publish(
            result.status,
            result.error,
            {
                "new": result.new_count,
                "updated": result.updated_count,
                "unchanged": result.unchanged_count,
                "removed": result.removed_count,
                "reopened": result.reopened_count,
                "withheld": result.withheld_count,
            },
        )
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

    def _publish(
        self, status: str, error: str | None, counts: dict[str, int] | None = None
    ) -> None:
        """The session's outcome in the crawl stats (read by scrapyd logs and exit codes)."""
        stats = self.crawler.stats
        stats.set_value("jobcrawler/session/status", status)
        stats.set_value("jobcrawler/session/error", error)
        counts = counts or {}
        for name in ("new", "updated", "unchanged", "removed", "reopened", "withheld"):
            stats.set_value(f"jobcrawler/session/{name}", counts.get(name, 0))

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
