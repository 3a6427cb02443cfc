"""Retries honour Retry-After, within RETRY_AFTER_MAX."""

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from scrapy.http import Request, Response

from jobcrawler.middlewares.retry import RetryAfterMiddleware, retry_after
from tests.helpers import make_spider

URL = "https://api.lever.co/v0/postings/acme"


def answer(status: int, retry: str | None = None) -> Response:
    headers = {"Retry-After": retry} if retry is not None else {}
    return Response(URL, status=status, headers=headers)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("7", 7.0), ("0", 0.0), (None, None), ("soon", None), ("", None)],
)
def test_retry_after_seconds(header, expected):
    assert retry_after(answer(429, header)) == expected


def test_retry_after_http_date():
    when = datetime.now(UTC) + timedelta(seconds=30)
    assert 25 <= retry_after(answer(503, format_datetime(when, usegmt=True))) <= 30


@pytest.fixture
def middleware():
    spider = make_spider("lever", "acme", settings={})
    spider.crawler.settings.frozen = False
    spider.crawler.settings.set("RETRY_AFTER_MAX", 5)
    return RetryAfterMiddleware.from_crawler(spider.crawler)


def test_short_retry_after_is_waited_then_retried(middleware):
    result = asyncio.run(middleware.process_response(Request(URL), answer(429, "0")))
    assert isinstance(result, Request) and result.meta["retry_times"] == 1
    assert middleware.crawler.stats.get_value("jobcrawler/retry_after/waits") == 1


def test_too_long_retry_after_gives_up_at_once(middleware):
    response = answer(429, "3600")
    assert asyncio.run(middleware.process_response(Request(URL), response)) is response
    assert middleware.crawler.stats.get_value("jobcrawler/retry_after/too_long") == 1


def test_other_statuses_pass_through(middleware):
    ok = answer(200)
    assert asyncio.run(middleware.process_response(Request(URL), ok)) is ok
    retried = asyncio.run(middleware.process_response(Request(URL), answer(500)))
    assert isinstance(retried, Request)
