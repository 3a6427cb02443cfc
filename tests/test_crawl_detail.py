"""End to end for the list-then-detail platforms: SmartRecruiters, Workday and BambooHR.

Each crawl is a real `scrapy crawl` process against the fake ATS; the database and the
fake's request log are checked afterwards. Detail pages must be fetched only for new or
changed postings, and a listing that is incomplete in any way must remove nothing.
"""

from __future__ import annotations

import pytest

from fakeats import Board, FakeATS
from tests.helpers.crawling import (
    Crawl,
    rows,
    run,
    session,
    statuses,
)

PLATFORMS = ("smartrecruiters", "workday", "bamboohr")


@pytest.fixture
def crawl(fake_ats, db_url, tmp_path) -> Crawl:
    return Crawl(fake_ats, db_url, tmp_path)


def requests_of(fake: FakeATS, board: Board, kind: str) -> list:
    return [r for r in fake.requests if r.token == board.token and r.kind == kind]


def count_filled(engine, *columns: str) -> dict[str, int]:
    sql = ", ".join(f"count({c})" for c in columns)
    [counts] = rows(engine, f"SELECT {sql} FROM job_postings")
    return dict(zip(columns, counts, strict=True))


#: Columns each platform fills for every posting (the others are checked for "some").
ALWAYS = {
    "smartrecruiters": ("country", "remote_type", "employment_type", "department"),
    "workday": ("country", "employment_type"),
    "bamboohr": ("country", "employment_type", "department"),
}
SOMETIMES = {
    "smartrecruiters": ("city", "salary_min"),
    "workday": ("city", "remote_type", "salary_min"),
    "bamboohr": ("city", "remote_type", "salary_min"),
}
COMMON = ("title", "url", "apply_url", "location", "posted_at", "description", "description_html")


@pytest.mark.usefixtures("db_url")
@pytest.mark.parametrize("ats", PLATFORMS)
def test_details_of_new_postings_only(crawl, engine, fake_ats, ats):
    """A detail page per new posting, none on an unchanged recrawl; the fields they fill.
    The lifecycle of every platform is in test_platforms_contract.py."""
    options = {"remote_type": False} if ats == "workday" else {}  # a tenant without the field
    board = crawl.board(ats, "acme", size=60, **options)
    run(crawl, board)
    first = session(engine)
    assert (first["status"], first["new"]) == ("succeeded", 60)
    assert len(requests_of(fake_ats, board, "detail")) == 60
    filled = count_filled(engine, *COMMON, *ALWAYS[ats], *SOMETIMES[ats])
    assert all(filled[c] == 60 for c in (*COMMON, *ALWAYS[ats])), filled
    assert all(0 < filled[c] < 60 for c in SOMETIMES[ats]), filled

    fake_ats.clear_requests()
    run(crawl, board)
    assert (session(engine)["status"], session(engine)["unchanged"]) == ("succeeded", 60)
    assert requests_of(fake_ats, board, "detail") == []  # nothing changed: no detail page


@pytest.mark.usefixtures("db_url")
@pytest.mark.parametrize(("ats", "size"), [("smartrecruiters", 500), ("workday", 150)])
def test_recrawl_fetches_details_of_changed_postings_only(crawl, engine, fake_ats, ats, size):
    board = crawl.board(ats, "acme", size=size)
    run(crawl, board)
    lists = len(requests_of(fake_ats, board, "list"))
    descriptions = dict(rows(engine, "SELECT external_id, description FROM job_postings"))
    changed = board.change(3)

    fake_ats.clear_requests()
    run(crawl, board)
    second = session(engine)
    assert (second["status"], second["updated"], second["unchanged"]) == ("succeeded", 3, size - 3)
    details = requests_of(fake_ats, board, "detail")
    assert sorted(r.path.rsplit("/", 1)[-1] for r in details) == sorted(changed)
    assert len(requests_of(fake_ats, board, "list")) == lists
    now = dict(rows(engine, "SELECT external_id, description FROM job_postings"))
    kept = {i: d for i, d in now.items() if i not in changed}
    assert len(kept) == size - 3 and all(kept.values())
    assert kept == {i: descriptions[i] for i in kept}  # unchanged: stored description kept
    assert all(now[i] != descriptions[i] for i in changed)

    fake_ats.clear_requests()
    run(crawl, board, "-a", "refresh_details=true")
    third = session(engine)
    assert (third["status"], third["unchanged"], third["updated"]) == ("succeeded", size, 0)
    assert len(requests_of(fake_ats, board, "detail")) == size


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_capped_workday_tenant_is_split_and_retried(crawl, engine, fake_ats):
    """4,500 postings behind a 2,000 cap and pages of 20: all of them, each once.

    PostgreSQL only: 4,500 detail pages take a while, and SQLite adds nothing here.
    """
    board = crawl.board("workday", "acme", size=4500, cap=2000, description_bytes=200)
    board.set_fault("http_429", times=1, page=3, retry_after=0)
    run(crawl, board)
    first = session(engine)
    assert (first["status"], first["error"]) == ("succeeded", None)
    assert (first["new"], first["items"]) == (4500, 4500)
    assert rows(engine, "SELECT count(*), count(DISTINCT external_id) FROM job_postings") == [
        (4500, 4500)
    ]
    ids = [r[0] for r in rows(engine, "SELECT external_id FROM job_postings")]
    assert sorted(ids) == sorted(board.ids())
    lists = requests_of(fake_ats, board, "list")
    assert [r.status for r in lists].count(429) == 1  # retried, and the crawl still complete
    assert len(requests_of(fake_ats, board, "detail")) == 4500

    board.remove(5)
    board.set_fault("http_500", page=4)  # every retry of every partition's fifth page
    run(crawl, board)
    last = session(engine)
    assert last["status"] == "partial"
    assert last["removed"] == 0 and "HTTP 500" in last["error"]
    assert statuses(engine) == {"active": 4500}
