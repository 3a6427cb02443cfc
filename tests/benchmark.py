"""`make bench`: throughput figures from real crawls of one board, printed, never asserted.

One Greenhouse board of 5,000 postings (~4.5 KB descriptions) on the fake ATS, crawled
with `python -m jobcrawler crawl`: with the store stage disabled, with storage to
PostgreSQL (every posting new), and again with nothing changed; the best of three each. Also times
loading a catalog of 10,000 companies, (tests/bench_startup.py) the CPU seconds of
a one-company crawl process and per company of a many-company one, and the normalize
stage's postings/s, (tests/bench_store.py) the store against a raw COPY of the same
rows, (tests/bench_pace.py) a Workday tenant crawled at default settings, paced by
`HOST_DELAY`, and (tests/bench_memory.py) the peak RSS of one crawl of a 20,000-posting
board, and (tests/bench_node.py) a node crawling 1,000 small companies as batched scrapyd jobs
through the scheduler, and (tests/bench_export.py) `export` of 1,000,000 postings in each
format: time and peak RSS, (tests/bench_dashboard.py) the dashboard's reads on 100,000
postings, and (tests/bench_api.py) a `serve` process answering searches and 1,000-event
`/changes` pages over 100,000 postings: p50/p95 per request. PostgreSQL:
`BENCH_DATABASE_URL` or `TEST_DATABASE_URL` (a server; a database
is created and dropped), else a throwaway server.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from fakeats import FakeATS
from jobcrawler.catalog import load_catalog
from jobcrawler.db import make_engine, migrate
from tests import (
    bench_api,
    bench_dashboard,
    bench_export,
    bench_memory,
    bench_node,
    bench_pace,
    bench_startup,
    bench_store,
)
from tests.helpers.pgserver import create_database, drop_database, start_pg_server

POSTINGS = 5_000
RUNS = 3
ROOT = Path(__file__).resolve().parent.parent
WITHOUT_STORE = json.dumps(
    {
        "jobcrawler.pipelines.validate.ValidatePipeline": 100,
        "jobcrawler.pipelines.normalize.NormalizePipeline": 200,
        "jobcrawler.pipelines.dedupe.DedupePipeline": 300,
    }
)


@contextmanager
def postgres() -> Iterator[str]:
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    stop: list[str] | None = None
    if not server:
        server, stop, tmp = start_pg_server()
    url = create_database(server)
    try:
        yield url
    finally:
        drop_database(server, url)
        if stop:
            subprocess.run(stop, cwd=tmp, capture_output=True)


def crawl(env: dict[str, str], *settings: str) -> tuple[float, float]:
    """(Scrapy's elapsed crawl seconds, process wall seconds) of one crawl process."""
    args = [arg for setting in settings for arg in ("-s", setting)]
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "jobcrawler", "crawl", "bench", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"benchmark crawl failed:\n{result.stderr[-3000:]}")
    elapsed = re.search(r"'elapsed_time_seconds': ([0-9.]+)", result.stderr)
    return float(elapsed.group(1)) if elapsed else wall, wall


def table_writes(engine) -> tuple[int, int, int]:
    """(rows inserted, rows updated, HOT-updated) in job_postings per pg_stat."""
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_stat_force_next_flush()"))
        row = conn.execute(
            text(
                "SELECT n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                " WHERE relname = 'job_postings'"
            )
        ).one()
    return tuple(row)


def forget_company(engine, slug: str) -> None:
    """Drop the company with its postings, events and sessions (ON DELETE CASCADE)."""
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM companies WHERE slug = :slug"), {"slug": slug})


def last_session(engine) -> dict[str, object]:
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT status, new_count, updated_count, unchanged_count FROM crawl_sessions"
                " ORDER BY id DESC LIMIT 1"
            )
        ).one()
    return dict(row._mapping)


def catalog_load_seconds(count: int = 10_000) -> float:
    with tempfile.TemporaryDirectory() as folder:
        # the keys a real catalog sets: a schedule and priority each, settings for some
        body = "".join(
            f"- name: Company {i}\n  ats: greenhouse\n  board: c{i}\n"
            f"  schedule: '{i % 60} 7 * * *'\n  priority: {i % 3}\n"
            + ("  settings:\n    ROBOTSTXT_OBEY: false\n" if i % 10 == 0 else "")
            for i in range(count)
        )
        Path(folder, "big.yaml").write_text(body)
        started = time.perf_counter()
        catalog = load_catalog(folder)
        seconds = time.perf_counter() - started
        assert len(catalog.companies) == count
        return seconds


def main() -> None:
    fast = ("DOWNLOAD_DELAY=0", "HOST_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "LOG_LEVEL=INFO")
    with FakeATS() as fake, postgres() as db_url, tempfile.TemporaryDirectory() as catalog:
        fake.add_board("greenhouse", "bench", size=POSTINGS, seed=3, description_bytes=4500)
        Path(catalog, "bench.yaml").write_text(
            f"name: Bench\nats: greenhouse\nboard: bench\nbase_url: {fake.url}\n"
        )
        env = {**os.environ, "JOBCRAWLER_COMPANIES_DIR": catalog, "DATABASE_URL": db_url}
        engine = make_engine(db_url)
        migrate(engine)
        crawl(env, *fast, f"ITEM_PIPELINES={WITHOUT_STORE}")  # warm the fake's render cache

        # Interleaved, best of RUNS each: one run on a shared 2-core machine can be off by
        # half. Each stored crawl starts from an empty database, so every posting is new.
        no_store, stored = [], []
        for _ in range(RUNS):
            no_store.append(crawl(env, *fast, f"ITEM_PIPELINES={WITHOUT_STORE}"))
            forget_company(engine, "bench")
            before = table_writes(engine)
            stored.append(crawl(env, *fast))
            first = last_session(engine)
            middle = table_writes(engine)
        recrawls = []
        for _ in range(RUNS):
            recrawl_before = table_writes(engine)
            recrawls.append(crawl(env, *fast))
            again = last_session(engine)
            after = table_writes(engine)
        print_crawls(
            no_store, stored, recrawls, first, again, (before, middle, recrawl_before, after)
        )
        show(f"catalog of 10,000 companies loads in {catalog_load_seconds():.2f} s")
        board_url = fake.base_url("greenhouse", "bench") + "/v1/boards/bench/jobs?content=true"
        show(*bench_startup.figures(fake, db_url, board_url))
        show(*bench_store.figures(db_url))
        show(*bench_pace.figures(fake, db_url))
        show(*bench_memory.figures(fake, db_url))
    with FakeATS() as fake, postgres() as db_url:  # a database of its own: sessions are counted
        show(*bench_node.figures(fake, db_url))
    with postgres() as db_url:  # an empty database: the export's million postings alone
        show(*bench_export.figures(db_url))
    with postgres() as db_url:
        show(*bench_dashboard.figures(db_url))
    with postgres() as db_url:  # and the API's 100,000
        show(*bench_api.figures(db_url))


def show(*lines: str) -> None:
    """Print figures as soon as they are measured: a later part that fails loses none."""
    print("\n".join(lines), flush=True)


def print_crawls(
    no_store: list[tuple[float, float]],
    stored: list[tuple[float, float]],
    recrawls: list[tuple[float, float]],
    first: dict,
    again: dict,
    writes: tuple,
) -> None:
    """The lines of the 5,000-posting crawls (best of RUNS each)."""
    before, middle, recrawl_before, after = writes
    no_store_best, stored_best, recrawl_best = min(no_store), min(stored), min(recrawls)

    def line(name: str, figures: tuple[float, float]) -> str:
        elapsed, wall = figures
        return (
            f"{name:<34} {POSTINGS / elapsed:>8,.0f} postings/s"
            f"   crawl {elapsed:6.2f} s   process {wall:6.2f} s"
        )

    overhead = stored_best[0] / no_store_best[0] - 1
    show(
        f"Greenhouse board of {POSTINGS:,} postings (~4.5 KB descriptions), PostgreSQL,"
        f" best of {RUNS} crawls each",
        line("crawl without store stage", no_store_best),
        line("crawl with storage (all new)", stored_best) + f"   [{first['new_count']} new]",
        line("recrawl, board unchanged", recrawl_best)
        + f"   [{again['unchanged_count']} unchanged]",
        f"storage overhead over the crawl without storage: {overhead:+.0%} (target <= +50%)",
        f"first crawl: job_postings rows inserted {middle[0] - before[0]:,}, "
        f"updated {middle[1] - before[1]:,}",
        f"unchanged recrawl: content rewrites {again['updated_count']} (updated postings), "
        f"rows inserted {after[0] - recrawl_before[0]}, "
        f"last_seen_at-only row updates {after[1] - recrawl_before[1]:,} "
        f"({after[2] - recrawl_before[2]:,} of them HOT)",
    )


if __name__ == "__main__":
    main()
