"""End to end: `scrapy crawl <company>` against the fake ATS, into SQLite and PostgreSQL.

Each crawl is a real `scrapy crawl` process; the database is checked afterwards.
"""

from __future__ import annotations

import json
import re

import pytest
from scrapy.utils.project import get_project_settings

from tests.helpers.crawling import Crawl, events, rows, session, statuses

pytestmark = pytest.mark.usefixtures("db_url")


@pytest.fixture
def crawl(fake_ats, db_url, tmp_path) -> Crawl:
    return Crawl(fake_ats, db_url, tmp_path)


def test_session_records_trigger_job_and_finish(crawl, engine):
    """The lifecycle of every platform is in test_platforms_contract.py."""
    crawl.board("greenhouse", "acme", size=5)
    result = crawl.run("acme", "-a", "_job=job-1", "-a", "trigger=schedule")
    assert result.returncode == 0, result.stderr[-3000:]
    first = session(engine)
    assert (first["status"], first["error"], first["new"]) == ("succeeded", None, 5)
    assert (first["trigger"], first["job_id"], first["finish_reason"]) == (
        "schedule",
        "job-1",
        "finished",
    )


def test_fields_are_filled_as_the_platform_allows(crawl, engine):
    crawl.board("lever", "acme", size=60)
    crawl.run("acme")
    filled = rows(
        engine,
        "SELECT count(title), count(url), count(apply_url), count(location), count(country),"
        " count(remote_type), count(employment_type), count(department), count(team),"
        " count(salary_min), count(salary_currency), count(posted_at), count(description),"
        " count(description_html), count(content_hash), count(*) FROM job_postings",
    )[0]
    total = filled[-1]
    assert total == 60
    # always present at Lever
    assert filled[0:3] == (total, total, total)
    assert filled[11:15] == (total, total, total, total)
    # present for most postings
    assert all(count > total // 2 for count in filled[3:9]), filled
    assert filled[9] > 0 and filled[10] == filled[9]


def test_database_io_stays_off_the_reactor_thread(crawl, engine):
    board = crawl.board("lever", "acme", size=150)  # two pages, two store batches
    crawl.run("acme")
    board.remove(2)
    extensions = json.dumps({"tests.helpers.ReactorThreadGuard": 0})
    settings = (
        "-s",
        f"EXTENSIONS={extensions}",
        "-s",
        "HOST_DELAY=0.01",
        "-s",
        "STORE_BATCH_SIZE=100",
    )
    result = crawl.run("acme", *settings)
    assert session(engine)["removed"] == 2
    [line] = re.findall(
        r"SQL statements: \d+ on the reactor thread, \d+ in worker threads", result.stderr
    )
    on_reactor, elsewhere = map(int, re.findall(r"\d+", line))
    assert on_reactor == 0 and elsewhere > 0, line


def test_posting_a_stage_fails_on_is_not_removed(crawl, engine):
    board = crawl.board("greenhouse", "acme", size=12)
    crawl.run("acme")
    [failing] = board.ids()[:1]
    pipelines = json.dumps(
        {**get_project_settings().getdict("ITEM_PIPELINES"), "tests.helpers.FailOnPipeline": 250}
    )
    result = crawl.run("acme", "-s", f"ITEM_PIPELINES={pipelines}", "-s", f"FAIL_ON_ID={failing}")
    assert "cannot handle this posting" in result.stderr
    last = session(engine)
    assert (last["removed"], last["unchanged"]) == (0, 12)
    assert statuses(engine) == {"active": 12}


@pytest.mark.parametrize(
    ("fault", "options", "why"),
    [
        ("http_500", {}, "HTTP 500"),
        ("http_429", {"retry_after": 0}, "HTTP 429"),
        ("truncated", {}, "invalid JSON"),
        ("invalid_json", {}, "invalid JSON"),
        ("html", {}, "invalid JSON"),
    ],
)
def test_failed_listing_removes_nothing(crawl, engine, fault, options, why):
    board = crawl.board("greenhouse", "acme", size=20)
    crawl.run("acme")
    board.remove(3)
    board.set_fault(fault, **options)
    crawl.run("acme")
    last = session(engine)
    assert last["status"] in ("partial", "failed")
    assert last["removed"] == 0
    assert why in last["error"]
    assert statuses(engine) == {"active": 20}
    assert events(engine, "removed") == 0


def test_lever_page_failure_is_partial(crawl, engine):
    board = crawl.board("lever", "acme", size=250)
    crawl.run("acme")
    board.remove(5)
    board.set_fault("http_500", page=1)
    crawl.run("acme")
    last = session(engine)
    assert last["status"] == "partial"
    assert last["removed"] == 0 and last["items"] > 0
    assert "HTTP 500" in last["error"]


def test_429_with_retry_after_is_retried(crawl, engine):
    board = crawl.board("lever", "acme", size=150)
    board.set_fault("http_429", times=1, page=1, retry_after=1)
    crawl.run("acme")
    last = session(engine)
    assert last["status"] == "succeeded", last["error"]
    assert last["new"] == 150
    token = crawl.companies["acme"][1]
    pages = [r.status for r in crawl.fake.requests if r.token == token and "skip=100" in r.target]
    assert pages == [429, 200]


def test_empty_board_by_error_is_withheld_then_confirmed(crawl, engine):
    board = crawl.board("ashby", "acme", size=30)
    crawl.run("acme")
    active = statuses(engine)["active"]
    board.set_fault("empty")
    crawl.run("acme")
    withheld = session(engine)
    assert withheld["status"] == "succeeded" and withheld["removed"] == 0
    assert "removals withheld" in withheld["error"]
    assert statuses(engine) == {"active": active}
    crawl.run("acme")
    assert session(engine)["removed"] == active
    assert statuses(engine) == {"removed": active}


def test_company_max_removal_ratio(crawl, engine):
    board = crawl.board("greenhouse", "acme", size=20)
    crawl.run("acme")
    board.remove(15)
    crawl.run("acme", max_removal_ratio=0.9)
    assert session(engine)["removed"] == 15


def test_cancelled_crawl_removes_nothing(crawl, engine):
    board = crawl.board("lever", "acme", size=300)
    crawl.run("acme")
    board.remove(10)
    crawl.run("acme", "-s", "CLOSESPIDER_PAGECOUNT=1")
    last = session(engine)
    assert last["finish_reason"] == "closespider_pagecount"
    assert last["status"] == "partial" and last["removed"] == 0
    assert "stopped early" in last["error"]


def test_feed_export_and_store_together(crawl, engine, tmp_path):
    crawl.board("greenhouse", "acme", size=5)
    out = tmp_path / "out.jsonl"
    result = crawl.run("acme", "-O", str(out))
    assert result.returncode == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 5 and '"posted_at": "' in lines[0] and "salary_text" not in lines[0]
    assert statuses(engine) == {"active": 5}
