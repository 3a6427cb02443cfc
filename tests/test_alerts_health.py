"""Crawl-health alerts from closed sessions: N failures in a row (once per streak),
removals withheld, a board that suddenly answers 404 or lists nothing."""

from __future__ import annotations

from sqlalchemy import Engine

from tests.helpers.alerts import match_until, queued, subscribe
from tests.helpers.store import OTHER, crawl, open_store, posting


def keys(engine: Engine) -> list[str]:
    """The alert kinds queued, oldest first."""
    return [key.split(":")[1] for key, _ in queued(engine)]


def test_failing_in_a_row_once_per_streak(engine: Engine) -> None:
    crawl(engine, [posting(1)])
    subscribe(engine, kind="health", failures=2, notify=["failing"])
    for _ in range(3):
        open_store(engine).fail("HTTP 500 at https://boards.example.com/acme")
    open_store(engine, OTHER).fail("timeout")  # only one failure: no alert
    match_until(engine, 1)
    crawl(engine, [posting(1)])
    open_store(engine).fail("again")
    open_store(engine).fail("and again")
    match_until(engine, 2)
    assert keys(engine) == ["failing", "failing"]


def test_withheld_404_and_empty(engine: Engine) -> None:
    crawl(engine, [posting(i) for i in range(12)])
    subscribe(engine, kind="health", filters={"company": "acme"})
    crawl(engine, [posting(1)])  # 11 of 12 missing: the guard withholds
    store = open_store(engine)
    store.close(
        finish_reason="finished", complete=False, items_scraped=0, error_count=1, stats={},
        incomplete_reason="HTTP 404 at https://boards.example.com/acme/jobs",
    )  # fmt: skip
    crawl(engine, [posting(1)])
    crawl(engine, [])  # a complete crawl of an empty board
    crawl(engine, [], company=OTHER)  # not a company this search follows
    match_until(engine, 3)
    assert keys(engine) == ["withheld", "board_404", "empty"]
