"""Dashboard helpers: a known posting history spread over past days, and the chart's marks
read back from a page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, func, select, update

from jobcrawler.db.models import CrawlSession, JobEvent, JobPosting
from scheduler.reports import maintain
from tests.helpers.store import crawl, posting

events = JobEvent.__table__
sessions = CrawlSession.__table__
postings = JobPosting.__table__

#: What `known_history` leaves, by days before today: (active at the day's end, new,
#: reopened, removed). Days not listed change nothing.
KNOWN_DAYS = {10: (5, 5, 0, 0), 8: (5, 1, 0, 1), 5: (6, 0, 1, 0), 4: (5, 0, 0, 0),
              2: (5, 0, 0, 1), 0: (6, 1, 0, 0)}  # fmt: skip


def known_history(engine: Engine, today: date) -> None:
    """Real crawls and a real `maintain`, each moved to noon of its day: created, removed
    with evidence, reopened, staled, a stale posting removed (no change to the active
    count), and created again today."""
    steps = [
        (10, lambda: crawl(engine, [posting(i) for i in range(1, 6)])),
        (8, lambda: crawl(engine, [posting(i) for i in (1, 2, 3, 4, 6)], gone=["5"])),
        (5, lambda: crawl(engine, [posting(i) for i in range(1, 7)])),
        (4, lambda: _stale(engine, "2", today)),
        (2, lambda: crawl(engine, [posting(i) for i in (1, 3, 4, 5, 6)], gone=["2"])),
        (0, lambda: crawl(engine, [posting(i) for i in (1, 3, 4, 5, 6, 7)])),
    ]
    for days_ago, step in steps:
        last_event, last_session = _last_ids(engine)
        step()
        at = datetime.combine(today - timedelta(days=days_ago), time(12), UTC)
        with engine.begin() as conn:
            conn.execute(update(events).where(events.c.id > last_event).values(at=at))
            moved = sessions.c.id > last_session
            conn.execute(update(sessions).where(moved).values(started_at=at, finished_at=at))


def _stale(engine: Engine, external_id: str, today: date) -> None:
    long_ago = datetime.combine(today - timedelta(days=400), time(), UTC)
    with engine.begin() as conn:
        conn.execute(
            update(postings)
            .where(postings.c.external_id == external_id)
            .values(last_seen_at=long_ago)
        )
    maintain(engine, datetime.now(UTC), sessions_days=10_000)


def _last_ids(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        last_event = conn.execute(select(func.coalesce(func.max(events.c.id), 0))).scalar_one()
        last_session = conn.execute(select(func.coalesce(func.max(sessions.c.id), 0))).scalar_one()
    return last_event, last_session


def chart_marks(html: str, kind: str) -> dict[str, int]:
    """{day: count} of the chart's marks of one class (`active`, `new`, `removed`)."""
    found = re.findall(rf'class="{kind}"[^>]*data-day="([\d-]+)" data-count="(\d+)"', html)
    return {day: int(count) for day, count in found}
