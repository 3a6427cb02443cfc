"""End to end: Personio XML and Teamtailor RSS boards crawled by `scrapy crawl` into a database."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.helpers.crawling import Crawl, rows, session, statuses

pytestmark = pytest.mark.usefixtures("db_url")


@pytest.fixture
def crawl(fake_ats, db_url, tmp_path) -> Crawl:
    return Crawl(fake_ats, db_url, tmp_path)


def listing_queries(crawl: Crawl) -> list[dict[str, str]]:
    token = crawl.companies["acme"][1]
    return [
        {k: v[0] for k, v in parse_qs(urlsplit(r.target).query).items()}
        for r in crawl.fake.requests
        if r.token == token and r.kind == "list"
    ]


def test_fields_are_filled(crawl, engine):
    crawl.board("personio", "acme", size=30)
    crawl.run("acme")
    token = crawl.companies["acme"][1]
    [(total, urls, locations, departments, employment, posted, described, salaried)] = rows(
        engine,
        "SELECT count(*), count(url), count(location), count(department),"
        " count(employment_type), count(posted_at), count(description), count(salary_min)"
        " FROM job_postings",
    )
    assert total == urls == locations == departments == employment == posted == described == 30
    assert salaried > 0  # pay stated in the description prose
    [(url,)] = rows(engine, "SELECT url FROM job_postings ORDER BY external_id LIMIT 1")
    assert url == f"{crawl.fake.base_url('personio', token)}/job/1100000"


def test_teamtailor_reads_every_page_of_a_700_board(crawl, engine):
    """Past the feed's 100 default and its 500 cap on per_page: nothing is lost."""
    crawl.board("teamtailor", "acme", size=700)
    crawl.run("acme")
    last = session(engine)
    assert (last["status"], last["new"]) == ("succeeded", 700)
    assert listing_queries(crawl) == [
        {"per_page": "200"},
        {"per_page": "200", "offset": "200"},
        {"per_page": "200", "offset": "400"},
        {"per_page": "200", "offset": "600"},
        {"per_page": "200", "offset": "700"},  # 100 items may be a per_page-less default
    ]
    [(remote, hybrid, onsite)] = rows(
        engine,
        "SELECT sum(CASE WHEN remote_type = 'remote' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN remote_type = 'hybrid' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN remote_type = 'onsite' THEN 1 ELSE 0 END) FROM job_postings",
    )
    assert remote > 0 and hybrid > 0 and onsite > 0


@pytest.mark.parametrize("ats", ["personio", "teamtailor"])
@pytest.mark.parametrize(
    ("fault", "why"),
    [
        ("http_500", "HTTP 500"),
        ("truncated", "invalid XML"),
        ("invalid_json", "invalid XML"),
        ("html", "not a <"),
    ],
)
def test_failed_listing_removes_nothing(crawl, engine, ats, fault, why):
    board = crawl.board(ats, "acme", size=20)
    crawl.run("acme")
    board.remove(3)
    board.set_fault(fault)
    crawl.run("acme")
    last = session(engine)
    assert last["status"] in ("partial", "failed")
    assert last["removed"] == 0
    assert why in last["error"]
    assert statuses(engine) == {"active": 20}


def test_teamtailor_later_page_failure_is_partial(crawl, engine):
    board = crawl.board("teamtailor", "acme", size=450)
    crawl.run("acme")
    board.remove(5)
    board.set_fault("http_500", page=1)
    crawl.run("acme")
    last = session(engine)
    assert (last["status"], last["removed"]) == ("partial", 0)
    assert last["items"] == 200  # page 0 only: the pages after the failed one are unknown
    assert "HTTP 500" in last["error"]


def test_personio_empty_feed_is_withheld(crawl, engine):
    board = crawl.board("personio", "acme", size=20)
    crawl.run("acme")
    board.set_fault("empty")
    crawl.run("acme")
    withheld = session(engine)
    assert (withheld["status"], withheld["removed"]) == ("succeeded", 0)
    assert "removals withheld" in withheld["error"]
    assert statuses(engine) == {"active": 20}
