"""One pace per API host for every crawl in the process."""

from __future__ import annotations

import asyncio
from typing import ClassVar
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler


class SharedHostThrottle:
    """Spaces requests to one host by `HOST_DELAY` seconds across all crawls in a process.

    All companies of an ATS share its API host (`boards-api.greenhouse.io`, ...). Scrapy's
    download slots and AutoThrottle belong to one crawler, so crawling many companies in one
    process (`python -m jobcrawler crawl --all`) would hit that host once per company at
    full speed. This keeps one "next allowed time" per host for the whole process; a
    `Retry-After` seen by any crawl holds the host for all of them (`hold`). Across
    processes (scrapyd jobs) the scheduler's jitter spreads the load instead.
    """

    _next: ClassVar[dict[str, float]] = {}

    def __init__(self, delay: float) -> None:
        self.delay = delay

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedHostThrottle:
        return cls(crawler.settings.getfloat("HOST_DELAY", 0.0))

    @classmethod
    def hold(cls, url: str, seconds: float) -> None:
        """Nobody in this process requests `url`'s host for `seconds`."""
        host = urlsplit(url).netloc
        until = asyncio.get_running_loop().time() + seconds
        cls._next[host] = max(cls._next.get(host, 0.0), until)

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).netloc
        now = asyncio.get_running_loop().time()
        start = max(now, self._next.get(host, 0.0))
        self._next[host] = max(self._next.get(host, 0.0), start + self.delay)
        if start > now:
            await asyncio.sleep(start - now)
