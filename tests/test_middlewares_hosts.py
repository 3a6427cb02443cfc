"""Requests to one API host are spaced across every crawl of the process."""

import asyncio

import pytest
from scrapy import Request

from jobcrawler.middlewares.hosts import SharedHostThrottle


@pytest.fixture(autouse=True)
def fresh_hosts(monkeypatch):
    monkeypatch.setattr(SharedHostThrottle, "_next", {})


async def starts(throttles, urls):
    loop = asyncio.get_running_loop()
    began = loop.time()

    async def one(throttle, url):
        await throttle.process_request(Request(url))
        return loop.time() - began

    return await asyncio.gather(*(one(t, u) for t, u in zip(throttles, urls, strict=True)))


def test_two_crawls_share_one_host_pace():
    # two crawlers (two middleware instances), same ATS host, different companies
    a, b = SharedHostThrottle(0.2), SharedHostThrottle(0.2)
    urls = ["https://api.lever.co/v0/postings/acme", "https://api.lever.co/v0/postings/globex"]
    first, second = sorted(asyncio.run(starts([a, b], urls)))
    assert first < 0.1 and second >= 0.2


def test_other_hosts_are_not_held():
    a = SharedHostThrottle(0.5)
    urls = ["https://api.lever.co/v0/postings/acme", "https://api.ashbyhq.com/posting-api/x"]
    assert max(asyncio.run(starts([a, a], urls))) < 0.25


def test_retry_after_holds_the_host_for_everyone():
    async def scenario():
        SharedHostThrottle.hold("https://api.lever.co/v0/postings/acme", 0.3)
        return await starts([SharedHostThrottle(0.0)], ["https://api.lever.co/v0/postings/b"])

    [waited] = asyncio.run(scenario())
    assert waited >= 0.3
