"""One pace per ATS host for every crawl process that uses the same database."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from typing import ClassVar, TypeVar
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from scrapy import Request, signals
from scrapy.crawler import Crawler
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from jobcrawler.db import pace, shared_engine
from jobcrawler.db.engine import DEFAULT_POOL_SIZE
from jobcrawler.platforms import PLATFORMS

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: ATSs that give every tenant its own host (`acme.recruitee.com`, `acme.wd5.myworkdayjobs.com`)
#: but serve them all from one platform: the tenant label is dropped from the pace key.
#: Declared by each platform (`Platform.tenant_domains`).
TENANT_HOST_DOMAINS = tuple(d for p in PLATFORMS.values() for d in p.tenant_domains)


def pace_key(url: str) -> str:
    """The host whose pace `url` shares: tenants of one ATS share one key.

    `acme.recruitee.com` -> `recruitee.com`, `acme.wd5.myworkdayjobs.com` ->
    `wd5.myworkdayjobs.com` (one Workday data centre); other hosts keep their port.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host.endswith(TENANT_HOST_DOMAINS):
        host = host.split(".", 1)[1]
    return f"{host}:{parts.port}" if parts.port else host


class SharedHostThrottle:
    """Spaces requests to one pace key by `HOST_DELAY` seconds across all crawl processes.

    All companies of an ATS share its API host, and in production each company is its own
    scrapyd job, several per node on several nodes. Scrapy's download slots and AutoThrottle
    belong to one crawler, so the pace lives in the database (`host_pace`, see
    `jobcrawler.db.pace`): every request takes a slot there, off the reactor thread, and
    sleeps until it. A `Retry-After` or a backoff (`hold`) moves the slot for everyone.

    In process: requests of one crawl to one key take their slots one at a time, so a crawl
    has at most one reservation ahead and doesn't hammer the row; holds are also remembered
    in memory, so waiting them out costs no queries. If the database fails, requests go
    ahead (logged). `HOST_DELAY = 0` (tests) turns the database off entirely: holds then
    only apply within the process. A crawl that doesn't record (`JOBCRAWLER_RECORD` off:
    `scrapy parse`, `fetch`, `shell`...) never writes the database: it keeps its pace in memory.
    """

    _held: ClassVar[dict[str, float]] = {}  # pace key -> time.monotonic() the hold ends
    _instances: ClassVar[WeakKeyDictionary[Crawler, SharedHostThrottle]] = WeakKeyDictionary()

    def __init__(
        self,
        delay: float,
        database_url: str | None,
        *,
        shared: bool = True,
        pool_size: int = DEFAULT_POOL_SIZE,
    ) -> None:
        self.delay = delay
        self.database_url = database_url
        self.pool_size = pool_size
        self.shared = shared
        self._next_at: dict[str, float] = {}  # pace key -> monotonic time of the next slot
        self._engine: Engine | None = None
        self._engine_lock = asyncio.Lock()
        self._key_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedHostThrottle:
        """The crawler's one throttle: the retry middleware holds hosts through it too."""
        if crawler not in cls._instances:
            throttle = cls(
                crawler.settings.getfloat("HOST_DELAY", 0.0),
                crawler.settings.get("DATABASE_URL"),
                shared=crawler.settings.getbool("JOBCRAWLER_RECORD"),
                pool_size=crawler.settings.getint("DB_POOL_SIZE", DEFAULT_POOL_SIZE),
            )
            crawler.signals.connect(throttle.close, signal=signals.spider_closed)
            cls._instances[crawler] = throttle
        return cls._instances[crawler]

    async def process_request(self, request: Request) -> None:
        key = pace_key(request.url)
        await _sleep_until(self._held.get(key, 0.0))
        if self.delay <= 0:
            return
        async with self._key_locks[key]:
            if not self.shared:
                await self._local_slot(key)
                return
            slot = await self._query(pace.take_slot, key, self.delay)
            if slot is not None:
                await asyncio.sleep(slot.wait)

    async def _local_slot(self, key: str) -> None:
        """The pace within this process only, for crawls that must not write the database."""
        now = time.monotonic()
        at = max(now, self._next_at.get(key, now))
        self._next_at[key] = at + self.delay
        await asyncio.sleep(at - now)

    async def hold(self, url: str, seconds: float) -> None:
        """No crawl on this database requests `url`'s pace key for `seconds`."""
        key = pace_key(url)
        self._held[key] = max(self._held.get(key, 0.0), time.monotonic() + seconds)
        if self.delay > 0 and self.shared:
            await self._query(pace.hold, key, seconds)

    async def _query(
        self, call: Callable[[Engine, str, float], T], key: str, value: float
    ) -> T | None:
        """`call` off the reactor thread; a database failure costs politeness, not the request."""
        try:
            return await asyncio.to_thread(call, await self.engine(), key, value)
        except SQLAlchemyError as exc:
            logger.warning("Host pace for %s unavailable, going ahead without it: %s", key, exc)
            return None

    async def engine(self) -> Engine:
        """The process's shared engine, migrated on first use (before the store may)."""
        async with self._engine_lock:
            if self._engine is None:
                self._engine = await asyncio.to_thread(
                    shared_engine, self.database_url, self.pool_size
                )
            return self._engine

    def close(self) -> None:
        """Let go of the engine when the crawl ends; its pool serves the process's other crawls."""
        self._engine = None


async def _sleep_until(deadline: float) -> None:
    remaining = deadline - time.monotonic()
    if remaining > 0:
        await asyncio.sleep(remaining)
