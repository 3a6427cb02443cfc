"""The scheduler end to end: real scrapyd nodes, the deployed egg, the fake ATS, PostgreSQL.

Every wait is bounded; nodes and the crawls they started are killed at teardown.
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from fakeats import FakeATS
from jobcrawler.db import make_engine
from tests.helpers.scheduler import Farm, scheduled_lines, unstamped

pytestmark = pytest.mark.postgres

TABLES = "schedule_runs, job_events, job_postings, crawl_sessions, companies"


@pytest.fixture
def farm(fake_ats: FakeATS, pg_url: str, tmp_path: Path) -> Iterator[Farm]:
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    engine.dispose()
    farm = Farm(fake_ats, pg_url, tmp_path)
    try:
        yield farm
    finally:
        farm.close()


def session_states(farm: Farm) -> dict[str, str]:
    return dict(farm.rows("SELECT job_id, status FROM crawl_sessions WHERE job_id IS NOT NULL"))


def test_one_tick_places_twenty_companies_once_over_both_nodes(farm: Farm) -> None:
    slugs = [f"co{i:02d}" for i in range(20)]
    boards = {slug: farm.company(slug) for slug in slugs}
    farm.start(2)

    first = farm.tick()
    second = farm.tick()

    assert first.returncode == 0, first.stderr
    assert sorted(line.split()[1] for line in scheduled_lines(first.stdout)) == slugs
    assert second.returncode == 0, second.stderr
    assert scheduled_lines(second.stdout) == []
    assert (
        unstamped(second.stdout).strip() == "0 scheduled, 0 skipped, 0 not placed"
    )  # claimed: not due
    ledger = farm.rows("SELECT job_id, node FROM schedule_runs")
    assert Counter(node for _, node in ledger) == {n.url: 10 for n in farm.nodes}

    farm.wait_for(
        lambda: Counter(session_states(farm).values()) == {"succeeded": 20},
        "20 succeeded crawl sessions",
        timeout=150,
    )
    sessions = farm.rows("SELECT job_id, trigger, new_count FROM crawl_sessions")
    assert sorted(s.job_id for s in sessions) == sorted(job for job, _ in ledger)
    assert {(s.trigger, s.new_count) for s in sessions} == {("schedule", 3)}
    jobs = farm.jobs()
    for job_id, node in ledger:  # each ran where the ledger says
        assert [j["id"] for j in jobs[node]].count(job_id) == 1
    assert scheduled_lines(farm.tick().stdout) == []  # done crawls are not due again

    # crawl --wait: one line per state change, the exit status follows the sessions
    manual = farm.run("crawl", "co00", "--wait", "--poll", "0.3", "--timeout", "90")
    assert manual.returncode == 0, manual.stdout + manual.stderr
    assert "co00 co00-manual-" in manual.stdout
    assert manual.stdout.rstrip().endswith("succeeded (new 0, updated 0, removed 0)")
    boards["co01"].set_fault("invalid_json")
    broken = farm.run("crawl", "co01", "--wait", "--poll", "0.3", "--timeout", "90")
    assert broken.returncode == 1
    assert ": failed (new 0, updated 0, removed 0): invalid JSON" in broken.stdout


def test_killed_crawl_fails_with_a_reason_and_is_retried_after_backoff(farm: Farm) -> None:
    board = farm.company("slowco")
    board.set_fault("slow", delay=20)
    farm.start(1)
    [node] = farm.nodes
    assert scheduled_lines(farm.tick().stdout) != []
    [job_id] = [job for job, _ in farm.rows("SELECT job_id, node FROM schedule_runs")]

    def running_pid() -> int | None:
        running = node.get("listjobs.json", project="jobcrawler")["running"]
        opened = session_states(farm).get(job_id) == "running"
        return next((j["pid"] for j in running if j["id"] == job_id and opened), None)

    os.kill(farm.wait_for(running_pid, "the crawl to run with an open session"), signal.SIGKILL)
    farm.wait_for(
        lambda: node.get("status.json", job=job_id)["currstate"] == "finished",
        "scrapyd to see the killed crawl finish",
    )

    waiting = farm.tick("--retry-delays", "10")  # backoff not over yet: no retry
    # the tick first closes sessions whose process is gone (same host: its pid is dead)
    assert "closed 1 crawl session(s) whose process died" in waiting.stdout
    assert scheduled_lines(waiting.stdout) == []
    [(status, error)] = farm.rows("SELECT status, error FROM crawl_sessions")
    assert status == "failed" and error.startswith("crawl process died: pid ")

    board.clear_faults()
    retried = farm.tick("--retry-delays", "0,0,0")
    retry_job = f"{job_id}-r1"
    assert [line.split()[1:4] for line in scheduled_lines(retried.stdout)] == [
        ["slowco", "(retry,", "due"]
    ]
    assert retry_job in retried.stdout
    farm.wait_for(lambda: session_states(farm).get(retry_job) == "succeeded", "the retry")
    [(trigger,)] = farm.rows("SELECT trigger FROM crawl_sessions WHERE job_id = :j", j=retry_job)
    assert trigger == "retry"
    assert scheduled_lines(farm.tick("--retry-delays", "0,0,0").stdout) == []


def test_nodes_going_down_and_coming_back(farm: Farm) -> None:
    for slug in ("aa", "bb", "cc", "dd"):
        farm.company(slug)
    first, second = farm.start(2)

    first.stop()
    degraded = farm.tick()
    assert degraded.returncode == 0, degraded.stderr
    assert f"skipping node: scrapyd {first.url}: unreachable" in degraded.stderr
    assert len(scheduled_lines(degraded.stdout)) == 4
    assert set(farm.rows("SELECT node FROM schedule_runs")) == {(second.url,)}

    second.stop()
    farm.company("ee")  # becomes due while no node answers
    down = farm.tick()
    assert down.returncode == 1
    assert "error: no scrapyd node is reachable; nothing was scheduled" in down.stderr
    assert len(farm.rows("SELECT id FROM schedule_runs")) == 4

    first.start()
    back = farm.tick()
    assert back.returncode == 0, back.stderr
    assert [line.split()[1] for line in scheduled_lines(back.stdout)] == ["ee"]
    ledger = farm.rows("SELECT job_id, node FROM schedule_runs ORDER BY job_id")
    assert len(ledger) == 5 and len({job for job, _ in ledger}) == 5
    assert ledger[-1].node == first.url


def test_due_companies_go_out_as_one_batch_job_and_only_the_failed_one_is_retried(
    farm: Farm,
) -> None:
    slugs = ["ba", "bb", "bc", "bd", "be"]
    boards = {slug: farm.company(slug) for slug in slugs}
    boards["bc"].set_fault("http_500")
    farm.extra_env = {"JOBCRAWLER_BATCH_SIZE": "5"}
    [node] = farm.start(1)

    first = farm.tick()

    assert first.returncode == 0, first.stderr
    assert sorted(line.split()[1] for line in scheduled_lines(first.stdout)) == slugs
    [job] = farm.jobs()[node.url]
    assert job["spider"] == "batch"
    ledger = farm.rows(
        "SELECT c.slug, r.job_id, r.node FROM schedule_runs r JOIN companies c "
        "ON c.id = r.company_id"
    )
    assert sorted(ledger) == [(slug, job["id"], node.url) for slug in slugs]

    def finished() -> dict[str, tuple[str, str, str]] | None:
        rows = farm.rows(
            "SELECT c.slug, s.status, s.job_id, s.trigger FROM crawl_sessions s "
            "JOIN companies c ON c.id = s.company_id WHERE s.status <> 'running'"
        )
        return {r.slug: (r.status, r.job_id, r.trigger) for r in rows} if len(rows) == 5 else None

    sessions = farm.wait_for(finished, "the batch's five sessions to end", timeout=120)
    assert sessions == {
        slug: ("failed" if slug == "bc" else "succeeded", job["id"], "schedule") for slug in slugs
    }
    assert farm.rows("SELECT count(*) FROM job_postings")[0][0] == 12  # 3 each, none from bc

    boards["bc"].clear_faults()
    retried = farm.tick("--retry-delays", "0")
    assert retried.returncode == 0, retried.stderr
    [line] = scheduled_lines(retried.stdout)
    assert line.split()[1:3] == ["bc", "(retry,"]
    retry_job = f"{job['id']}-r1"
    assert f"as {retry_job} on" in line
    farm.wait_for(
        lambda: farm.rows(
            "SELECT status FROM crawl_sessions WHERE job_id = :j AND status <> 'running'",
            j=retry_job,
        ),
        "the retry of bc",
    )
    assert farm.rows(
        "SELECT status, trigger FROM crawl_sessions WHERE job_id = :j", j=retry_job
    ) == [("succeeded", "retry")]
    assert scheduled_lines(farm.tick("--retry-delays", "0").stdout) == []
