"""End to end: a malformed listing entry costs only itself in a real `scrapy crawl`.

Each crawl is a real process against the fake ATS, writing to SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest

from tests.helpers.crawling import Crawl, events, rows, session, statuses

pytestmark = pytest.mark.usefixtures("db_url")


@pytest.fixture
def crawl(fake_ats, db_url, tmp_path) -> Crawl:
    return Crawl(fake_ats, db_url, tmp_path)


def error_count(engine) -> int:
    return rows(engine, "SELECT error_count FROM crawl_sessions ORDER BY id DESC LIMIT 1")[0][0]


def test_greenhouse_malformed_job_costs_only_itself(crawl, engine):
    board = crawl.board("greenhouse", "acme", size=12)
    crawl.run("acme")
    assert (session(engine)["status"], statuses(engine)) == ("succeeded", {"active": 12})

    board.remove(2)  # really gone: a complete crawl must still remove these two
    bad = crawl.listed_ids(board)[3]
    board.set_fault("malformed_entry", entry=3, field="departments", value=7)
    result = crawl.run("acme")
    assert f"could not parse entry '{bad}'" in result.stderr
    second = session(engine)
    assert (second["status"], second["error"]) == ("succeeded", None)
    assert (second["removed"], second["unchanged"], second["items"]) == (2, 10, 9)
    assert error_count(engine) >= 1
    assert statuses(engine) == {"active": 10, "removed": 2}
    assert events(engine, "removed") == 2

    board.remove(1)
    board.set_fault("malformed_entry", entry=0)  # a null job: its id cannot be read
    crawl.run("acme")
    third = session(engine)
    assert third["status"] == "partial"
    assert "without a readable id" in third["error"]
    assert third["removed"] == 0
    assert statuses(engine) == {"active": 10, "removed": 2}
