"""At default settings the shared host pace (`HOST_DELAY`) sets a crawl's speed: no slower.

A real `scrapy crawl` of a Workday tenant with the project's settings, only `HOST_DELAY`
shortened so the test is quick: every request is spaced by it (politeness), and the crawl
takes not much longer than requests x HOST_DELAY (no per-crawl delay on top).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.helpers.crawling import ROOT, Crawl

HOST_DELAY = 0.1
POSTINGS = 40  # 40 detail pages, 2 listing pages, robots.txt


def crawl_stats(crawl: Crawl, careers_url: str) -> dict[str, float]:
    """Requests and elapsed seconds of one crawl of company "acme" at default settings."""
    crawl.write_company("acme", careers_url=careers_url)
    command = [sys.executable, "-m", "scrapy", "crawl", "acme", "-s", f"HOST_DELAY={HOST_DELAY}"]
    result = subprocess.run(
        command, cwd=ROOT, env=crawl.env(), capture_output=True, text=True, timeout=300
    )
    crawl.check_exit(result, "acme")
    return {
        name: float(re.search(rf"'{name}': ([0-9.]+)", result.stderr).group(1))
        for name in ("downloader/request_count", "elapsed_time_seconds")
    }


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_default_settings_crawl_at_the_host_pace(fake_ats, db_url, tmp_path):
    crawl = Crawl(fake_ats, db_url, tmp_path)
    board = crawl.board("workday", "acme", size=POSTINGS)
    careers_url = f"https://{board.token}.wd5.myworkdayjobs.com/en-US/External"

    first = crawl_stats(crawl, careers_url)
    requests, elapsed = first["downloader/request_count"], first["elapsed_time_seconds"]
    assert requests == POSTINGS + 3
    assert elapsed >= (requests - 1) * HOST_DELAY  # the pace holds (its speed: make bench)

    fake_ats.clear_requests()
    again = crawl_stats(crawl, careers_url)
    kinds = [r.kind for r in fake_ats.requests if r.token == board.token]
    assert kinds == ["list", "list"]  # unchanged: no detail page is fetched again
    assert again["downloader/request_count"] == 3  # with robots.txt
