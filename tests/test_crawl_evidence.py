"""End to end: removal needs evidence (real `scrapy crawl` processes on the fake ATS, both databases).

A listing that silently lost postings must end partial and remove nothing; a posting the
platform answers 404 for is removed; where the platform has no per-posting check, a posting
is removed only by the second complete crawl that misses it.
"""

from __future__ import annotations

import pytest

from tests.helpers.crawling import Crawl, rows, session, statuses

pytestmark = pytest.mark.usefixtures("db_url")


@pytest.fixture
def crawl(fake_ats, db_url, tmp_path) -> Crawl:
    return Crawl(fake_ats, db_url, tmp_path)


def checks(crawl: Crawl) -> list[int]:
    """Statuses of the per-posting requests the crawls of "acme" made."""
    token = crawl.companies["acme"][1]
    return [r.status for r in crawl.fake.requests if r.token == token and r.kind == "detail"]


def test_lever_page_answering_empty_removes_nothing(crawl, engine):
    """The issue's scenario: page 8 of 10 of a 1,000-posting board answers `200 []`."""
    board = crawl.board("lever", "acme", size=1000)
    assert crawl.run("acme").returncode == 0
    board.set_fault("empty", page=7)
    crawl.run("acme")
    last = session(engine)
    assert (last["status"], last["removed"]) == ("partial", 0)
    assert last["error"] == "page at skip=700 was empty but the next page has postings"
    assert statuses(engine) == {"active": 1000}
    assert rows(engine, "SELECT count(*) FROM job_events WHERE kind = 'removed'") == [(0,)]


def test_small_board_with_a_broken_listing_removes_nothing(crawl, engine):
    board = crawl.board("greenhouse", "acme", size=6)
    crawl.run("acme")
    board.set_fault("empty")  # 200 with no jobs and a matching meta.total: looks complete
    crawl.run("acme")
    last = session(engine)
    assert (last["status"], last["removed"]) == ("partial", 0)
    assert last["error"] == "5 postings missing from the listing still exist"
    assert statuses(engine) == {"active": 6}
    assert checks(crawl) == [200] * 5  # a sample of five, then no more requests


@pytest.mark.parametrize("ats", ["greenhouse", "workable"])
def test_posting_the_platform_answers_404_for_is_removed(crawl, engine, ats):
    board = crawl.board(ats, "acme", size=12)
    crawl.run("acme")
    removed = board.remove(2)
    crawl.run("acme")
    last = session(engine)
    assert (last["status"], last["removed"], last["error"]) == ("succeeded", 2, None)
    gone = rows(engine, "SELECT external_id FROM job_postings WHERE status = 'removed'")
    assert sorted(g[0] for g in gone) == sorted(removed)
    assert checks(crawl) == [404, 404]


def test_without_a_per_posting_check_the_second_complete_miss_removes(crawl, engine):
    board = crawl.board("ashby", "acme", size=12)
    crawl.run("acme")
    listed = len(crawl.listed_ids(board))
    board.remove(2)
    crawl.run("acme")
    first = session(engine)
    assert (first["status"], first["removed"]) == ("succeeded", 0)
    assert statuses(engine) == {"active": listed}
    crawl.run("acme")
    assert session(engine)["removed"] == 2
    assert statuses(engine) == {"active": listed - 2, "removed": 2}
