"""End to end: a posting dated only by relative text keeps its first date in real crawls."""

from __future__ import annotations

import pytest

from tests.helpers.crawling import Crawl, rows, run, session


@pytest.fixture
def crawl(fake_ats, db_url, tmp_path) -> Crawl:
    return Crawl(fake_ats, db_url, tmp_path)


@pytest.mark.usefixtures("db_url")
def test_workday_postedon_is_resolved_once(crawl, engine):
    """Without `startDate` the date comes from "Posted 3 Days Ago"; re-reading every detail
    a moment later resolves it to another instant, which must not count as an update."""
    board = crawl.board("workday", "acme", size=12, start_date=False)
    run(crawl, board)
    first = dict(rows(engine, "SELECT external_id, posted_at FROM job_postings"))
    assert len(first) == 12 and all(first.values())

    run(crawl, board, "-a", "refresh_details=true")
    again = session(engine)
    assert (again["status"], again["updated"], again["unchanged"]) == ("succeeded", 0, 12)
    assert dict(rows(engine, "SELECT external_id, posted_at FROM job_postings")) == first
