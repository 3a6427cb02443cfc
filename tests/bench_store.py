"""The store against the COPY floor, side by side in one run (part of `make bench`).

A first crawl's writes of 5,000 new postings (`CrawlStore.write` in the pipeline's batches:
cleaning, hashing, postings, events, counts, lease) against a raw COPY of the same rows
into a scratch copy of job_postings (same columns, indexes and data); then an unchanged
recrawl, which must rewrite no row. Interleaved, best of 3: a shared machine is noisy.

Alone: `python -m tests.bench_store [DATABASE_URL]` (default `TEST_DATABASE_URL`).
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, text

from jobcrawler.db import make_engine, migrate
from jobcrawler.db.bulk import WRITE_COLUMNS
from jobcrawler.db.content import clean_posting, hash_clean
from jobcrawler.db.engine import write_transaction
from jobcrawler.db.pgcopy import copy_rows
from jobcrawler.db.store import CompanyRecord, CrawlStore
from tests.helpers.pgserver import create_database, drop_database

POSTINGS = 5_000
BATCH = 500  # the pipeline's STORE_BATCH_SIZE
RUNS = 3
SCRATCH = "bench_copy_floor"
COMPANY = CompanyRecord(slug="bench-store", name="Bench", ats="greenhouse", board="bench")
WORDS = ("build", "ship", "team", "data", "platform", "senior", "remote", "care", "scale")


def postings(count: int = POSTINGS) -> list[dict[str, Any]]:
    """Greenhouse-like normalized postings with ~4.5 KB descriptions of varied words."""
    rng = random.Random(3)
    result = []
    for i in range(count):
        words = " ".join(rng.choice(WORDS) for _ in range(380))
        result.append(
            {
                "external_id": str(4_000_000 + i),
                "title": f"Engineer {i}",
                "url": f"https://boards.example.com/bench/jobs/{i}",
                "apply_url": f"https://boards.example.com/bench/jobs/{i}#app",
                "location": "Berlin, Germany",
                "city": "Berlin",
                "country": "DE",
                "remote_type": "hybrid",
                "department": "Engineering",
                "salary_min": 60000 + i,
                "salary_currency": "EUR",
                "posted_at": datetime(2026, 11, 1, tzinfo=UTC),
                "description_html": f"<p>{words}</p>",
                "description": words,
                "list_hash": f"{i:064x}",
            }
        )
    return result


def store_crawl(engine: Engine, batch: list[dict[str, Any]]) -> tuple[float, dict[str, int]]:
    """(seconds spent in `CrawlStore.write`, the session's counts) of one crawl."""
    store = CrawlStore(engine)
    store.open(COMPANY, spider="bench", job_id=None, trigger="manual")
    started = time.perf_counter()
    for start in range(0, len(batch), BATCH):
        store.write(batch[start : start + BATCH])
    seconds = time.perf_counter() - started
    counts = store.counts
    store.close(
        finish_reason="finished",
        complete=True,
        incomplete_reason=None,
        items_scraped=len(batch),
        error_count=0,
        stats={},
    )
    return seconds, counts


def raw_copy(engine: Engine, company_id: int, rows: list[tuple[Any, ...]]) -> float:
    """Seconds to COPY `rows` into an emptied scratch copy of job_postings, in batches."""
    columns = ("company_id", *WRITE_COLUMNS, "status", "first_seen_at", "last_seen_at")
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {SCRATCH}"))
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        with write_transaction(engine) as conn:
            chunk = rows[start : start + BATCH]
            copy_rows(conn, SCRATCH, columns, [(company_id, *row) for row in chunk])
    return time.perf_counter() - started


def row_counts(engine: Engine) -> tuple[int, int]:
    """(job_postings rows, job_events rows)."""
    with engine.connect() as conn:
        query = "SELECT (SELECT count(*) FROM job_postings), (SELECT count(*) FROM job_events)"
        return tuple(conn.execute(text(query)).one())


def figures(db_url: str) -> list[str]:
    """Report lines: store vs raw COPY (best of RUNS each) and the unchanged recrawl."""
    engine = make_engine(db_url)
    migrate(engine)
    batch = postings()
    now = datetime.now(UTC)
    rows = []
    for posting in batch:
        values = clean_posting(posting)
        written = (hash_clean(values), posting["list_hash"], "active", now, now)
        rows.append((posting["external_id"], *values.values(), *written))
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE IF EXISTS {SCRATCH}"))
        conn.execute(text(f"CREATE TABLE {SCRATCH} (LIKE job_postings INCLUDING ALL)"))
    stored, floor = [], []
    for _ in range(RUNS):
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM companies WHERE slug = :s"), {"s": COMPANY.slug})
        seconds, counts = store_crawl(engine, batch)
        assert counts["new"] == POSTINGS, counts
        stored.append(seconds)
        with engine.connect() as conn:
            company_id = conn.execute(
                text("SELECT id FROM companies WHERE slug = :s"), {"s": COMPANY.slug}
            ).scalar_one()
        floor.append(raw_copy(engine, company_id, rows))
    before = row_counts(engine)
    _, again = store_crawl(engine, batch)
    after = row_counts(engine)
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {SCRATCH}"))
    engine.dispose()
    best_store, best_floor = min(stored), min(floor)
    return [
        f"store vs raw COPY, {POSTINGS:,} new postings in batches of {BATCH}, best of {RUNS}:"
        f" store {best_store:.2f} s, COPY {best_floor:.2f} s,"
        f" ratio {best_store / best_floor:.2f}x (target <= 1.3x)",
        f"unchanged recrawl: {again['updated']} postings rewritten, {again['unchanged']:,}"
        f" unchanged (last_seen_at only), {after[0] - before[0]} rows inserted,"
        f" {after[1] - before[1]} events",
    ]


def main() -> None:
    server = sys.argv[1] if len(sys.argv) > 1 else os.environ["TEST_DATABASE_URL"]
    url = create_database(server)
    try:
        print("\n".join(figures(url)))
    finally:
        drop_database(server, url)


if __name__ == "__main__":
    main()
