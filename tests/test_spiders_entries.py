"""CompanySpider.entries: an entry that fails to parse costs only itself, on every platform.

Each listing fixture is parsed twice: once as it is, once with the spider's per-entry
parser raising on the second entry. The second run must give every other posting (or
detail request), keep the failed entry's id as seen, count and log the error, and leave
the listing exactly as complete as the first run did.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
import scrapy
from scrapy.http import HtmlResponse, TextResponse

from jobcrawler.items import JobPosting
from tests.helpers import (
    COMEET_URL,
    FILES,
    SMARTRECRUITERS_URL,
    comeet_spider,
    fixture_response,
    html_spider,
    make_spider,
    postings,
    response,
    smartrecruiters_spider,
    start_requests,
    workday_spider,
)
from tests.helpers import HTML_CAREERS as CAREERS
from tests.helpers import HTML_DETAIL as DETAIL
from tests.helpers import HTML_SELECTORS as SELECTORS
from tests.helpers import html_page as html

GREENHOUSE = "https://boards-api.greenhouse.io/v1/boards/algolia/jobs?content=true"
LEVER = "https://api.lever.co/v0/postings/spotify?mode=json&skip=0&limit=100"


def parse_listing(spider: Any, fixture: tuple[str, ...], url: str = "") -> list[Any]:
    """The results of the spider's first listing callback on a fixture file."""
    [start] = start_requests(spider)
    return list(start.callback(fixture_response(url or start.url, *fixture), **start.cb_kwargs))


def parse_lever(spider: Any, body: str | bytes) -> list[Any]:
    """A Lever page and, after a short one, the empty next page that confirms the end."""
    [start] = start_requests(spider)
    results = list(start.callback(response(start.url, body), **start.cb_kwargs))
    for request in [r for r in results if isinstance(r, scrapy.Request)]:
        results += request.callback(response(request.url, "[]"), **request.cb_kwargs)
    return results


#: platform -> (spider factory, per-entry parser, how to parse its listing fixture)
LISTINGS: dict[str, tuple[Callable[[], Any], str, Callable[[Any], list[Any]]]] = {
    "greenhouse": (
        lambda: make_spider("greenhouse", "algolia"),
        "parse_job",
        lambda s: parse_listing(s, ("greenhouse", "board.json"), GREENHOUSE),
    ),
    "lever": (
        lambda: make_spider("lever", "spotify"),
        "parse_posting",
        lambda s: parse_lever(s, FILES.joinpath("lever", "postings.json").read_bytes()),
    ),
    "ashby": (
        lambda: make_spider("ashby", "airbyte"),
        "parse_job",
        lambda s: parse_listing(s, ("ashby", "board.json")),
    ),
    "breezy": (
        lambda: make_spider("breezy", "harborline"),
        "parse_position",
        lambda s: parse_listing(s, ("breezy", "positions.json")),
    ),
    "comeet": (
        comeet_spider,
        "parse_position",
        lambda s: parse_listing(s, ("comeet", "positions.json"), COMEET_URL),
    ),
    "recruitee": (
        lambda: make_spider("recruitee", "tulpwerk"),
        "parse_offer",
        lambda s: parse_listing(s, ("recruitee", "offers.json")),
    ),
    "workable": (
        lambda: make_spider("workable", "kestrel"),
        "parse_job",
        lambda s: parse_listing(s, ("workable", "account.json")),
    ),
    "bamboohr": (
        lambda: make_spider("bamboohr", "harbourlaw"),
        "list_entry",
        lambda s: parse_listing(s, ("bamboohr", "list.json")),
    ),
    "smartrecruiters": (
        smartrecruiters_spider,
        "summary",
        lambda s: parse_listing(s, ("smartrecruiters", "postings.json"), SMARTRECRUITERS_URL),
    ),
    "workday": (
        workday_spider,
        "list_entry",
        lambda s: parse_listing(s, ("workday", "jobs.json")),
    ),
    "personio": (
        lambda: make_spider("personio", "nordlicht"),
        "parse_position",
        lambda s: parse_listing(s, ("personio", "feed.xml")),
    ),
    "teamtailor": (
        lambda: make_spider("teamtailor", "kuusi"),
        "parse_item",
        lambda s: parse_listing(s, ("teamtailor", "jobs.rss")),
    ),
    "html": (
        html_spider,
        "parse_item",
        lambda s: list(s.parse_index(html(CAREERS, "openings.html"), first=True)),
    ),
    "html-details": (
        lambda: html_spider({**SELECTORS, **DETAIL}),
        "parse_item",
        lambda s: list(s.parse_index(html(CAREERS, "openings.html"), first=True)),
    ),
}


def fail_on_second_call(spider: Any, name: str) -> None:
    """Make the spider's parser `name` raise on the second entry it is given."""
    real = getattr(spider, name)
    calls = itertools.count()

    def parse(*args: Any) -> Any:
        if next(calls) == 1:
            raise TypeError("a field of the wrong type")
        return real(*args)

    setattr(spider, name, parse)


def ids(results: list[Any]) -> set[str]:
    """Ids of the postings and detail requests among callback results."""
    found = set()
    for result in results:
        if isinstance(result, JobPosting):
            found.add(result["external_id"])
        elif isinstance(result, scrapy.Request) and "external_id" in result.meta:
            found.add(result.meta["external_id"])
    return found


@pytest.mark.parametrize("platform", LISTINGS)
def test_a_failing_listing_entry_costs_only_itself(platform, caplog):
    make, parser, parse = LISTINGS[platform]
    intact = make()
    expected = ids(parse(intact))
    assert len(expected) >= 2 and intact.listing.complete

    spider = make()
    fail_on_second_call(spider, parser)
    with caplog.at_level(logging.ERROR):
        got = ids(parse(spider))

    [lost] = expected - got
    assert got == expected - {lost}
    assert lost in spider.listing.seen_without_item
    assert spider.listing.complete, spider.listing.problem
    assert spider.crawler.stats.get_value("jobcrawler/entries/errors") == 1
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert spider.company.slug in record.getMessage() and lost in record.getMessage()


#: platform -> (detail fixture, the parser the detail callback hands its data to)
DETAILS = {
    "bamboohr": (("bamboohr", "detail.json"), "parse_job"),
    "smartrecruiters": (("smartrecruiters", "posting.json"), "parse_posting"),
    "workday": (("workday", "job.json"), "parse_posting"),
    "html-details": (("html", "opening.html"), "detail_posting"),
}


def detail_response(request: scrapy.Request, fixture: tuple[str, ...]) -> TextResponse:
    cls = HtmlResponse if fixture[-1].endswith(".html") else TextResponse
    return cls(request.url, body=FILES.joinpath(*fixture).read_bytes(), request=request)


@pytest.mark.parametrize("platform", DETAILS)
def test_a_detail_page_that_fails_to_parse_keeps_its_posting(platform):
    make, _, parse = LISTINGS[platform]
    fixture, parser = DETAILS[platform]
    spider = make()
    [request, *_] = [r for r in parse(spider) if "external_id" in getattr(r, "meta", {})]
    page = detail_response(request, fixture)
    assert postings(request.callback(page, **request.cb_kwargs))  # the page itself parses

    setattr(spider, parser, lambda *args: 1 / 0)
    assert list(request.callback(page, **request.cb_kwargs)) == []
    assert request.meta["external_id"] in spider.listing.seen_without_item
    assert spider.crawler.stats.get_value("jobcrawler/entries/errors") == 1
    assert spider.listing.complete


def test_a_jsonld_posting_that_fails_to_parse_keeps_its_id():
    job = "https://quayside.example/careers/jobs/101-warehouse-associate"
    spider = make_spider(
        "jsonld", "quayside", careers_url="https://quayside.example/careers", job_links="a"
    )
    page = HtmlResponse(
        job, body=FILES.joinpath("jsonld", "job_graph.html").read_bytes(), encoding="utf-8"
    )
    [intact] = postings(spider.parse_job_page(page, job))
    spider.parse_posting = lambda *args: 1 / 0
    assert list(spider.parse_job_page(page, job)) == []
    assert intact["external_id"] in spider.listing.seen_without_item
    assert spider.crawler.stats.get_value("jobcrawler/entries/errors") == 1


# -- malformed entries as real boards send them ----------------------------------------------


def greenhouse_job(job_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": job_id,
        "title": f"Job {job_id}",
        "absolute_url": f"https://job-boards.greenhouse.io/acme/jobs/{job_id}",
        **fields,
    }


def greenhouse_board(*jobs: Any) -> TextResponse:
    body = json.dumps({"jobs": list(jobs), "meta": {"total": len(jobs)}})
    return response("https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true", body)


def test_greenhouse_fields_of_the_wrong_type():
    spider = make_spider("greenhouse")
    board = greenhouse_board(
        greenhouse_job(1),
        greenhouse_job(2, content=12345, location="Berlin, Germany"),  # read as far as sane
        greenhouse_job(3, departments=7),  # cannot be read: kept as seen
        greenhouse_job(4, offices="HQ", metadata="full-time"),
        greenhouse_job(5),
    )
    found = {p["external_id"]: p for p in postings(spider.parse_board(board))}
    assert sorted(found) == ["1", "2", "4", "5"]
    assert found["2"]["location"] == "Berlin, Germany" and found["2"]["description"] is None
    assert spider.listing.seen_without_item == {"3"}
    assert spider.listing.complete
    assert spider.crawler.stats.get_value("jobcrawler/entries/errors") == 1


@pytest.mark.parametrize("unreadable", [None, "a string", [1, 2], {"departments": 7}])
def test_greenhouse_entry_without_a_readable_id_makes_the_listing_partial(unreadable):
    spider = make_spider("greenhouse")
    board = greenhouse_board(greenhouse_job(1), unreadable, greenhouse_job(2))
    assert [p["external_id"] for p in postings(spider.parse_board(board))] == ["1", "2"]
    assert not spider.listing.complete
    assert "without a readable id" in spider.listing.problem
    assert spider.crawler.stats.get_value("jobcrawler/entries/errors") == 1


def test_lever_categories_as_a_string_and_broken_lists():
    spider = make_spider("lever", "spotify")
    good = {"id": "a", "text": "Engineer", "hostedUrl": "https://jobs.lever.co/spotify/a"}
    page = [
        good,
        {**good, "id": "b", "categories": "Engineering", "salaryRange": "lots"},
        {**good, "id": "c", "lists": "not a list of blocks"},
        None,
        {**good, "id": "d"},
    ]
    results = parse_lever(spider, json.dumps(page))
    assert [p["external_id"] for p in postings(results)] == ["a", "b", "d"]
    assert spider.listing.seen_without_item == {"c"}
    assert spider.listing.finished  # a short page: paging ended as before
    assert "without a readable id" in spider.listing.problem  # the null posting
    assert spider.crawler.stats.get_value("jobcrawler/entries/errors") == 2


def test_lever_a_null_first_posting_does_not_stop_the_page():
    spider = make_spider("lever", "spotify")
    good = {"id": "a", "text": "Engineer", "hostedUrl": "https://jobs.lever.co/spotify/a"}
    results = parse_lever(spider, json.dumps([None, good]))
    assert [p["external_id"] for p in postings(results)] == ["a"]
    assert spider.listing.finished and not spider.listing.complete


def test_teamtailor_pages_on_the_items_listed_not_the_items_parsed():
    """A full page with one unparsable item is still a full page: the next one is asked."""
    items = "".join(
        f"<item><title>Job {n}</title><link>https://kuusi.teamtailor.com/jobs/{n}-job</link>"
        f"<guid>{n}</guid></item>"
        for n in range(200)
    )
    rss = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
    spider = make_spider("teamtailor", "kuusi")
    fail_on_second_call(spider, "parse_item")
    [start] = start_requests(spider)
    results = list(spider.parse_page(response(start.url, rss), 0))
    assert len(postings(results)) == 199
    [following] = [r for r in results if isinstance(r, scrapy.Request)]
    assert following.cb_kwargs == {"offset": 200}
    assert spider.listing.seen_without_item == {"1"}
    assert not spider.listing.finished


def test_workday_detail_with_odd_fields_keeps_its_posting():
    spider = workday_spider()
    [start] = start_requests(spider)
    listing = spider.parse_page(fixture_response(start.url, "workday", "jobs.json"), {}, 0, 0, 0)
    [request, *_] = [r for r in listing if "external_id" in r.meta]
    odd = {"jobPostingInfo": {"title": "Fitter", "additionalLocations": 5, "country": "NZ"}}
    page = TextResponse(request.url, body=json.dumps(odd).encode(), request=request)
    assert list(request.callback(page, **request.cb_kwargs)) == []
    assert request.meta["external_id"] in spider.listing.seen_without_item


@pytest.mark.parametrize(
    ("platform", "fixture", "key"),
    [
        ("bamboohr", ("bamboohr", "list.json"), "result"),
        ("smartrecruiters", ("smartrecruiters", "postings.json"), "content"),
    ],
)
def test_a_listing_entry_without_an_id_makes_the_listing_partial(platform, fixture, key):
    """Such an entry can't be counted as seen, so the crawl may not remove anything."""
    spider = LISTINGS[platform][0]()
    [start] = start_requests(spider)
    payload = json.loads(FILES.joinpath(*fixture).read_bytes())
    del payload[key][1]["id"]
    results = list(start.callback(response(start.url, json.dumps(payload)), **start.cb_kwargs))
    assert len([r for r in results if isinstance(r, scrapy.Request)]) >= len(payload[key]) - 1
    assert not spider.listing.complete
    assert "without a readable id" in spider.listing.problem
    assert spider.crawler.stats.get_value("jobcrawler/entries/errors") == 1
