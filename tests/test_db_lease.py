"""One crawl per company at a time: the crawl lease, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, text

from jobcrawler.db.lease import CrawlRefused, LeaseLost, leases, this_host
from jobcrawler.db.models import JobEvent
from tests.helpers.crawling import Crawl
from tests.helpers.store import (
    OTHER,
    close,
    dead_pid,
    open_store,
    posting,
    session_rows,
    set_holder,
)


def lease_rows(engine: Engine) -> list[tuple[int, str, int]]:
    with engine.connect() as conn:
        query = select(leases.c.session_id, leases.c.host, leases.c.pid)
        return [tuple(row) for row in conn.execute(query)]


def test_second_crawl_of_a_company_is_refused_and_records_nothing(engine: Engine) -> None:
    first = open_store(engine)
    first_id = first.session_id
    first.write([posting(1)])
    with pytest.raises(CrawlRefused) as refused:
        open_store(engine)
    message = str(refused.value)
    assert f"session {first_id}, pid {os.getpid()} on host {this_host()}" in message
    assert session_rows(engine) == [(first_id, "running", None)]
    other = open_store(engine, OTHER)  # another company is not held up
    close(first)
    assert lease_rows(engine) == [(other.session_id, this_host(), os.getpid())]
    second = open_store(engine)  # free again once the first closed
    assert [status for _, status, _ in session_rows(engine)] == ["succeeded", "running", "running"]
    assert second.session_id == session_rows(engine)[-1][0]


@pytest.mark.e2e
def test_lease_of_a_dead_process_is_taken_over(engine: Engine) -> None:
    first = open_store(engine)
    first.write([posting(1), posting(2)])
    pid = dead_pid()
    set_holder(engine, pid=pid)
    second = open_store(engine)
    [dead, alive] = session_rows(engine)
    assert dead == (
        first.session_id,
        "failed",
        f"crawl process died: pid {pid} on host {this_host()}",
    )
    assert alive == (second.session_id, "running", None)
    assert lease_rows(engine) == [(second.session_id, this_host(), os.getpid())]


def test_lease_on_another_host_holds_until_it_expires(engine: Engine) -> None:
    first = open_store(engine)
    set_holder(engine, host="node-b", pid=1)  # pid 1 lives here, but it is another host's
    with pytest.raises(CrawlRefused, match="pid 1 on host node-b"):
        open_store(engine)
    set_holder(engine, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    second = open_store(engine)
    [dead, _] = session_rows(engine)
    assert dead[:2] == (first.session_id, "failed")
    assert dead[2].startswith("crawl process stopped renewing its lease: pid 1 on host node-b")
    assert second.session_id is not None


def test_crawl_whose_lease_was_taken_writes_nothing(engine: Engine) -> None:
    first = open_store(engine)
    set_holder(engine, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    second = open_store(engine)
    second.write([posting(1)])
    with pytest.raises(LeaseLost):
        first.write([posting(1), posting(2)])
    with pytest.raises(LeaseLost):
        first.heartbeat()
    with engine.connect() as conn:
        created = conn.scalar(select(func.count()).select_from(JobEvent.__table__))
    assert created == 1


def test_heartbeat_moves_the_expiry(engine: Engine) -> None:
    store = open_store(engine)
    past = datetime.now(UTC) + timedelta(seconds=5)
    set_holder(engine, expires_at=past)
    store.heartbeat()
    with engine.connect() as conn:
        expires = conn.scalar(select(leases.c.expires_at))
    assert expires > past + timedelta(seconds=60)


def test_crawls_opening_together_get_one_lease(engine: Engine) -> None:
    outcomes: list[str] = []

    def start() -> None:
        try:
            open_store(engine)
            outcomes.append("opened")
        except CrawlRefused:
            outcomes.append("refused")

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["opened", "refused", "refused", "refused"]
    assert [status for _, status, _ in session_rows(engine)] == ["running"]


def test_two_real_crawls_of_one_company_at_once(fake_ats, db_url, engine, tmp_path) -> None:
    crawl = Crawl(fake_ats, db_url, tmp_path)
    board = crawl.board("lever", "acme", size=150)
    board.set_fault("slow", page=1, delay=4)  # the first crawl still runs when the second opens
    processes = [crawl.start("acme", "-s", "STORE_BATCH_SIZE=20") for _ in range(2)]
    outputs = [process.communicate(timeout=300)[1] for process in processes]

    refused = [out for out in outputs if "'jobcrawler/session/status': 'refused'" in out]
    succeeded = [out for out in outputs if "'jobcrawler/session/status': 'succeeded'" in out]
    assert (len(refused), len(succeeded)) == (1, 1), outputs
    assert "another crawl of acme is running (session " in refused[0]
    assert [status for _, status, _ in session_rows(engine)] == ["succeeded"]
    with engine.connect() as conn:
        kinds = conn.execute(
            text("SELECT kind, count(*), count(DISTINCT posting_id) FROM job_events GROUP BY kind")
        ).all()
    assert [tuple(k) for k in kinds] == [("created", 150, 150)]
    assert lease_rows(engine) == []
