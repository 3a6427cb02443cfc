"""End to end: careers sites without an ATS API crawled by `scrapy crawl` into a database.

JSON-LD sites through paged index pages and through sitemaps (job pages fetched again
only when their `<lastmod>` moved), a selector-read HTML site with detail pages, and a
JavaScript-built list drawn by Debian's Chromium.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from fakeats.platforms import get_platform
from jobcrawler.spiders.pages import DEFAULT_CHROMIUM
from tests.helpers.crawling import Crawl, rows, session, statuses

pytestmark = pytest.mark.usefixtures("db_url")

INDEX = {
    "careers_url": "https://acme.example/careers",
    "job_links": "a.job-link",
    "next_page": "a[rel=next]",
}
SITEMAP = get_platform("jsonld").company_keys("acme")  # the keys the contract test uses too
HTML = get_platform("html").company_keys("acme")
SITES = {"index": ("jsonld", INDEX), "sitemap": ("jsonld", SITEMAP), "html": ("html", HTML)}


@pytest.fixture
def crawl(fake_ats, db_url, tmp_path) -> Crawl:
    return Crawl(fake_ats, db_url, tmp_path)


def run(crawl: Crawl, site: dict[str, Any], *args: str, **extra: Any):
    """A crawl of company `acme`; YAML values written as JSON (valid YAML, no quoting worries)."""
    company = {key: json.dumps(value) for key, value in {**site, **extra}.items()}
    result = crawl.run("acme", *args, **company)
    crawl.check_exit(result, "acme")
    return result


def stored_ids(crawl: Crawl, ats: str) -> dict[str, str]:
    """Board id -> the external id the crawler stores (JSON-LD pages without `identifier`
    go by URL), for the postings now on the board."""
    board = crawl.fake.board(ats, crawl.companies["acme"][1])
    base = crawl.fake.base_url(ats, board.token)
    return {p.external_id: get_platform(ats).stored_id(p, base) for p in board.postings()}


def requests_of(crawl: Crawl, kind: str) -> list[Any]:
    """Requests to company `acme`'s site; job pages and detail pages are kind "detail"."""
    token = crawl.companies["acme"][1]
    return [r for r in crawl.fake.requests if r.token == token and r.kind == kind]


@pytest.mark.parametrize("name", SITES)
def test_job_pages_fetched_only_when_needed(crawl, engine, name):
    """Job pages on the first crawl; again only where the listing says they changed (a
    careers page says nothing: all of them), plus a 404 check of each missing posting.
    The lifecycle of every platform is in test_platforms_contract.py."""
    ats, site = SITES[name]
    board = crawl.board(ats, "acme", size=25)
    run(crawl, site)
    assert (session(engine)["status"], session(engine)["new"]) == ("succeeded", 25)
    stored = {r[0] for r in rows(engine, "SELECT external_id FROM job_postings")}
    expected = stored_ids(crawl, ats)
    assert stored == set(expected.values())
    if ats == "jsonld":
        assert any(i.startswith("http") for i in stored)  # some pages have no identifier

    crawl.fake.clear_requests()
    run(crawl, site)
    assert (session(engine)["status"], session(engine)["unchanged"]) == ("succeeded", 25)
    assert len(requests_of(crawl, "detail")) == (25 if name == "index" else 0)

    crawl.fake.clear_requests()
    board.remove(2)
    board.change(3)
    run(crawl, site)
    third = session(engine)
    assert (third["status"], third["removed"], third["updated"]) == ("succeeded", 2, 3)
    checks = [r.status for r in requests_of(crawl, "detail") if r.status == 404]
    assert (len(requests_of(crawl, "detail")), checks) == (
        (25 if name == "index" else 5),
        [404, 404],
    )


def seen_this_crawl(engine) -> int:
    """Active postings whose last_seen_at the last crawl moved."""
    sql = (
        "SELECT count(*) FROM job_postings WHERE status = 'active' AND last_seen_at >="
        " (SELECT started_at FROM crawl_sessions ORDER BY id DESC LIMIT 1)"
    )
    return rows(engine, sql)[0][0]


def test_sitemap_lastmod_fetches_changed_job_pages_only(crawl, engine):
    board = crawl.board("jsonld", "acme", size=30)
    run(crawl, SITEMAP)
    assert len(requests_of(crawl, "detail")) == 30
    ids = stored_ids(crawl, "jsonld")
    before = dict(rows(engine, "SELECT external_id, content_hash FROM job_postings"))

    changed = board.change(2)  # new title and description; their lastmod moves
    crawl.fake.clear_requests()
    run(crawl, SITEMAP)
    second = session(engine)
    assert (second["status"], second["new"], second["updated"], second["unchanged"]) == (
        "succeeded",
        0,
        2,
        28,
    )
    assert second["removed"] == 0 and statuses(engine) == {"active": 30}
    fetched = [r.path.rsplit("/", 1)[-1] for r in requests_of(crawl, "detail")]
    assert sorted(fetched) == sorted(changed)
    now = dict(rows(engine, "SELECT external_id, content_hash FROM job_postings"))
    assert {i for i in now if now[i] != before[i]} == {ids[i] for i in changed}
    assert seen_this_crawl(engine) == 30  # the pages not fetched were seen all the same

    [gone] = board.remove(1)
    crawl.fake.clear_requests()
    run(crawl, SITEMAP)
    third = session(engine)
    assert (third["status"], third["removed"], third["unchanged"]) == ("succeeded", 1, 29)
    assert [r.status for r in requests_of(crawl, "detail")] == [404]  # the removal's check
    assert rows(engine, "SELECT external_id FROM job_postings WHERE status = 'removed'") == [
        (ids[gone],)
    ]

    crawl.fake.clear_requests()
    run(crawl, SITEMAP, "-a", "refresh_details=true")
    forced = session(engine)
    assert (forced["status"], forced["unchanged"], forced["updated"]) == ("succeeded", 29, 0)
    assert len(requests_of(crawl, "detail")) == 29


def test_sitemap_without_lastmod_fetches_every_job_page(crawl, engine):
    crawl.board("jsonld", "acme", size=12, lastmod=False)
    run(crawl, SITEMAP)
    crawl.fake.clear_requests()
    run(crawl, SITEMAP)
    again = session(engine)
    assert (again["status"], again["unchanged"]) == ("succeeded", 12)
    assert len(requests_of(crawl, "detail")) == 12  # no change signal: nothing skipped


def test_fields_from_json_ld(crawl, engine):
    crawl.board("jsonld", "acme", size=30)
    run(crawl, INDEX)
    [(total, *filled)] = rows(
        engine,
        "SELECT count(*), count(title), count(url), count(location), count(country),"
        " count(employment_type), count(posted_at), count(description), count(salary_min)"
        " FROM job_postings",
    )
    assert filled[:3] == [total] * 3 and filled[5:7] == [total] * 2
    assert all(count > 0 for count in filled), filled
    remote = rows(engine, "SELECT count(*) FROM job_postings WHERE remote_type = 'remote'")[0][0]
    assert remote > 0  # jobLocationType TELECOMMUTE


@pytest.mark.parametrize(
    ("name", "fault", "why"),
    [
        ("index", {"kind": "http_500", "page": 1}, "HTTP 500"),
        ("index", {"kind": "truncated", "page": 2}, "cut off"),
        ("sitemap", {"kind": "http_500", "page": 1}, "HTTP 500"),
        ("html", {"kind": "http_500", "page": 1}, "HTTP 500"),
    ],
)
def test_listing_fault_removes_nothing(crawl, engine, name, fault, why):
    ats, site = SITES[name]
    board = crawl.board(ats, "acme", size=25)
    run(crawl, site)
    board.remove(3)
    options = dict(fault)
    board.set_fault(options.pop("kind"), **options)
    run(crawl, site)
    last = session(engine)
    assert last["status"] == "partial" and last["removed"] == 0
    assert why in last["error"]
    assert last["items"] + last["unchanged"] > 0  # the pages that did load were read
    assert statuses(engine) == {"active": 25}


def test_challenge_page_instead_of_the_list_is_withheld(crawl, engine):
    """A bot-protection page looks like an empty first page: the missing job pages still
    answer, so the crawl is partial and removes nothing."""
    board = crawl.board("jsonld", "acme", size=20)
    run(crawl, INDEX)
    board.set_fault("html", page=0)
    run(crawl, INDEX)
    last = session(engine)
    assert (last["status"], last["removed"]) == ("partial", 0)
    assert last["error"] == "5 postings missing from the listing still exist"
    assert statuses(engine) == {"active": 20}


def chromium() -> str:
    """The browser the render tests drive; missing, they skip locally and fail in CI."""
    path = DEFAULT_CHROMIUM
    if not Path(path).exists():
        message = f"{path} is missing: install Debian's chromium package to test render: true"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


@pytest.mark.parametrize(
    ("ats", "site"),
    [
        ("jsonld", {"careers_url": "https://acme.example/careers-js", "job_links": "a.job-link"}),
        ("html", {**HTML, "careers_url": "https://acme.example/jobs-js"}),
    ],
)
def test_javascript_list_needs_render(crawl, engine, ats, site):
    path = chromium()
    crawl.board(ats, "acme", size=12)

    result = run(crawl, site)
    plain = session(engine)
    assert (plain["status"], plain["new"], plain["removed"], plain["error"]) == (
        "succeeded",
        0,
        0,
        None,
    )  # plain HTTP sees an empty, complete list: on a fresh database nothing to remove
    assert "scrapy-playwright" not in result.stderr  # no browser for this company

    crawl.fake.clear_requests()
    result = run(crawl, site, "-s", f"PLAYWRIGHT_CHROMIUM_PATH={path}", render=True)
    rendered = session(engine)
    assert (rendered["status"], rendered["new"], rendered["error"]) == ("succeeded", 12, None)
    assert statuses(engine) == {"active": 12}
    stored = {r[0] for r in rows(engine, "SELECT external_id FROM job_postings")}
    assert stored == set(stored_ids(crawl, ats).values())
    assert "Browser chromium launched" in result.stderr
    token = crawl.companies["acme"][1]
    assert not [r for r in crawl.fake.requests if f"{token}/static/" in r.path]  # images aborted
