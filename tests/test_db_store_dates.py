"""A relative posting date is resolved once, by the first crawl that saw the posting."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine

from jobcrawler.items import JobPosting
from jobcrawler.normalize import dates
from jobcrawler.pipelines.normalize import normalize
from jobcrawler.pipelines.store import StorePipeline
from tests.helpers.store import captured_sql, crawl, events, posting, postings_by_id

DAY_1 = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)
DAY_2 = DAY_1 + timedelta(days=1, hours=3)


class Clock:
    """The time relative dates resolve against (jobcrawler.normalize.dates._now)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = DAY_1
        monkeypatch.setattr(dates, "_now", lambda: self.now)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def normalized(i: int, posted_on: Any, **changes: Any) -> dict[str, Any]:
    """posting(i) as it leaves the normalize stage and enters the store pipeline's batch."""
    item = JobPosting(**posting(i, posted_at=posted_on, **changes))
    normalize(ItemAdapter(item))
    pipeline = StorePipeline(get_crawler(settings_dict={"JOBCRAWLER_RECORD": True}))
    asyncio.run(pipeline.process_item(item))  # one item: buffered, below the batch size
    return pipeline.buffer[0]


def test_relative_date_never_causes_an_update(engine: Engine, clock: Clock) -> None:
    first = crawl(engine, [normalized(i, "Posted Yesterday") for i in range(5)])
    assert first.new_count == 5
    resolved = DAY_1 - timedelta(days=1)
    assert {row.posted_at for row in postings_by_id(engine).values()} == {resolved}

    clock.now = DAY_2
    batch = [normalized(i, "Posted 2 Days Ago") for i in range(5)]
    assert batch[0]["posted_at"] == DAY_2 - timedelta(days=2)  # resolved again, differently
    with captured_sql(engine) as statements:
        second = crawl(engine, batch)

    assert (second.updated_count, second.unchanged_count) == (0, 5)
    assert [e for e in events(engine) if e.kind != "created"] == []
    assert {row.posted_at for row in postings_by_id(engine).values()} == {resolved}
    assert not [s for s in statements if "INSERT INTO job_postings" in s or "COPY" in s]


def test_new_posting_keeps_its_resolved_date(engine: Engine, clock: Clock) -> None:
    crawl(engine, [normalized(1, "yesterday")])
    clock.now = DAY_2
    crawl(engine, [normalized(1, "today"), normalized(2, "3 days ago")])

    rows = postings_by_id(engine)
    assert rows["1"].posted_at == DAY_1 - timedelta(days=1)
    assert rows["2"].posted_at == DAY_2 - timedelta(days=3)


def test_other_changes_update_without_touching_the_date(engine: Engine, clock: Clock) -> None:
    crawl(engine, [normalized(1, "Posted Today")])
    clock.now = DAY_2
    result = crawl(engine, [normalized(1, "Posted Yesterday", title="Staff Engineer")])

    assert result.updated_count == 1
    (updated,) = events(engine, "updated")
    assert set(updated.changes) == {"title"}
    assert postings_by_id(engine)["1"].posted_at == DAY_1


def test_absolute_date_change_is_an_update(engine: Engine, clock: Clock) -> None:
    crawl(engine, [normalized(1, "Posted Today")])
    result = crawl(engine, [normalized(1, "2026-11-12")])

    assert result.updated_count == 1
    (updated,) = events(engine, "updated")
    assert set(updated.changes) == {"posted_at"}
    assert postings_by_id(engine)["1"].posted_at == datetime(2026, 11, 12, tzinfo=UTC)


def test_relative_date_fills_a_missing_date_once(engine: Engine, clock: Clock) -> None:
    crawl(engine, [normalized(1, None)])
    filled = crawl(engine, [normalized(1, "Posted 30+ Days Ago")])
    clock.now = DAY_2
    again = crawl(engine, [normalized(1, "Posted 30+ Days Ago")])

    assert (filled.updated_count, again.updated_count, again.unchanged_count) == (1, 0, 1)
    assert postings_by_id(engine)["1"].posted_at == DAY_1 - timedelta(days=30)


def test_only_relative_text_is_marked() -> None:
    assert normalized(1, "Posted Today")["posted_at_relative"] is True
    assert normalized(1, "2026-11-12")["posted_at_relative"] is False
    assert normalized(1, 1782214185805)["posted_at_relative"] is False
