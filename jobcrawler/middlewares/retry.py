"""Retries that honour `Retry-After`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.response import response_status_message

from jobcrawler.middlewares.hosts import SharedHostThrottle


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, but a 429/503 waits for its `Retry-After` before retrying.

    The wait is capped by `RETRY_AFTER_MAX` seconds; a longer demand gives up at once, so a
    crawl never sleeps for hours (the listing is then incomplete and removes nothing).
    """

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        delay = retry_after(response)
        if delay is not None:
            if delay > self.retry_after_max:
                self.crawler.stats.inc_value("jobcrawler/retry_after/too_long")
                return response
            self.crawler.stats.inc_value("jobcrawler/retry_after/waits")
            SharedHostThrottle.hold(request.url, delay)
            await asyncio.sleep(delay)
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
