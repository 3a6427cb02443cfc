"""StorePipeline in-process: how a crawl opens, writes and closes its session under faults."""

from __future__ import annotations

import asyncio
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.exceptions import CloseSpider
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine, select

from jobcrawler.catalog import Company
from jobcrawler.db import engine as db_engine
from jobcrawler.db.lease import leases
from jobcrawler.pipelines.store import StorePipeline
from jobcrawler.spiderloader import spider_class
from tests.helpers.outage import Outage
from tests.helpers.store import open_store, posting, postings_by_id, session_rows

SESSION_STATS = ("status", "error", "new", "updated", "unchanged", "removed", "reopened")


def pipeline_for(db_url: str, **settings: Any) -> StorePipeline:
    cls = spider_class(Company(name="Acme", slug="acme", ats="greenhouse", board="acme"))
    crawler = get_crawler(
        cls,
        {
            "DATABASE_URL": db_url,
            "JOBCRAWLER_RECORD": True,
            "STORE_BATCH_SIZE": 3,
            "STORE_WRITE_DELAYS": [],
            "STORE_CLOSE_DELAYS": [],
            **settings,
        },
    )
    crawler.spider = crawler._create_spider()
    return StorePipeline.from_crawler(crawler)


def outcome(pipeline: StorePipeline) -> dict[str, Any]:
    stats = pipeline.crawler.stats
    return {name: stats.get_value(f"jobcrawler/session/{name}") for name in SESSION_STATS}


async def crawl(pipeline: StorePipeline, items: list[dict[str, Any]]) -> None:
    for item in items:
        await pipeline.process_item(item)
    spider = pipeline.crawler.spider
    spider.listing.done()
    await pipeline.spider_closed(spider, "finished")


@pytest.fixture
def outage(
    engine: Engine, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Outage:
    """The test database going away: SQLite stops waiting for locks, PostgreSQL refuses."""
    server = None
    if engine.dialect.name == "sqlite":
        monkeypatch.setattr(db_engine, "SQLITE_BUSY_TIMEOUT_MS", 0)
    else:
        server = request.getfixturevalue("pg_server_url")
    return Outage(engine, server)


def test_open_without_database_closes_the_crawl_at_once() -> None:
    pipeline = pipeline_for("postgresql://postgres@127.0.0.1:1/nowhere")

    async def run() -> None:
        with pytest.raises(CloseSpider) as stop:
            await pipeline.open_spider()
        assert stop.value.reason == "db_unreachable"
        await pipeline.spider_closed(pipeline.crawler.spider, "db_unreachable")

    asyncio.run(run())
    stats = outcome(pipeline)
    assert stats["status"] == "db_unreachable"
    assert stats["error"].startswith("could not open the crawl session: ")
    assert stats["new"] == 0


def test_second_crawl_is_refused_without_a_session(db_url: str, engine: Engine) -> None:
    running = open_store(engine)
    pipeline = pipeline_for(db_url)

    async def run() -> None:
        with pytest.raises(CloseSpider) as stop:
            await pipeline.open_spider()
        assert stop.value.reason == "refused"
        await crawl(pipeline, [posting(1)])

    asyncio.run(run())
    stats = outcome(pipeline)
    assert stats["status"] == "refused"
    assert f"another crawl of acme is running (session {running.session_id}" in stats["error"]
    assert [status for _, status, _ in session_rows(engine)] == ["running"]
    assert postings_by_id(engine) == {}


def test_batch_lost_to_an_outage_does_not_drop_later_batches(
    db_url: str, engine: Engine, outage: Outage
) -> None:
    pipeline = pipeline_for(db_url)

    async def run() -> None:
        await pipeline.open_spider()
        outage.start()
        try:
            for i in range(3):  # one batch, written while the database is away
                await pipeline.process_item(posting(i))
        finally:
            outage.end()
        await crawl(pipeline, [posting(i) for i in range(3, 8)])

    asyncio.run(run())
    stats = outcome(pipeline)
    assert stats["status"] == "partial"
    assert stats["error"].startswith("database write failed: ")
    assert (stats["new"], stats["removed"]) == (5, 0)
    assert pipeline.crawler.stats.get_value("jobcrawler/store/lost") == 3
    assert sorted(postings_by_id(engine)) == [str(i) for i in range(3, 8)]


def test_refused_rows_are_counted_and_the_crawl_succeeds(db_url: str, engine: Engine) -> None:
    pipeline = pipeline_for(db_url)

    async def run() -> None:
        await pipeline.open_spider()
        await crawl(pipeline, [posting(1), posting(2, external_id="nul\x00"), posting(3)])

    asyncio.run(run())
    stats = outcome(pipeline)
    assert (stats["status"], stats["new"]) == ("succeeded", 3 if engine.name == "sqlite" else 2)
    refused = pipeline.crawler.stats.get_value("jobcrawler/store/rejected")
    assert refused == (None if engine.name == "sqlite" else 1)


def test_close_without_database_reports_db_unreachable(
    db_url: str, engine: Engine, outage: Outage
) -> None:
    pipeline = pipeline_for(db_url, STORE_CLOSE_DELAYS=[0.1, 0.1])

    async def run() -> None:
        await pipeline.open_spider()
        for i in range(3):
            await pipeline.process_item(posting(i))
        outage.start()
        try:
            await crawl(pipeline, [])
        finally:
            outage.end()

    asyncio.run(run())
    stats = outcome(pipeline)
    assert (stats["status"], stats["new"]) == ("db_unreachable", 3)
    assert "left running (closed as dead later)" in stats["error"]
    assert [status for _, status, _ in session_rows(engine)] == ["running"]


def test_heartbeat_renews_the_lease_and_a_lost_lease_stops_the_crawl(
    db_url: str, engine: Engine
) -> None:
    pipeline = pipeline_for(db_url, STORE_HEARTBEAT=0.05)
    closed: list[str] = []

    async def close_spider_async(*, reason: str) -> None:
        closed.append(reason)

    pipeline.crawler.engine = SimpleNamespace(close_spider_async=close_spider_async)

    def expiry() -> datetime:
        with engine.connect() as conn:
            return conn.scalar(select(leases.c.expires_at))

    async def run() -> None:
        await pipeline.open_spider()
        first = expiry()
        await asyncio.sleep(0.3)
        assert expiry() > first
        with engine.begin() as conn:  # taken over, as by a crawl that thought this one dead
            conn.execute(leases.delete())
        await asyncio.sleep(0.3)
        await crawl(pipeline, [posting(i) for i in range(4)])

    asyncio.run(run())
    assert closed == ["lease_lost"]
    stats = outcome(pipeline)
    assert stats["status"] == "failed"
    assert "lost its lease" in stats["error"]
    assert postings_by_id(engine) == {}
