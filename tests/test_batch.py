"""`scrapy crawl batch -a companies=...` (jobcrawler/runner.py): many companies in one
process, each as if alone, a few at a time, on one small database pool.

Real `scrapy crawl batch` processes against the fake ATS, into SQLite and PostgreSQL; the
reserved slug and the runner's cap (with a stand-in for Scrapy's process) in process.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings
from sqlalchemy import text

from jobcrawler.catalog import load_catalog
from jobcrawler.db import make_engine
from jobcrawler.runner import crawl_companies
from tests.helpers.crawling import FAST, ROOT, Crawl, rows


@pytest.fixture
def crawl(fake_ats, db_url, tmp_path) -> Crawl:
    return Crawl(fake_ats, db_url, tmp_path)


def scrapy(crawl: Crawl, *args: str) -> subprocess.CompletedProcess[str]:
    settings = [arg for s in (*FAST, "RETRY_TIMES=0") for arg in ("-s", s)]
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args, *settings],
        cwd=ROOT,
        env=crawl.env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def batch(crawl: Crawl, companies: list[str], job: str) -> subprocess.CompletedProcess[str]:
    """A scrapyd-like batch job: its `_job` and `trigger`, two companies at a time."""
    return scrapy(
        crawl,
        "crawl",
        "batch",
        "-a",
        f"companies={','.join(companies)}",
        "-a",
        f"_job={job}",
        "-a",
        "trigger=schedule",
        "-s",
        "CONCURRENT_COMPANIES=2",
    )


def table(stdout: str) -> dict[str, list[str]]:
    """Company -> status, new, updated, removed (the summary table's rows)."""
    lines = stdout.strip().splitlines()
    assert lines[0].split()[:2] == ["company", "status"]
    return {line.split()[0]: line.split()[1:5] for line in lines[1:-1]}


def sessions(engine, job: str) -> dict[str, tuple]:
    found = rows(
        engine,
        "SELECT c.slug, s.status, s.trigger, s.removed_count FROM crawl_sessions s"
        " JOIN companies c ON c.id = s.company_id WHERE s.job_id = :job",
        job=job,
    )
    return {slug: tuple(rest) for slug, *rest in found}


def active(engine) -> dict[str, int]:
    return dict(
        rows(
            engine,
            "SELECT c.slug, count(*) FROM job_postings p JOIN companies c ON c.id = p.company_id"
            " WHERE p.status = 'active' GROUP BY c.slug",
        )
    )


def most_running_at_once(engine) -> int:
    spans = rows(engine, "SELECT started_at, finished_at FROM crawl_sessions")
    return max(sum(start <= at < end for start, end in spans) for at, _ in spans)


def test_a_batch_keeps_every_company_on_its_own(crawl, engine):
    good = {
        "acme": crawl.board("greenhouse", "acme", size=5),
        "globex": crawl.board("lever", "globex", size=3),
        "initech": crawl.board("greenhouse", "initech", size=4),
    }
    failing = crawl.board("greenhouse", "umbrella", size=5)
    partial = crawl.board("lever", "hooli", size=230)
    names = [*good, "umbrella", "hooli"]
    for slug in names:
        crawl.write_company(slug)

    first = batch(crawl, names, "job-1")
    assert first.returncode == 0, first.stderr[-3000:]
    assert set(table(first.stdout)) == set(names)
    assert active(engine) == {"acme": 5, "globex": 3, "initech": 4, "umbrella": 5, "hooli": 230}

    # A company added after the deploy: `scrapy list` (what scrapyd caches) never named it,
    # but it names `batch`, and the batch job reads the catalog when it starts.
    listed = scrapy(crawl, "list")
    assert listed.stdout.split() == sorted([*names, "batch"]), listed.stderr[-3000:]
    crawl.board("recruitee", "late", size=2)
    crawl.write_company("late")

    for board in (*good.values(), failing, partial):
        board.remove(1)
    failing.set_fault("http_500")
    partial.set_fault("http_500", page=1)
    second = batch(crawl, [*names, "nosuch", "late"], "job-2")
    assert second.returncode == 1, second.stderr[-3000:]
    assert table(second.stdout) == {
        "late": ["succeeded", "2", "0", "0"],
        "acme": ["succeeded", "0", "0", "1"],
        "globex": ["succeeded", "0", "0", "1"],
        "initech": ["succeeded", "0", "0", "1"],
        "hooli": ["partial", "0", "0", "0"],
        "nosuch": ["failed", "0", "0", "0"],
        "umbrella": ["failed", "0", "0", "0"],
    }
    assert sessions(engine, "job-2") == {
        "late": ("succeeded", "schedule", 0),
        "acme": ("succeeded", "schedule", 1),
        "globex": ("succeeded", "schedule", 1),
        "initech": ("succeeded", "schedule", 1),
        "hooli": ("partial", "schedule", 0),
        "umbrella": ("failed", "schedule", 0),
    }
    # the faulty companies removed nothing, of their own or of anyone else
    assert active(engine) == {
        "acme": 4,
        "globex": 2,
        "initech": 3,
        "umbrella": 5,
        "hooli": 230,
        "late": 2,
    }
    assert most_running_at_once(engine) <= 2  # CONCURRENT_COMPANIES=2


def test_a_batch_needs_companies(crawl):
    result = scrapy(crawl, "crawl", "batch")
    assert result.returncode == 2
    assert "batch needs -a companies=" in result.stderr


@pytest.mark.parametrize("entry", ["name: Batch\n", "name: Whatever\nslug: batch\n"])
def test_the_batch_slug_is_reserved(tmp_path: Path, entry: str) -> None:
    (tmp_path / "batch.yaml").write_text(entry + "ats: lever\nboard: b\n")
    (tmp_path / "other.yaml").write_text("name: Other\nats: lever\nboard: o\n")
    catalog = load_catalog(tmp_path)
    assert [c.slug for c in catalog.companies] == ["other"]
    [error] = catalog.errors
    assert error.key == "slug" and "reserved for batch jobs" in error.message


@pytest.mark.parametrize("pool", [1, 2])
def test_many_companies_share_a_small_pool(crawl, db_url, pool):
    """All companies start at once (no cap): connections stay at the shared pool's size, and
    one connection is enough (no code path holds one connection while it waits for another)."""
    if not db_url.startswith("postgresql"):
        pytest.skip("counts PostgreSQL connections")
    names = [f"co{n}" for n in range(60)]
    for slug in names:
        crawl.board("greenhouse", slug, size=1)
        crawl.write_company(slug)
    admin = make_engine(db_url)
    peak, done = [0], threading.Event()

    def watch() -> None:
        with admin.connect() as conn:
            while not done.is_set():
                count = conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                        " 'jobcrawler' AND datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
                conn.commit()  # pg_stat_activity is a snapshot per transaction
                peak[0] = max(peak[0], count)
                time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        # every company at once, and the host pace on: both use the database
        fast = [s for s in FAST if not s.startswith(("LOG_LEVEL", "HOST_DELAY"))]
        settings = [
            *fast,
            "HOST_DELAY=0.001",
            f"CONCURRENT_COMPANIES={len(names)}",
            f"DB_POOL_SIZE={pool}",
        ]
        result = subprocess.run(
            [sys.executable, "-m", "jobcrawler", "crawl", "--all"]
            + [arg for setting in settings for arg in ("-s", setting)],
            cwd=ROOT,
            env=crawl.env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        done.set()
        watcher.join()
        admin.dispose()
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == f"{len(names)} companies: 60 succeeded"
    assert 1 <= peak[0] <= pool  # the shared pool (an engine per crawl: 99)


class FakeCrawler:
    def __init__(self, name: str) -> None:
        self.name = name
        self.spider_args: dict[str, Any] = {}
        self._stats: MemoryStats | None = None


class MemoryStats(dict):
    def get_stats(self) -> dict[str, Any]:
        return self


class FakeProcess:
    """AsyncCrawlerProcess's part the runner uses: crawls that take a moment each, counted."""

    def __init__(self, limit: int, ends: dict[str, str | Exception]) -> None:
        self.settings = Settings({"CONCURRENT_COMPANIES": limit})
        self.ends = ends  # company -> its finish reason, or what its crawl raises
        self.loop = asyncio.new_event_loop()
        self.active: set[asyncio.Task[None]] = set()
        self.crawled: list[FakeCrawler] = []
        self.running = self.peak = 0

    def create_crawler(self, name: str) -> FakeCrawler:
        if name == "nosuch":
            raise KeyError(f"Spider not found: {name}")
        return FakeCrawler(name)

    def crawl(self, crawler: FakeCrawler, **spider_args: Any) -> asyncio.Task[None]:
        crawler.spider_args = spider_args
        task = self.loop.create_task(self._crawl(crawler))
        self.active.add(task)
        task.add_done_callback(self.active.discard)
        return task

    async def _crawl(self, crawler: FakeCrawler) -> None:
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            await asyncio.sleep(0.01)
            end = self.ends.get(crawler.name, "finished")
            if isinstance(end, Exception):
                raise end
            status = "succeeded" if end == "finished" else "failed"
            crawler._stats = MemoryStats(
                {"finish_reason": end, "jobcrawler/session/status": status}
            )
            self.crawled.append(crawler)
        finally:
            self.running -= 1

    def start(self) -> None:
        async def join() -> None:  # as Scrapy's: until no crawl is left
            while self.active:
                await asyncio.wait(set(self.active))

        self.loop.run_until_complete(join())
        self.loop.close()


def test_a_batch_runs_at_most_its_cap_and_one_failure_stops_nothing() -> None:
    process = FakeProcess(2, {"broken": RuntimeError("boom")})
    names = ["a", "b", "nosuch", "c", "broken", "d", "e", "a"]
    outcomes = crawl_companies(process, names, {"_job": "j1", "trigger": "schedule"})
    assert process.peak == 2
    by_company = {o.company: (o.status, o.error) for o in outcomes}
    assert len(outcomes) == len(by_company) == 7  # "a" listed twice is crawled once
    assert by_company == {
        **dict.fromkeys("abcde", ("succeeded", None)),
        "nosuch": ("failed", "unknown company"),
        "broken": ("failed", "could not run: RuntimeError('boom')"),
    }
    assert {c.name: c.spider_args for c in process.crawled} == {
        name: {"_job": "j1", "trigger": "schedule"} for name in "abcde"
    }


def test_a_stopped_batch_starts_no_more_companies() -> None:
    process = FakeProcess(1, {"a": "shutdown"})
    outcomes = crawl_companies(process, ["a", "b", "c"])
    assert [c.name for c in process.crawled] == ["a"]
    assert [(o.company, o.status) for o in outcomes] == [
        ("a", "failed"),
        ("b", "failed"),
        ("c", "failed"),
    ]
    assert outcomes[1].error == "not crawled: the process was stopped first"
