"""Sessions of crawls that died are closed `failed`, keeping the counts they wrote."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, text

from jobcrawler.db.lease import leases, this_host
from jobcrawler.db.sessions import close_dead_sessions
from jobcrawler.db.store import CrawlStore
from jobcrawler.report import print_report
from scheduler.reconcile import reconcile
from tests.helpers.crawling import ROOT, Crawl
from tests.helpers.scheduler import ledger_run, snapshot
from tests.helpers.store import (
    ACME,
    OTHER,
    dead_pid,
    open_store,
    posting,
    session,
    session_rows,
    set_holder,
)


@pytest.mark.e2e
def test_dead_session_is_closed_failed_with_its_counts(engine: Engine) -> None:
    store = open_store(engine)
    store.write([posting(i) for i in range(5)])
    store.write([posting(i) for i in range(5, 8)])
    assert session(engine, store.session_id).new_count == 8  # written as batches land
    alive = open_store(engine, OTHER)
    pid = dead_pid()
    with engine.begin() as conn:
        conn.execute(leases.update().where(leases.c.session_id == store.session_id).values(pid=pid))

    assert close_dead_sessions(engine, company_id=alive._company_id) == 0  # only that company
    assert close_dead_sessions(engine) == 1
    assert close_dead_sessions(engine) == 0
    row = session(engine, store.session_id)
    reason = f"crawl process died: pid {pid} on host {this_host()}"
    assert (row.status, row.error, row.new_count) == ("failed", reason, 8)
    assert row.finished_at is not None
    assert session(engine, alive.session_id).status == "running"
    with engine.connect() as conn:
        assert conn.scalars(select(leases.c.session_id)).all() == [alive.session_id]


@pytest.mark.e2e
def test_report_closes_dead_sessions_first(engine: Engine, capsys) -> None:
    store = open_store(engine)
    store.write([posting(1)])
    set_holder(engine, pid=dead_pid())
    print_report(engine)
    assert [status for _, status, _ in session_rows(engine)] == ["failed"]
    assert "crawl process died" in capsys.readouterr().out


def wait_for(engine: Engine, sql: str, done, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            value = conn.execute(text(sql)).scalar()
        if done(value):
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting on {sql!r}")


def test_killed_crawl_is_closed_by_the_next_report(fake_ats, db_url, engine, tmp_path) -> None:
    crawl = Crawl(fake_ats, db_url, tmp_path)
    board = crawl.board("lever", "acme", size=250)
    board.set_fault("slow", page=1, delay=20)  # the crawl waits here after page 0
    process = crawl.start("acme", "-s", "STORE_BATCH_SIZE=20")
    try:
        wait_for(engine, "SELECT max(new_count) FROM crawl_sessions", lambda n: (n or 0) >= 100)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
    [(session_id, status, _)] = session_rows(engine)
    assert status == "running"

    report = subprocess.run(
        [sys.executable, "-m", "jobcrawler", "report"],
        cwd=ROOT,
        env=crawl.env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert report.returncode == 0, report.stderr
    row = session(engine, session_id)
    assert (row.status, row.new_count) == ("failed", 100)
    assert row.error == f"crawl process died: pid {process.pid} on host {this_host()}"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM job_postings")).scalar() == 100


def test_session_failed_by_the_scheduler_frees_its_lease(engine: Engine) -> None:
    store = CrawlStore(engine)
    store.open(ACME, spider="acme", job_id="killed", trigger="schedule")
    ledger_run(engine, store._company_id, "killed", due_at=datetime(2026, 11, 22, tzinfo=UTC))
    now = datetime.now(UTC)
    finished = {"finished": [{"id": "killed", "spider": "acme"}]}
    assert [fix.job_id for fix in reconcile(engine, snapshot(finished, now), now)] == ["killed"]
    with engine.connect() as conn:
        assert conn.scalars(select(leases.c.session_id)).all() == []
    open_store(engine)  # not refused: the failed crawl no longer holds the company
