"""Retries that honour `Retry-After`, and back off when a host says "slow down" without one."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.response import response_status_message

from jobcrawler.middlewares.hosts import SharedHostThrottle

#: Statuses that ask the client to slow down: without `Retry-After` they get a backoff.
BACKOFF_STATUSES = frozenset({429, 503})


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, but a retried response holds its host first.

    The hold lasts the response's `Retry-After`, or for a 429/503 without one 2**retries
    seconds, so a rate-limited host isn't asked again at once. It goes through the host's
    shared pace (`SharedHostThrottle`): every crawl on the database waits, the retry too.
    Both are capped by `RETRY_AFTER_MAX` seconds; a longer `Retry-After` gives up at once,
    so a crawl never sleeps for hours (the listing is then incomplete and removes nothing).
    """

    throttle: SharedHostThrottle

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.throttle = SharedHostThrottle.from_crawler(crawler)
        return middleware

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        delay = retry_after(response)
        if delay is not None:
            if delay > self.retry_after_max:
                self.crawler.stats.inc_value("jobcrawler/retry_after/too_long")
                return response
            self.crawler.stats.inc_value("jobcrawler/retry_after/waits")
        elif response.status in BACKOFF_STATUSES:
            delay = min(2.0 ** request.meta.get("retry_times", 0), self.retry_after_max)
            self.crawler.stats.inc_value("jobcrawler/retry_after/backoffs")
        if delay:
            await self.throttle.hold(request.url, delay)
        return self._retry(request, response_status_message(response.status)) or response


def retry_after(response: Response) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta seconds or an HTTP date)."""
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
