"""`make bench` figures for exports: `python -m jobcrawler export` of a million postings.

`BENCH_EXPORT_POSTINGS` postings (default 1,000,000; ~1.2 KB of description text and HTML
each, one place each and a second for every tenth) are generated in PostgreSQL by one
INSERT ... SELECT over generate_series, then exported once per format to a file. Printed:
seconds, postings/s, peak RSS (VmHWM, as bench_memory reads it) and file size. The target
is a peak under 200 MB whatever the count: the export streams.
`python -m tests.bench_export` runs these figures alone.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import text

from jobcrawler.db import make_engine, migrate
from tests.bench_memory import peak_rss

POSTINGS = int(os.environ.get("BENCH_EXPORT_POSTINGS", "1000000"))
FORMATS = ("csv", "jsonl", "parquet")

_LOAD = [
    "INSERT INTO companies (slug, name, ats, board) VALUES ('big', 'Big Co', 'greenhouse', 'big')",
    """
    INSERT INTO job_postings (company_id, external_id, title, url, apply_url, location, city,
        region, country, remote_type, employment_type, department, team, salary_min,
        salary_max, salary_currency, salary_period, posted_at, description_html, description,
        content_hash, list_hash, status, first_seen_at, last_seen_at)
    SELECT c.id, i::text, 'Engineer ' || i, 'https://jobs.example.com/' || i,
        'https://jobs.example.com/' || i || '/apply', 'Berlin, Germany', 'Berlin', 'Berlin',
        'DE', (ARRAY['remote', 'hybrid', 'onsite'])[i % 3 + 1], 'full_time', 'Engineering',
        'Platform', 50000 + i % 1000, 70000 + i % 1000, 'EUR', 'year',
        timestamptz '2026-01-01' + i * interval '1 second',
        '<p>' || repeat('Build reliable things, ' || i || '. ', 25) || '</p>',
        repeat('Build reliable things, ' || i || '. ', 25), md5(i::text), md5(i::text),
        'active', now(), now()
    FROM companies c, generate_series(1, :n) AS i WHERE c.slug = 'big'
    """,
    """
    INSERT INTO posting_locations (posting_id, position, city, region, country, raw)
    SELECT id, 0, city, region, country, location FROM job_postings
    UNION ALL
    SELECT id, 1, 'Lyon', NULL, 'FR', 'Lyon' FROM job_postings WHERE id % 10 = 0
    """,
]


def fill(db_url: str, statements: Sequence[str], **params: object) -> float:
    """Seconds to run `statements` (INSERT ... SELECT generators) on a migrated database,
    then VACUUM ANALYZE, so the planner sees the generated rows."""
    engine = make_engine(db_url)
    migrate(engine)
    started = time.perf_counter()
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), params)
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started


def figures(db_url: str, count: int = POSTINGS) -> list[str]:
    """The export lines `make bench` prints (`db_url`: an empty PostgreSQL database)."""
    lines = [
        f"export: {count:,} postings generated in PostgreSQL in {fill(db_url, _LOAD, n=count):.0f} s"
    ]
    env = {**os.environ, "DATABASE_URL": db_url}
    with tempfile.TemporaryDirectory() as folder:
        for fmt in FORMATS:
            out = Path(folder, f"postings.{fmt}")
            command = [sys.executable, "-m", "jobcrawler", "export", "--format", fmt]
            started = time.perf_counter()
            peak, _ = peak_rss([*command, "-o", str(out)], env)
            seconds = time.perf_counter() - started
            lines.append(
                f"export --format {fmt:<8} {seconds:6.1f} s  {count / seconds:>8,.0f} postings/s"
                f"   peak RSS {peak:,.0f} MB (target < 200)   file {out.stat().st_size / 1e6:,.0f} MB"
            )
            out.unlink()
    return lines


if __name__ == "__main__":
    from tests.benchmark import postgres

    with postgres() as url:
        print("\n".join(figures(url)))
