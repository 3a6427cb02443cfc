"""Deliveries: the back-off schedule, the 24-hour give-up, and claims that keep two
workers from sending one delivery."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from jobcrawler.alerts import deliveries
from jobcrawler.db.engine import write_transaction
from tests.helpers.alerts import queued, subscribe

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)


def test_back_off_doubles_from_30_seconds_up_to_an_hour() -> None:
    waits = [deliveries.retry_delay(n).total_seconds() for n in range(1, 10)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert deliveries.retry_delay(500) == timedelta(hours=1)


def queue(engine: Engine, n: int) -> int:
    subscription = 1
    subscribe(engine)
    with write_transaction(engine) as conn:
        deliveries.add(conn, subscription, [(f"event:{i}", {"i": i}) for i in range(n)], NOW)
        deliveries.add(conn, subscription, [("event:0", {"again": True})], NOW)  # no repeat
    return subscription


def test_retries_until_a_day_after_the_first_attempt(engine: Engine) -> None:
    queue(engine, 1)
    at = NOW
    for attempt in range(1, 100):
        [due] = deliveries.claim(engine, "w", at)
        assert due.payload == {"i": 0} and due.attempts == attempt - 1
        assert deliveries.claim(engine, "other", at) == []  # claimed
        deliveries.record(engine, [due.id], "w", at, "HTTP 503")
        assert deliveries.claim(engine, "w", at) == []  # not due yet
        if queued(engine)[0][1] == "failed":
            break
        at += deliveries.retry_delay(attempt)
    assert NOW + timedelta(hours=24) <= at < NOW + timedelta(hours=25)
    assert attempt == 31


def test_retry_now_makes_waiting_and_failed_deliveries_due_but_never_resends(
    engine: Engine,
) -> None:
    queue(engine, 3)
    later = NOW + timedelta(days=2)
    waiting, given_up, sent = deliveries.claim(engine, "w", NOW)
    deliveries.record(engine, [waiting.id, given_up.id], "w", NOW, "HTTP 503")
    deliveries.record(engine, [sent.id], "w", NOW, None)
    assert len(deliveries.claim(engine, "w", later)) == 2
    deliveries.record(engine, [given_up.id], "w", later, "HTTP 503")  # a day is over: failed
    deliveries.postpone(engine, [waiting.id], "w", later + timedelta(minutes=5))
    assert [state for _, state in queued(engine)] == ["pending", "failed", "sent"]
    assert deliveries.claim(engine, "w", later) == []
    assert deliveries.retry_now(engine, later) == 2
    assert [due.id for due in deliveries.claim(engine, "w", later)] == [waiting.id, given_up.id]
    assert deliveries.retry_now(engine, later) == 0  # claimed rows are left to their worker


def test_sent_is_final(engine: Engine) -> None:
    queue(engine, 1)
    [due] = deliveries.claim(engine, "w", NOW)
    deliveries.record(engine, [due.id], "w", NOW, None)
    assert queued(engine) == [("event:0", "sent")]
    assert deliveries.claim(engine, "w", NOW + timedelta(days=2)) == []


def test_two_workers_never_claim_the_same_delivery(engine: Engine) -> None:
    queue(engine, 300)
    claimed: dict[str, list[int]] = {"a": [], "b": []}

    def work(name: str) -> None:
        while batch := deliveries.claim(engine, name, NOW, limit=7):
            claimed[name] += [d.id for d in batch]
            deliveries.record(engine, [d.id for d in batch], name, NOW, None)

    threads = [threading.Thread(target=work, args=(name,)) for name in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = claimed["a"] + claimed["b"]
    assert len(every) == len(set(every)) == 300
    assert {state for _, state in queued(engine)} == {"sent"}
