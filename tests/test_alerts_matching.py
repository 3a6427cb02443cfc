"""Matching posting events against saved searches, on SQLite and PostgreSQL: only closed
sessions' events, only what the filters keep, each once per subscriber."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from jobcrawler.alerts import matching
from jobcrawler.alerts.worker import match_all
from tests.helpers.alerts import match_until, queued, queued_postings, subscribe
from tests.helpers.store import OTHER, close, crawl, open_store, posting

NOW = datetime(2026, 12, 2, tzinfo=UTC)


def test_new_matching_postings_of_closed_sessions_once(engine: Engine) -> None:
    crawl(engine, [posting(1), posting(2, department="Sales")])
    subscribe(engine, filters={"department": "engineering", "company": "acme"})
    store = open_store(engine)  # a crawl still running
    store.write(
        [posting(1), posting(2, department="Sales"), posting(3), posting(4, department="Sales")]
    )
    match_all(engine, NOW)
    assert queued(engine) == []  # not while its session runs
    crawl(engine, [posting(5)], company=OTHER)  # another company's crawl closes meanwhile
    close(store)
    match_until(engine, 1)
    match_all(engine, NOW)
    assert queued_postings(engine) == [("created", "3")]  # history and non-matches left out
    assert [state for _, state in queued(engine)] == ["pending"]


def test_removals_only_when_asked(engine: Engine) -> None:
    crawl(engine, [posting(1), posting(2)])
    subscribe(engine, "all", notify=["created", "removed"])
    subscribe(engine, "new only")
    crawl(engine, [posting(2), posting(3)], gone=["1"])
    match_until(engine, 3)
    assert sorted(queued_postings(engine)) == [
        ("created", "3"),
        ("created", "3"),
        ("removed", "1"),
    ]


def test_text_and_place_filters(engine: Engine) -> None:
    subscribe(engine, filters={"q": "rust", "country": "fr"})
    crawl(
        engine,
        [
            posting(1, title="Rust Engineer", country="FR", city="Paris", location="Paris"),
            posting(2, title="Rust Engineer"),
            posting(3, title="Chef", country="FR", city="Paris", location="Paris"),
        ],
    )
    match_until(engine, 1)
    assert queued_postings(engine) == [("created", "1")]


def test_a_subscriber_far_behind_catches_up_in_one_pass(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "WINDOW", 3)
    subscribe(engine)
    crawl(engine, [posting(i) for i in range(10)], batch=10)  # one transaction
    match_until(engine, 1)  # the pass that first sees them takes all, 3 at a time
    assert sorted(int(ext) for _, ext in queued_postings(engine)) == list(range(10))
