"""The project's `scrapy crawl` (jobcrawler/commands/crawl.py) and Scrapy's other commands.

Only `scrapy crawl` records: `parse`, `fetch`, `shell`, `view`, `check` and `runspider` on a
crawled company leave every table exactly as it was, and still show what they fetched.
`scrapy crawl` exits with its session's outcome.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.helpers.crawling import FAST, ROOT, Crawl, session

pytestmark = pytest.mark.usefixtures("db_url")

TABLES = ("companies", "crawl_sessions", "job_postings", "job_events", "host_pace")
#: A spider that is no company's: runspider must not open the store for it.
LONE_SPIDER = """
import scrapy

class Lone(scrapy.Spider):
    name = "lone"
    start_urls = ["{url}"]

    def parse(self, response):
        yield {{"company": "lone", "external_id": "1", "title": "Lone", "url": response.url}}
"""


@pytest.fixture
def crawl(fake_ats, db_url, tmp_path) -> Crawl:
    return Crawl(fake_ats, db_url, tmp_path)


def snapshot(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {
            table: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
            for table in TABLES
        }


def scrapy(crawl: Crawl, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A Scrapy command with the fast settings, but a shared host pace that would write."""
    settings = [arg for s in (*FAST, "HOST_DELAY=0.01") for arg in ("-s", s)]
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args, *settings],
        cwd=ROOT,
        env={**crawl.env(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debugging_commands_leave_the_database_as_it_was(crawl, engine, tmp_path: Path):
    board = crawl.board("greenhouse", "acme", size=8)
    assert crawl.run("acme").returncode == 0
    board.remove(3)  # a command that wrote would now remove 3 postings or add a session
    before = snapshot(engine)
    assert len(before["crawl_sessions"]) == 1 and len(before["job_postings"]) == 8
    _, token = crawl.companies["acme"]
    listing = f"{crawl.fake.base_url('greenhouse', token)}/v1/boards/{token}/jobs?content=true"
    spider_file = tmp_path / "lone.py"
    spider_file.write_text(LONE_SPIDER.format(url=listing))

    parse = scrapy(crawl, "parse", "--spider", "acme", "-c", "parse_board", "--pipelines", listing)
    assert parse.returncode == 0, parse.stderr[-3000:]
    assert "# Scraped Items" in parse.stdout and parse.stdout.count("'external_id'") == 5
    fetch = scrapy(crawl, "fetch", "--nolog", "--spider", "acme", listing)
    assert fetch.returncode == 0 and '"jobs"' in fetch.stdout, fetch.stderr[-3000:]
    shell = scrapy(crawl, "shell", "--spider", "acme", listing, "-c", "response.status")
    assert shell.returncode == 0 and shell.stdout.strip() == "200", shell.stderr[-3000:]
    view = scrapy(crawl, "view", "--spider", "acme", listing, BROWSER="true")
    assert view.returncode == 0, view.stderr[-3000:]
    check = scrapy(crawl, "check", "acme")
    assert check.returncode == 0, check.stderr[-3000:]
    lone = scrapy(crawl, "runspider", str(spider_file), "-o", "-:jsonl")
    assert lone.returncode == 0 and '"title": "Lone"' in lone.stdout, lone.stderr[-3000:]

    assert snapshot(engine) == before


def test_crawl_that_succeeds_exits_0(crawl, engine):
    crawl.board("greenhouse", "acme", size=5)
    result = crawl.run("acme")
    assert result.returncode == 0, result.stderr[-3000:]
    assert session(engine)["status"] == "succeeded"
    assert "'jobcrawler/session/status': 'succeeded'" in result.stderr


def test_crawl_whose_board_fails_exits_1(crawl, engine):
    board = crawl.board("greenhouse", "acme", size=5)
    board.set_fault("http_500")
    result = crawl.run("acme", "-s", "RETRY_TIMES=0")
    assert session(engine)["status"] == "failed"
    assert result.returncode == 1, result.stderr[-3000:]


def test_crawl_whose_second_page_fails_exits_3(crawl, engine):
    board = crawl.board("lever", "acme", size=230)
    board.set_fault("http_500", page=1)
    result = crawl.run("acme", "-s", "RETRY_TIMES=0")
    assert session(engine)["status"] == "partial"
    assert result.returncode == 3, result.stderr[-3000:]


def test_crawl_can_be_told_not_to_record(crawl, engine, tmp_path: Path):
    crawl.board("greenhouse", "acme", size=5)
    out = tmp_path / "items.jsonl"
    result = crawl.run("acme", "-s", "JOBCRAWLER_RECORD=False", "-O", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(out.read_text().splitlines()) == 5
    assert snapshot(engine)["crawl_sessions"] == []


def test_crawl_of_an_unknown_company_is_a_usage_error(crawl):
    crawl.board("greenhouse", "acme", size=1)
    crawl.write_company("acme")
    result = scrapy(crawl, "crawl", "nosuch")
    assert result.returncode == 2
    assert "unknown company 'nosuch'" in result.stderr


def test_crawl_without_its_database_exits_5(crawl, tmp_path: Path):
    crawl.board("greenhouse", "acme", size=1)
    crawl.write_company("acme")
    down = f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite3'}"
    result = scrapy(crawl, "crawl", "acme", "-s", f"DATABASE_URL={down}")
    assert result.returncode == 5, result.stderr[-3000:]
