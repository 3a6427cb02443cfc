"""Batched scrapyd jobs on the scheduler side: placement, busy batches, per-company reconcile.

Placement talks HTTP to the scrapyd-like socket servers of test_scheduler_scrapyd.py;
reconciliation and retries run on a ledger filled by hand, as in test_scheduler_tick.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from jobcrawler.catalog import Company as CatalogCompany
from jobcrawler.db.models import CrawlSession
from jobcrawler.db.schedule import ScheduleRun
from scheduler import runs
from scheduler.cluster import Cluster
from scheduler.reconcile import reconcile
from scheduler.runs import Run
from scheduler.tick import Placer, retry_runs
from tests.helpers.scheduler import (
    BROKEN,
    Reply,
    SocketNode,
    crawl_session,
    http_json,
    ledger_run,
    scrapyd_like,
    snapshot,
)

DUE = datetime(2026, 11, 22, 7, tzinfo=UTC)
SLUGS = ("aa", "bb", "cc", "dd", "ee")


def companies(*slugs: str, priority: int = 0) -> list[CatalogCompany]:
    return [
        CatalogCompany(name=s, slug=s, ats="greenhouse", board=s, priority=priority) for s in slugs
    ]


def due_runs(engine: Engine, catalog: list[CatalogCompany], trigger: str = "schedule") -> list[Run]:
    ids = runs.ensure_companies(engine, catalog)
    return [Run(c, ids[c.slug], DUE, 0, trigger, f"{c.slug}-20261122T0700") for c in catalog]


def ledger(engine: Engine) -> dict[str, tuple[str, str | None, str]]:
    """{slug: (job_id, node, status)}"""
    table = ScheduleRun.__table__
    query = select(runs.companies.c.slug, table.c.job_id, table.c.node, table.c.status).join(
        runs.companies, runs.companies.c.id == table.c.company_id
    )
    with engine.connect() as conn:
        return {slug: (job, node, status) for slug, job, node, status in conn.execute(query)}


def schedule_calls(*servers: SocketNode) -> list[dict[str, str]]:
    return [f for s in servers for _, e, f in s.requests if e == "schedule.json"]


def test_due_companies_go_out_in_batches_spread_over_the_nodes(
    engine: Engine, serve: Callable[[Reply], SocketNode]
) -> None:
    first, second = serve(scrapyd_like()), serve(scrapyd_like())
    placer = Placer(engine, Cluster([first.node(), second.node()]), batch_size=2)

    placer.place_all(due_runs(engine, companies(*SLUGS)))

    assert (len(placer.placed), placer.failures) == (5, 0)
    [one, three] = schedule_calls(first)
    [two] = schedule_calls(second)
    assert (one["spider"], one["companies"], one["trigger"]) == ("batch", "aa,bb", "schedule")
    assert (two["spider"], two["companies"]) == ("batch", "cc,dd")
    assert one["jobid"].startswith("batch-schedule-") and one["jobid"] != two["jobid"]
    assert (three["spider"], three["jobid"]) == ("ee", "ee-20261122T0700")  # a batch of one
    assert "companies" not in three
    found = ledger(engine)
    assert found == {
        "aa": (one["jobid"], first.url, "scheduled"),
        "bb": (one["jobid"], first.url, "scheduled"),
        "cc": (two["jobid"], second.url, "scheduled"),
        "dd": (two["jobid"], second.url, "scheduled"),
        "ee": ("ee-20261122T0700", first.url, "scheduled"),
    }


def test_batch_priority_and_triggers(engine: Engine, serve: Callable[[Reply], SocketNode]) -> None:
    """A job carries one trigger for all its companies, and its highest priority."""
    node = serve(scrapyd_like())
    todo = [
        *due_runs(engine, companies("aa", priority=5)),
        *due_runs(engine, companies("bb"), trigger="retry"),
        *due_runs(engine, companies("cc")),
    ]

    Placer(engine, Cluster([node.node()]), batch_size=25).place_all(todo)

    batch, retry = schedule_calls(node)
    assert (batch["companies"], batch["trigger"], batch["priority"]) == ("aa,cc", "schedule", "5")
    assert (retry["spider"], retry["trigger"]) == ("bb", "retry")


def test_companies_of_a_running_batch_job_are_busy(
    engine: Engine, serve: Callable[[Reply], SocketNode], capsys: pytest.CaptureFixture[str]
) -> None:
    ids = runs.ensure_companies(engine, companies("aa", "bb", "cc"))
    for slug in ("aa", "bb"):
        ledger_run(engine, ids[slug], "batch-schedule-x", due_at=DUE - timedelta(days=1))
    jobs = {"running": [{"id": "batch-schedule-x", "spider": "batch"}]}
    node = serve(scrapyd_like(jobs=jobs))
    placer = Placer(engine, Cluster([node.node()]))

    placer.place_all(due_runs(engine, companies("aa", "bb", "cc")))

    [call] = schedule_calls(node)
    assert (call["spider"], [run.slug for run, _ in placer.placed]) == ("cc", ["cc"])
    out = capsys.readouterr().out
    assert f"skip aa: already pending or running on {node.url}" in out
    assert "skip bb: already pending" in out


def test_a_lost_answer_leaves_the_whole_batch_uncertain(
    engine: Engine, serve: Callable[[Reply], SocketNode]
) -> None:
    lossy = serve(scrapyd_like(schedule=BROKEN["silence"]))
    placer = Placer(engine, Cluster([lossy.node()]), batch_size=3)

    placer.place_all(due_runs(engine, companies("aa", "bb", "cc")))

    [call] = schedule_calls(lossy)
    assert (placer.placed, placer.failures) == ([], 3)
    assert set(ledger(engine).values()) == {(call["jobid"], lossy.url, "uncertain")}


def test_a_refused_batch_releases_every_claim_and_is_retaken(
    engine: Engine, serve: Callable[[Reply], SocketNode]
) -> None:
    refusing = serve(scrapyd_like(schedule=http_json({"status": "error", "message": "no"})))
    Placer(engine, Cluster([refusing.node()]), batch_size=3).place_all(
        due_runs(engine, companies("aa", "bb", "cc"))
    )
    assert {status for _, _, status in ledger(engine).values()} == {"failed_to_schedule"}

    node = serve(scrapyd_like())
    placer = Placer(engine, Cluster([node.node()]), batch_size=3)
    placer.place_all(due_runs(engine, companies("aa", "bb", "cc")))

    [call] = schedule_calls(node)
    assert call["companies"] == "aa,bb,cc" and len(placer.placed) == 3
    assert set(ledger(engine).values()) == {(call["jobid"], node.url, "scheduled")}


def _batch_sessions(engine: Engine) -> dict[str, tuple[str, str | None]]:
    table = CrawlSession.__table__
    query = select(runs.companies.c.slug, table.c.status, table.c.error).join(
        runs.companies, runs.companies.c.id == table.c.company_id
    )
    with engine.connect() as conn:
        return {slug: (status, error) for slug, status, error in conn.execute(query)}


def test_a_finished_batch_fails_only_its_companies_without_a_closed_session(
    engine: Engine,
) -> None:
    catalog = companies("ok", "killed", "never", "bad")
    ids = runs.ensure_companies(engine, catalog)
    job = "batch-schedule-20261122T070000-abc"
    for slug in ids:
        ledger_run(engine, ids[slug], job)
    crawl_session(engine, ids["ok"], job, "succeeded")
    crawl_session(engine, ids["killed"], job, "running")
    now = datetime.now(UTC)
    failed_at = now - timedelta(minutes=6)
    crawl_session(engine, ids["bad"], job, "failed", finished_at=failed_at, error="HTTP 500")
    jobs = {"finished": [{"id": job, "spider": "batch"}]}

    fixes = reconcile(engine, snapshot(jobs, now), now)

    assert sorted(f.slug for f in fixes) == ["killed", "never"]
    found = _batch_sessions(engine)
    assert found["ok"] == ("succeeded", None) and found["bad"] == ("failed", "HTTP 500")
    assert found["killed"][0] == "failed" and "never closed its session" in found["killed"][1]
    assert found["never"][0] == "failed" and "never opened one" in found["never"][1]
    assert reconcile(engine, snapshot(jobs, now), now) == []

    retries = retry_runs(engine, catalog, now, (timedelta(0),), timedelta(hours=6))
    assert sorted(r.slug for r in retries) == ["bad", "killed", "never"]
    assert {(r.attempt, r.trigger, r.job_id) for r in retries} == {(1, "retry", f"{job}-r1")}
