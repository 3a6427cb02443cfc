"""The dashboard's reads on SQLite and PostgreSQL: the daily series of a known history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from jobcrawler.dashboard.queries import Day, daily_series, recent_counts
from tests.helpers.dashboard import KNOWN_DAYS, known_history


def test_daily_series_of_a_known_history(engine: Engine) -> None:
    today = datetime.now(UTC).date()
    known_history(engine, today)
    with engine.connect() as conn:
        series = daily_series(conn, "acme", today, days=12)
    expected, active = [], 0
    for days_ago in range(11, -1, -1):
        active, new, reopened, removed = KNOWN_DAYS.get(days_ago, (active, 0, 0, 0))
        expected.append(Day(today - timedelta(days=days_ago), active, new, reopened, removed))
    assert series == expected


def test_daily_series_of_a_company_without_events(engine: Engine) -> None:
    today = datetime.now(UTC).date()
    with engine.connect() as conn:
        series = daily_series(conn, "nobody", today, days=90)
    assert len(series) == 90 and series[-1].day == today
    assert {(d.active, d.new, d.reopened, d.removed) for d in series} == {(0, 0, 0, 0)}


def test_recent_counts_sum_the_week_of_sessions(engine: Engine) -> None:
    now = datetime.now(UTC)
    known_history(engine, now.date())
    with engine.connect() as conn:
        week = recent_counts(conn, ["acme", "other"], now - timedelta(days=7))
        assert recent_counts(conn, [], now) == {}
    assert week == {"acme": (1, 1)}  # today's new one; the stale one removed 2 days ago
