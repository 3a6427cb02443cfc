"""`make bench` figures for politeness: a Workday tenant crawled at DEFAULT settings.

The crawl's speed is the shared host pace (`HOST_DELAY`), so a 3,000-posting tenant would
take most of a quarter hour: the bench crawls `POSTINGS` and extrapolates from the measured
requests/s, then times the unchanged recrawl, which must fetch no detail page.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from fakeats import FakeATS
from tests.helpers.crawling import ROOT, careers_url

POSTINGS = int(os.environ.get("BENCH_WORKDAY_POSTINGS", "300"))
TARGET = 3_000


def crawl(env: dict[str, str], *settings: str) -> tuple[int, float]:
    """(requests, elapsed crawl seconds) of one `scrapy crawl workday_bench` process."""
    args = [arg for setting in settings for arg in ("-s", setting)]
    command = [sys.executable, "-m", "scrapy", "crawl", "workday_bench", *args]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"Workday benchmark crawl failed:\n{result.stderr[-3000:]}")
    stats = {
        name: float(re.search(rf"'{name}': ([0-9.]+)", result.stderr).group(1))
        for name in ("downloader/request_count", "elapsed_time_seconds")
    }
    return int(stats["downloader/request_count"]), stats["elapsed_time_seconds"]


def figures(fake: FakeATS, db_url: str, *settings: str) -> list[str]:
    """The lines `make bench` prints; `settings` (`KEY=VALUE`) override the defaults."""
    board = fake.add_board("workday", "workday_bench", size=POSTINGS, seed=11)
    with tempfile.TemporaryDirectory() as catalog:
        Path(catalog, "workday_bench.yaml").write_text(
            f"name: Workday bench\nats: workday\ncareers_url: {careers_url(board)}\n"
            f"base_url: {fake.base_url('workday', 'workday_bench')}\n"
        )
        env = {**os.environ, "JOBCRAWLER_COMPANIES_DIR": catalog, "DATABASE_URL": db_url}
        first_requests, first_seconds = crawl(env, *settings)
        fake.clear_requests()
        again_requests, again_seconds = crawl(env, *settings)
    details = sum(1 for r in fake.requests if r.token == board.token and r.kind == "detail")
    rate, again_rate = first_requests / first_seconds, again_requests / again_seconds
    scale = TARGET / POSTINGS
    # robots.txt once; listing and detail requests grow with the tenant
    first_target = 1 + (first_requests - 1) * scale
    again_target = 1 + (again_requests - 1) * scale
    shown = ", ".join(settings) or "default settings"
    return [
        f"Workday tenant of {POSTINGS:,} postings, {shown}: first crawl {first_requests:,}"
        f" requests in {first_seconds:.0f} s ({rate:.1f} requests/s); unchanged recrawl"
        f" {again_requests} requests ({details} detail pages) in {again_seconds:.1f} s",
        f"  extrapolated to {TARGET:,} postings: first crawl {first_target:,.0f} requests"
        f" ~ {first_target / rate / 60:.1f} min (target < 15), unchanged recrawl"
        f" {again_target:,.0f} requests ~ {again_target / again_rate / 60:.1f} min (target < 2)",
    ]


if __name__ == "__main__":  # `python -m tests.bench_pace [KEY=VALUE...]`: these figures alone
    from tests.benchmark import postgres

    with FakeATS() as server, postgres() as url:
        print("\n".join(figures(server, url, *sys.argv[1:])))
