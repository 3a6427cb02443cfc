"""The dashboard's reads on 100,000 postings in PostgreSQL: a company's 90-day series (the
largest company, 20,000 postings, and a typical one of about 800) and the overview's 7-day
counts of 100 companies; median of 20 each, printed, never asserted.

Run alone: `python -m tests.bench_dashboard` (PostgreSQL as in tests/benchmark.py).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from jobcrawler.dashboard import chart
from jobcrawler.dashboard.pages import render
from jobcrawler.dashboard.queries import daily_series, recent_counts
from jobcrawler.db import make_engine, migrate

POSTINGS = 100_000
COMPANIES = 100
BIG = 20_000  # postings of company bench1; the others share the rest
FILL = [
    f"""INSERT INTO companies (slug, name, ats, board)
    SELECT 'bench' || i, 'Bench ' || i, 'greenhouse', 'b' || i
    FROM generate_series(1, {COMPANIES}) i""",
    # 30 % removed, first seen over 180 days, removed over the last 60
    f"""INSERT INTO job_postings (company_id, external_id, title, description, content_hash,
        status, first_seen_at, last_seen_at, removed_at)
    SELECT CASE WHEN i <= {BIG} THEN 1 ELSE 2 + i % {COMPANIES - 1} END, i::text,
        'Engineer ' || i, 'Build things ' || i, md5(i::text),
        CASE WHEN i % 10 < 3 THEN 'removed' ELSE 'active' END,
        now() - (i % 180) * interval '1 day' - interval '60 days', now(),
        CASE WHEN i % 10 < 3 THEN now() - (i % 60) * interval '1 day' END
    FROM generate_series(1, {POSTINGS}) i""",
    """INSERT INTO job_events (posting_id, kind, at)
    SELECT id, 'created', first_seen_at FROM job_postings
    UNION ALL SELECT id, 'updated', now() - (id % 90) * interval '1 day' FROM job_postings
        WHERE id % 2 = 0
    UNION ALL SELECT id, 'removed', removed_at FROM job_postings WHERE status = 'removed'
    ORDER BY 3""",
    f"""INSERT INTO crawl_sessions (company_id, spider, trigger, status, started_at,
        new_count, removed_count)
    SELECT c, 'greenhouse', 'schedule', 'succeeded', now() - d * interval '1 day', 3, 1
    FROM generate_series(1, {COMPANIES}) c, generate_series(0, 89) d""",
    "ANALYZE",
]


def _median_ms(run: Callable[[], object], times: int = 20) -> float:
    run()  # warm
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def figures(db_url: str) -> list[str]:
    engine = make_engine(db_url)
    migrate(engine)
    with engine.begin() as conn:
        for statement in FILL:
            conn.execute(text(statement))
        events = conn.execute(text("SELECT count(*) FROM job_events")).scalar_one()
    today = datetime.now(UTC).date()
    slugs = [f"bench{i}" for i in range(1, COMPANIES + 1)]
    lines = [f"dashboard on {POSTINGS:,} postings, {events:,} events (PostgreSQL), median of 20:"]
    with engine.connect() as conn:
        for slug, size in (("bench1", BIG), ("bench2", (POSTINGS - BIG) // (COMPANIES - 1))):
            ms = _median_ms(lambda slug=slug: daily_series(conn, slug, today))
            series = daily_series(conn, slug, today)
            company = {"name": slug, "slug": slug, "ats": "greenhouse", "active": True}
            company |= {"active_postings": series[-1].active, "next_due": None}
            page = _median_ms(
                lambda series=series, company=company: render(
                    "company.html",
                    now=datetime.now(UTC),
                    company=company,
                    chart=chart.build(series),
                    series=series,
                    sessions=[],
                    search_url="/",
                )
            )
            lines.append(
                f"  90-day series, company of {size:,} postings: query {ms:6.1f} ms,"
                f" chart and page {page:6.1f} ms"
            )
        week = datetime.now(UTC) - timedelta(days=7)
        ms = _median_ms(lambda: recent_counts(conn, slugs, week))
        lines.append(f"  7-day new/removed of {COMPANIES} companies: {ms:6.1f} ms")
    engine.dispose()
    return lines


if __name__ == "__main__":
    from tests.benchmark import postgres

    with postgres() as url:
        print("\n".join(figures(url)))
