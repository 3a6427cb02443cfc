"""`python -m jobcrawler crawl` (jobcrawler/runner.py): exit status and summary of real crawls."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers.crawling import FAST, ROOT, Crawl

pytestmark = pytest.mark.usefixtures("db_url")


@pytest.fixture
def crawl(fake_ats, db_url, tmp_path) -> Crawl:
    return Crawl(fake_ats, db_url, tmp_path)


def run(crawl: Crawl, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m jobcrawler crawl ARGS` with fast settings, at the command's own log level."""
    for slug in crawl.companies:
        crawl.write_company(slug)
    fast = [arg for s in FAST if not s.startswith("LOG_LEVEL") for arg in ("-s", s)]
    return subprocess.run(
        [sys.executable, "-m", "jobcrawler", "crawl", *args, *fast, "-s", "RETRY_TIMES=0"],
        cwd=ROOT,
        env=crawl.env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def table(stdout: str) -> dict[str, list[str]]:
    """Company -> its row's cells (status, new, updated, removed, error words)."""
    lines = stdout.strip().splitlines()
    assert lines[0].split() == ["company", "status", "new", "updated", "removed", "error"]
    return {line.split()[0]: line.split()[1:] for line in lines[1:-1]}


def test_every_crawl_failed_exits_1_with_a_summary(crawl):
    for slug in ("acme", "globex"):
        crawl.board("greenhouse", slug, size=3).set_fault("http_500")
    result = run(crawl, "--all")
    assert result.returncode == 1, result.stderr[-3000:]
    rows = table(result.stdout)
    assert {slug: row[:4] for slug, row in rows.items()} == {
        "acme": ["failed", "0", "0", "0"],
        "globex": ["failed", "0", "0", "0"],
    }
    assert result.stdout.strip().splitlines()[-1] == "2 companies: 2 failed"
    assert " INFO: " not in result.stderr  # several companies log at WARNING


def test_worst_outcome_sets_the_exit_status_and_problems_come_last(crawl):
    crawl.board("greenhouse", "acme", size=4)
    crawl.board("lever", "globex", size=230).set_fault("http_500", page=1)
    result = run(crawl, "acme", "globex")
    assert result.returncode == 3, result.stderr[-3000:]
    rows = table(result.stdout)
    assert list(rows) == ["acme", "globex"]
    assert rows["acme"] == ["succeeded", "4", "0", "0"]
    assert rows["globex"][:4] == ["partial", "100", "0", "0"] and len(rows["globex"]) > 4
    assert result.stdout.strip().splitlines()[-1] == "2 companies: 1 succeeded, 1 partial"


def test_a_crawl_that_cannot_start_is_failed(crawl):
    crawl.board("greenhouse", "acme", size=2)
    broken = json.dumps({"jobcrawler.nowhere.Middleware": 100})
    result = run(crawl, "acme", "-s", f"DOWNLOADER_MIDDLEWARES={broken}", "-s", "LOG_LEVEL=INFO")
    assert result.returncode == 1, result.stderr[-3000:]
    [row] = table(result.stdout).values()
    assert row[0] == "failed" and "ModuleNotFoundError" in " ".join(row[4:])
    assert " INFO: " in result.stderr  # -s LOG_LEVEL wins


def test_unknown_company_is_a_usage_error(crawl):
    crawl.board("greenhouse", "acme", size=1)
    result = run(crawl, "acme", "nosuch")
    assert result.returncode == 2
    assert "Unknown companies: nosuch" in result.stderr
