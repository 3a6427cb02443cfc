"""Retries honour Retry-After, within RETRY_AFTER_MAX."""

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from scrapy.http import Request, Response

from jobcrawler.db import make_engine
from jobcrawler.db.pace import take_slot
from jobcrawler.middlewares.hosts import SharedHostThrottle, pace_key
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


def make_middleware(**settings: object) -> RetryAfterMiddleware:
    spider = make_spider("lever", "acme", settings={"RETRY_AFTER_MAX": 5, **settings})
    return RetryAfterMiddleware.from_crawler(spider.crawler)


@pytest.fixture(autouse=True)
def fresh_process_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SharedHostThrottle, "_held", {})


@pytest.fixture
def middleware() -> RetryAfterMiddleware:
    return make_middleware()  # HOST_DELAY 0: holds stay in the process


def held(url: str = URL) -> float:
    """Seconds this process still holds `url`'s host."""
    return SharedHostThrottle._held.get(pace_key(url), 0.0) - time.monotonic()


def retried(middleware: RetryAfterMiddleware, response: Response, retries: int = 0) -> Request:
    request = Request(URL, meta={"retry_times": retries, "max_retry_times": 10})
    result = asyncio.run(middleware.process_response(request, response))
    assert isinstance(result, Request) and result.meta["retry_times"] == retries + 1
    return result


def test_retry_after_holds_the_host_then_retries(middleware):
    retried(middleware, answer(429, "3"))
    assert 2 < held() <= 3
    assert middleware.crawler.stats.get_value("jobcrawler/retry_after/waits") == 1


def test_too_long_retry_after_gives_up_at_once(middleware):
    response = answer(429, "3600")
    assert asyncio.run(middleware.process_response(Request(URL), response)) is response
    assert middleware.crawler.stats.get_value("jobcrawler/retry_after/too_long") == 1
    assert held() <= 0


@pytest.mark.parametrize(("status", "retries", "hold"), [(429, 0, 1), (503, 2, 4), (429, 9, 5)])
def test_slow_down_without_retry_after_backs_off(middleware, status, retries, hold):
    retried(middleware, answer(status), retries)  # 2**retries seconds, up to RETRY_AFTER_MAX
    assert hold - 1 < held() <= hold
    assert middleware.crawler.stats.get_value("jobcrawler/retry_after/backoffs") == 1


def test_other_statuses_pass_through(middleware):
    ok = answer(200)
    assert asyncio.run(middleware.process_response(Request(URL), ok)) is ok
    retried(middleware, answer(500))  # a server error is retried at once
    assert held() <= 0


def test_backoff_holds_the_host_for_other_processes(db_url):
    spider = make_spider(
        "lever",
        "acme",
        settings={"HOST_DELAY": 0.1, "RETRY_AFTER_MAX": 60},
        crawler_settings={"DATABASE_URL": db_url, "JOBCRAWLER_RECORD": True},
    )
    middleware = RetryAfterMiddleware.from_crawler(spider.crawler)
    retried(middleware, answer(503), retries=5)  # 32 s
    middleware.throttle.close()
    engine = make_engine(db_url)  # another crawl, which never saw the 503
    slot = take_slot(engine, pace_key(URL), 0.1)
    engine.dispose()
    assert 20 < slot.wait <= 32
