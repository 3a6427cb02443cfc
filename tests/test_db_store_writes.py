"""CrawlStore.write under faults: refused rows cost only themselves, outages are retried."""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from jobcrawler.db import store as store_module
from jobcrawler.db.engine import write_transaction
from jobcrawler.db.store import CrawlStore, StoreWriteError
from tests.helpers.outage import Outage
from tests.helpers.store import ACME, close, crawl, events, posting, postings_by_id, session

RETRY_DELAYS = (0.2, 0.4, 0.8, 1.6, 3.2)

PG_REFUSE_BAD = """
CREATE FUNCTION refuse_bad() RETURNS trigger AS $$
BEGIN
    IF NEW.external_id LIKE 'bad%' THEN RAISE EXCEPTION 'refused %', NEW.external_id; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER refuse_bad BEFORE INSERT OR UPDATE ON job_postings
    FOR EACH ROW EXECUTE FUNCTION refuse_bad();
"""
SQLITE_REFUSE_BAD = [
    f"CREATE TRIGGER refuse_bad_{kind} BEFORE {kind} ON job_postings "
    "WHEN NEW.external_id LIKE 'bad%' BEGIN SELECT RAISE(ABORT, 'refused'); END"
    for kind in ("INSERT", "UPDATE")
]


@contextmanager
def refusing_bad_ids(engine: Engine) -> Iterator[None]:
    """The database refuses every posting whose id starts with "bad" (a stand-in for
    whatever a real database refuses: bad encoding, too long for the index...)."""
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        for statement in [PG_REFUSE_BAD] if postgres else SQLITE_REFUSE_BAD:
            conn.execute(text(statement))
    try:
        yield
    finally:
        if postgres:  # the PostgreSQL test database outlives the test
            with engine.begin() as conn:
                conn.execute(text("DROP FUNCTION refuse_bad() CASCADE"))


@pytest.fixture
def refuse_bad(engine: Engine) -> Iterator[None]:
    with refusing_bad_ids(engine):
        yield


def open_store(engine: Engine) -> CrawlStore:
    store = CrawlStore(engine, retry_delays=RETRY_DELAYS)
    store.open(ACME, spider="greenhouse", job_id=None, trigger="manual")
    return store


def test_nul_byte_and_huge_ids_do_not_cost_the_batch(engine: Engine) -> None:
    store = open_store(engine)
    batch = [posting(i) for i in range(5)]
    batch += [posting(0, external_id="nul\x00id"), posting(0, external_id=secrets.token_hex(5_000))]
    batch += [posting(i) for i in range(5, 10)]
    refused = store.write(batch)
    result = close(store)
    stored = postings_by_id(engine)
    assert {str(i) for i in range(10)} <= set(stored)
    if engine.dialect.name == "postgresql":  # SQLite takes both; PostgreSQL's index can't
        assert (refused, result.new_count, len(stored)) == (2, 10, 10)
    assert result.status == "succeeded"


@pytest.mark.usefixtures("refuse_bad")
def test_refused_posting_is_isolated_logged_and_not_removed(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    first = crawl(engine, [posting(i) for i in range(8)])
    assert first.new_count == 8
    store = open_store(engine)
    batch = [posting(i) for i in range(8)]
    batch[3] = posting(3, external_id="bad-new")
    batch.insert(5, posting(99, external_id="bad-other"))
    with caplog.at_level(logging.ERROR):
        assert store.write(batch) == 2
    assert session(engine, store.session_id).unchanged_count == 7  # counts land with the batch
    result = close(store, gone=frozenset({"3"}))  # the platform says 3 is gone
    assert (result.status, result.removed_count, result.unchanged_count) == ("succeeded", 1, 7)
    stored = postings_by_id(engine)
    assert "bad-new" not in stored and "bad-other" not in stored
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(logged) == 2
    assert all(m.startswith("acme: posting 'bad-") and "refused" in m for m in logged)


def test_refused_update_of_a_known_posting_keeps_it_active(engine: Engine) -> None:
    crawl(engine, [posting(1), posting(2, external_id="bad-known")])
    with refusing_bad_ids(engine):
        store = open_store(engine)
        assert store.write([posting(1), posting(2, external_id="bad-known", title="New")]) == 1
        result = close(store)
    assert (result.removed_count, result.updated_count) == (0, 0)
    known = postings_by_id(engine)["bad-known"]
    assert (known.status, known.title) == ("active", "Engineer 2")


@pytest.mark.usefixtures("refuse_bad")
def test_batch_refused_entirely_is_a_store_error(engine: Engine) -> None:
    store = open_store(engine)
    with pytest.raises(StoreWriteError, match="refused all 3 postings"):
        store.write([posting(i, external_id=f"bad{i}") for i in range(3)])
    store.write([posting(1)])  # the store still works
    assert close(store).new_count == 1


def test_outage_during_a_write_is_retried_and_loses_nothing(
    engine: Engine, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    server = request.getfixturevalue("pg_server_url") if engine.dialect.name != "sqlite" else None
    outage = Outage(engine, server)
    store = open_store(engine)
    store.write([posting(i) for i in range(5)])
    outage.start()
    timer = threading.Timer(1.0, outage.end)
    timer.start()
    try:
        with caplog.at_level(logging.WARNING):
            store.write([posting(i) for i in range(5, 10)])
    finally:
        timer.join()
    result = close(store)
    assert result.new_count == 10
    assert len(postings_by_id(engine)) == 10
    assert len(events(engine, "created")) == 10
    assert any("retrying in" in r.getMessage() for r in caplog.records)


def test_batch_lost_to_a_long_outage_is_seen_and_later_batches_land(
    engine: Engine, request: pytest.FixtureRequest
) -> None:
    server = request.getfixturevalue("pg_server_url") if engine.dialect.name != "sqlite" else None
    crawl(engine, [posting(i) for i in range(6)])
    outage = Outage(engine, server)
    store = CrawlStore(engine, retry_delays=(0.1,))
    store.open(ACME, spider="greenhouse", job_id=None, trigger="manual")
    outage.start()
    try:
        with pytest.raises(Exception):  # noqa: B017  (whatever the driver raises)
            store.write([posting(0), posting(1, title="changed")])
    finally:
        outage.end()
    store.write([posting(i) for i in range(2, 6)])
    result = close(store)
    assert (result.removed_count, result.unchanged_count, result.updated_count) == (0, 4, 0)
    assert {p.status for p in postings_by_id(engine).values()} == {"active"}


def lose_one_commit_answer(monkeypatch: pytest.MonkeyPatch) -> list[OperationalError]:
    """The store's next transaction commits but its answer is lost; the list empties then."""
    lost = [OperationalError("COMMIT", {}, Exception("server closed the connection"))]

    @contextmanager
    def answer_lost_once(engine: Engine) -> Iterator[Any]:
        with write_transaction(engine) as conn:
            yield conn
        if lost:  # committed, but the client never heard back
            raise lost.pop()

    monkeypatch.setattr(store_module, "write_transaction", answer_lost_once)
    return lost


def test_commit_whose_answer_was_lost_is_not_written_twice(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    crawl(engine, [posting(1)])
    store = open_store(engine)
    lost = lose_one_commit_answer(monkeypatch)
    store.write([posting(1, title="changed"), posting(2)])
    monkeypatch.undo()
    result = close(store)
    assert lost == []
    assert (result.new_count, result.updated_count) == (1, 1)
    assert [e[4] for e in events(engine)] == ["created", "created", "updated"]


def test_close_whose_answer_was_lost_removes_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    crawl(engine, [posting(1), posting(2)])
    store = open_store(engine)
    store.write([posting(1)])
    lost = lose_one_commit_answer(monkeypatch)
    with pytest.raises(OperationalError):
        close(store, gone=frozenset({"2"}))
    result = close(store, gone=frozenset({"2"}))  # the store pipeline retries the close
    assert (lost, result.removed_count) == ([], 1)
    assert [e[4] for e in events(engine)].count("removed") == 1
    assert session(engine, result.session_id).status == "succeeded"
