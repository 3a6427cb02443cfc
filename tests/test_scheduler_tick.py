"""Claims: concurrent ticks place each due run once; a refused schedule releases its claim.

These run `python -m scheduler tick` against real scrapyd nodes (tests/scrapyd_nodes.py)
with the project egg deployed; the crawls they start hit the fake ATS. `Farm` is shared with
test_scheduler_e2e.py.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from fakeats import FakeATS
from jobcrawler.catalog import Company as CatalogCompany
from jobcrawler.db.models import CrawlSession
from jobcrawler.db.schedule import ScheduleRun
from scheduler import runs
from scheduler.cluster import Cluster
from scheduler.reconcile import reconcile
from scheduler.runs import Run
from scheduler.tick import retry_runs
from tests.helpers.scheduler import (
    NODE,
    Farm,
    crawl_session,
    ledger_run,
    scheduled_lines,
    snapshot,
)
from tests.helpers.scrapyd_nodes import deploy


@pytest.fixture
def farm(fake_ats: FakeATS, db_url: str, tmp_path: Path) -> Iterator[Farm]:
    farm = Farm(fake_ats, db_url, tmp_path)
    try:
        yield farm
    finally:
        farm.close()


def test_concurrent_ticks_schedule_each_due_run_once(farm: Farm) -> None:
    slugs = [f"co{i}" for i in range(8)]
    for slug in slugs:
        farm.company(slug)
    farm.start(2)

    ticks = [farm.scheduler("tick", "--jitter", "0") for _ in range(4)]
    results = [(t.wait(timeout=120), *t.communicate()) for t in ticks]

    assert [status for status, _, _ in results] == [0, 0, 0, 0], results
    placed = [line.split()[1] for _, out, _ in results for line in scheduled_lines(out)]
    assert sorted(placed) == slugs
    ledger = farm.rows("SELECT job_id, status, node, trigger, attempt FROM schedule_runs")
    due = f"{farm.due:%Y%m%dT%H%M}"
    assert sorted(r.job_id for r in ledger) == [f"{s}-{due}" for s in slugs]
    assert {(r.status, r.trigger, r.attempt) for r in ledger} == {("scheduled", "schedule", 0)}
    assert {r.node for r in ledger} == {n.url for n in farm.nodes}
    jobs = [job for node_jobs in farm.jobs().values() for job in node_jobs]
    assert sorted(job["id"] for job in jobs) == sorted(r.job_id for r in ledger)

    again = farm.tick()
    assert again.returncode == 0 and scheduled_lines(again.stdout) == [], again.stdout


def test_refused_schedule_releases_the_claim(farm: Farm) -> None:
    farm.company("acme")
    [node] = farm.start(1, deployed=False)  # scrapyd: "project 'jobcrawler' not found"

    refused = farm.tick()
    assert refused.returncode == 1
    assert "could not schedule acme" in refused.stderr
    assert "not found" in refused.stderr  # scrapyd's own message, with the node's URL
    assert node.url in refused.stderr
    [claim] = farm.rows("SELECT job_id, status, node, error FROM schedule_runs")
    assert (claim.status, claim.node) == ("failed_to_schedule", None)
    assert "not found" in claim.error

    deploy([node])
    placed = farm.tick()
    assert placed.returncode == 0, placed.stderr
    assert [line.split()[1] for line in scheduled_lines(placed.stdout)] == ["acme"]
    [run] = farm.rows("SELECT job_id, status, node, error FROM schedule_runs")
    assert (run.job_id, run.status, run.node, run.error) == (
        claim.job_id,
        "scheduled",
        node.url,
        None,
    )
    assert [job["id"] for job in farm.jobs()[node.url]] == [claim.job_id]


def test_refusing_node_is_skipped_for_the_next(farm: Farm) -> None:
    farm.company("acme")
    bare, ready = farm.start(2, deployed=False)
    deploy([ready])

    result = farm.tick()

    assert result.returncode == 0, result.stderr
    assert f"scrapyd {bare.url}: schedule.json failed" in result.stderr
    assert "trying another node" in result.stderr
    assert farm.rows("SELECT node, status FROM schedule_runs") == [(ready.url, "scheduled")]


def test_racing_claims_have_one_winner(engine: Engine) -> None:
    """The claim itself, raced by threads: exactly one gets the run, also when retaken."""
    company = CatalogCompany(name="Acme", slug="acme", ats="greenhouse", board="acme")
    ids = runs.ensure_companies(engine, [company])
    due = datetime(2026, 11, 22, 7, tzinfo=UTC)

    def race(attempt: int) -> list[bool]:
        barrier = threading.Barrier(6)
        won: list[bool] = []

        def claim() -> None:
            run = Run(company, ids["acme"], due, attempt, "schedule", f"acme-{attempt}")
            barrier.wait()
            won.append(runs.claim(engine, run, datetime.now(UTC)))

        threads = [threading.Thread(target=claim) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return won

    assert sorted(race(0)) == [False] * 5 + [True]
    table = ScheduleRun.__table__
    with engine.begin() as conn:
        conn.execute(table.update().values(status="failed_to_schedule", error="refused"))
    assert sorted(race(0)) == [False] * 5 + [True]  # a released claim is retaken once
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.job_id, table.c.status, table.c.error)).all()
    assert rows == [("acme-0", "scheduled", None)]


def test_basic_auth(fake_ats: FakeATS, tmp_path: Path) -> None:
    """401 is reported as an auth problem; with SCRAPYD_USERNAME/PASSWORD the tick works."""
    farm = Farm(fake_ats, f"sqlite:///{tmp_path / 'jobs.sqlite3'}", tmp_path)
    try:
        farm.company("acme")
        [node] = farm.start(1, SCRAPYD_USERNAME="crawler", SCRAPYD_PASSWORD="s3cret")
        denied = farm.tick()
        assert denied.returncode == 1
        assert f"scrapyd {node.url}: HTTP 401: check SCRAPYD_USERNAME and SCRAPYD_PASSWORD" in (
            denied.stderr
        )
        farm.extra_env = {"SCRAPYD_USERNAME": "crawler", "SCRAPYD_PASSWORD": "s3cret"}
        allowed = farm.tick()
        assert allowed.returncode == 0, allowed.stderr
        assert [line.split()[1] for line in scheduled_lines(allowed.stdout)] == ["acme"]
    finally:
        farm.close()


# --- reconciliation and retries on a database filled by hand -------------------------------


def sessions_by_job(engine: Engine) -> dict[str, tuple[str, str | None]]:
    table = CrawlSession.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.job_id, table.c.status, table.c.error)).all()
    return {job: (status, error) for job, status, error in rows}


ACME = CatalogCompany(name="Acme", slug="acme", ats="greenhouse", board="acme")


def test_reconcile_fails_dead_crawls_and_frees_stale_claims(engine: Engine) -> None:
    [acme] = runs.ensure_companies(engine, [ACME]).values()
    now = datetime.now(UTC)
    jobs = ("killed", "forgotten", "alive", "done", "crashed", "queued", "fresh", "racing")
    for index, job in enumerate(jobs):
        due = datetime(2026, 11, 22, 7, tzinfo=UTC) + timedelta(minutes=index)
        after_snapshot = job in ("fresh", "racing")  # placed by a concurrent command
        placed = now - timedelta(seconds=10) if after_snapshot else now - timedelta(minutes=5)
        ledger_run(engine, acme, job, due_at=due, scheduled_at=placed)
    ledger_run(
        engine,
        acme,
        "abandoned",
        due_at=datetime(2026, 11, 21, tzinfo=UTC),
        node=None,
        scheduled_at=now - timedelta(minutes=11),
    )
    ledger_run(  # its tick died after scrapyd took it: the crawl's session proves it
        engine,
        acme,
        "taken",
        due_at=datetime(2026, 11, 20, tzinfo=UTC),
        node=None,
        scheduled_at=now - timedelta(minutes=11),
    )
    for job in ("killed", "forgotten", "alive", "taken", "racing"):
        crawl_session(engine, acme, job, "running")
    crawl_session(engine, acme, "done", "succeeded")
    jobs = {
        "pending": [{"id": "queued", "spider": "acme"}],
        "running": [{"id": "alive", "spider": "acme"}],
        "finished": [{"id": job, "spider": "acme"} for job in ("killed", "done", "crashed")],
    }

    fixes = reconcile(engine, snapshot(jobs, now), now)

    assert sorted(f.job_id for f in fixes) == ["crashed", "forgotten", "killed"]
    found = sessions_by_job(engine)
    assert found["killed"] == (
        "failed",
        "scrapyd reports job killed finished but the crawl never closed its session "
        "(killed or crashed)",
    )
    assert found["forgotten"][0] == "failed"
    assert found["forgotten"][1].startswith(f"scrapyd {NODE} no longer knows job forgotten")
    assert found["crashed"][0] == "failed" and "never opened one" in found["crashed"][1]
    assert found["alive"] == ("running", None) and found["done"] == ("succeeded", None)
    assert "queued" not in found and "fresh" not in found  # pending / placed after the snapshot
    assert found["racing"] == ("running", None)  # its crawl began after the snapshot too
    table = ScheduleRun.__table__
    with engine.connect() as conn:
        claims = dict(conn.execute(select(table.c.job_id, table.c.status)).all())
    assert claims["abandoned"] == "failed_to_schedule"
    assert claims["taken"] == "scheduled" and found["taken"] == ("running", None)
    assert reconcile(engine, snapshot(jobs, now), now) == []  # nothing left to fix

    down = Cluster([])  # the node did not answer: no evidence, nothing is touched
    crawl_session(engine, acme, "unseen", "running")
    ledger_run(engine, acme, "unseen", due_at=datetime(2026, 11, 23, tzinfo=UTC))
    assert reconcile(engine, down, now) == []


def test_reconcile_settles_claims_whose_schedule_answer_was_lost(engine: Engine) -> None:
    [acme] = runs.ensure_companies(engine, [ACME]).values()
    now = datetime.now(UTC)
    cases = {  # job: (node, marked uncertain this long before the snapshot)
        "queued": (NODE, timedelta(minutes=5)),  # the node has it pending
        "ran": (NODE, timedelta(minutes=5)),  # the node forgot it, but its session exists
        "lost": (NODE, timedelta(minutes=5)),  # the node answers without it
        "recent": (NODE, timedelta(seconds=10)),  # too recent for the snapshot to tell
        "elsewhere": ("http://node2:6800", timedelta(minutes=5)),  # that node is down
    }
    for index, (job, (node, age)) in enumerate(cases.items()):
        due = datetime(2026, 11, 22, 7, tzinfo=UTC) + timedelta(minutes=index)
        ledger_run(
            engine, acme, job, due_at=due, node=node, scheduled_at=now - age, status="uncertain"
        )
    crawl_session(engine, acme, "ran", "succeeded")
    jobs = {"pending": [{"id": "queued", "spider": "acme"}], "running": [], "finished": []}

    fixes = reconcile(engine, snapshot(jobs, now), now)

    assert sorted((f.outcome, f.job_id) for f in fixes) == [
        ("confirmed", "queued"),
        ("confirmed", "ran"),
        ("released", "lost"),
    ]
    table = ScheduleRun.__table__
    with engine.connect() as conn:
        claims = {row.job_id: row for row in conn.execute(select(table))}
    assert {job: claims[job].status for job in cases} == {
        "queued": "scheduled",
        "ran": "scheduled",
        "lost": "failed_to_schedule",
        "recent": "uncertain",
        "elsewhere": "uncertain",
    }
    assert claims["queued"].error is None
    assert (
        claims["lost"].error == f"scrapyd {NODE} never queued it (its schedule.json got no answer)"
    )
    assert "lost" not in sessions_by_job(engine)  # released for a retake, not failed
    # the uncertain claims still hold their due runs; the released one is free again
    assert runs.last_scheduled(engine) == {acme: claims["elsewhere"].due_at}
    retake = Run(ACME, acme, claims["lost"].due_at, 0, "schedule", "acme-lost")
    assert runs.claim(engine, retake, now) and retake.retaken and retake.job_id == "lost"


def test_retries_follow_the_backoff_and_stop_after_three(engine: Engine) -> None:
    [acme] = runs.ensure_companies(engine, [ACME]).values()
    now = datetime.now(UTC)
    delays = (timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20))
    base = "acme-20261122T0700"
    ledger_run(engine, acme, base)
    failed = now - timedelta(minutes=7)
    start = failed - timedelta(minutes=1)
    crawl_session(engine, acme, base, "failed", started_at=start, finished_at=failed)

    def retries(at: datetime) -> list[tuple[int, str]]:
        return [
            (r.attempt, r.job_id)
            for r in retry_runs(engine, [ACME], at, delays, timedelta(hours=6))
        ]

    assert retries(now) == [(1, f"{base}-r1")]  # 7 min after the failure, 5 required
    assert retries(failed + timedelta(minutes=4)) == []

    ledger_run(engine, acme, f"{base}-r1", attempt=1, trigger="retry")
    assert retries(now) == []  # retried already, and that retry has no session yet
    crawl_session(
        engine,
        acme,
        f"{base}-r1",
        "failed",
        started_at=start + timedelta(seconds=1),
        finished_at=failed,
    )
    assert retries(now) == []  # second retry waits 10 minutes
    assert retries(failed + timedelta(minutes=10)) == [(2, f"{base}-r2")]

    ledger_run(engine, acme, f"{base}-r2", attempt=2, trigger="retry")
    crawl_session(
        engine,
        acme,
        f"{base}-r2",
        "failed",
        started_at=start + timedelta(seconds=2),
        finished_at=failed,
    )
    assert retries(failed + timedelta(minutes=20)) == [(3, f"{base}-r3")]
    assert retry_runs(engine, [], now, delays, timedelta(hours=6)) == []  # left the catalog

    # a newer crawl of the company makes the pending retry pointless
    crawl_session(engine, acme, "acme-manual", "succeeded", started_at=now)
    assert retries(failed + timedelta(minutes=20)) == []
    with engine.begin() as conn:
        table = CrawlSession.__table__
        conn.execute(table.delete().where(table.c.job_id == "acme-manual"))

    ledger_run(engine, acme, f"{base}-r3", attempt=3, trigger="retry")
    crawl_session(
        engine,
        acme,
        f"{base}-r3",
        "failed",
        started_at=start + timedelta(seconds=3),
        finished_at=failed,
    )
    assert retries(failed + timedelta(hours=5)) == []  # three retries is the limit


def test_daily_places_every_company_once_and_skips_busy_ones(farm: Farm) -> None:
    farm.company("acme")
    farm.company("globex")
    farm.company("idle", active="false")
    farm.start(1)

    first = farm.run("daily", "--jitter", "0")
    assert first.returncode == 0, first.stderr
    today = datetime.now(UTC).strftime("%Y%m%dT0000")
    assert sorted(farm.rows("SELECT job_id FROM schedule_runs")) == [
        (f"acme-{today}",),
        (f"globex-{today}",),
    ]
    busy = farm.run("crawl", "acme")  # still pending or running from the daily run
    assert busy.returncode == 1
    assert "skip acme: already pending or running on" in busy.stdout
    again = farm.run("daily", "--jitter", "0")
    assert again.returncode == 0 and scheduled_lines(again.stdout) == []
    assert len(farm.rows("SELECT id FROM schedule_runs")) == 2
