"""Teamtailor: the real RSS shape, per_page/offset paging past the 100-item default."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import pytest
import scrapy

from tests.helpers import fixture_response, make_spider, postings, response, start_requests

FEED = "https://kuusi.teamtailor.com/jobs.rss"


def query(request):
    return {k: v[0] for k, v in parse_qs(urlparse(request.url).query).items()}


def rss(ids) -> str:
    items = "".join(
        f"<item><title>Job {i}</title><link>https://kuusi.teamtailor.com/jobs/{i}-job</link>"
        f"<guid>guid-{i}</guid><remoteStatus>none</remoteStatus></item>"
        for i in ids
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        f'xmlns:tt="https://teamtailor.com/locations"><channel><title>K</title>{items}'
        "</channel></rss>"
    )


def page(spider, ids, offset=0):
    results = list(spider.parse_page(response(f"{FEED}?offset={offset}", rss(ids)), offset))
    requests = [r for r in results if isinstance(r, scrapy.Request)]
    return postings(results), requests


def test_start_asks_for_200_per_page():
    [request] = start_requests(make_spider("teamtailor", "kuusi"))
    assert request.url == f"{FEED}?per_page=200"
    assert request.headers[b"Accept"].startswith(b"application/xml")


def test_custom_careers_host():
    spider = make_spider("teamtailor", "kuusi", base_url="https://careers.kuusi.example")
    [request] = start_requests(spider)
    assert request.url == "https://careers.kuusi.example/jobs.rss?per_page=200"


def test_feed_parses():
    spider = make_spider("teamtailor", "kuusi")
    resp = fixture_response(f"{FEED}?per_page=200", "teamtailor", "jobs.rss")
    sre, sales, support, office = postings(spider.parse_page(resp, 0))
    assert spider.listing.complete  # 4 items: a short page

    assert sre["external_id"] == "6120457"  # from the link, not the guid
    assert sre["title"] == "Site Reliability Engineer"
    assert (
        sre["url"]
        == sre["apply_url"]
        == ("https://kuusi.teamtailor.com/jobs/6120457-site-reliability-engineer")
    )
    assert sre["location"] == "Helsinki, Finland"
    assert (sre["city"], sre["country"]) == ("Helsinki", "FI")
    assert sre["remote_type"] == "remote"
    assert (sre["department"], sre["team"]) == ("Infrastructure", "Site Reliability")
    assert sre["posted_at"] == datetime(2026, 5, 18, 6, 12, 44, tzinfo=UTC)
    assert sre["description"] == (
        "Keep our R&D clusters healthy.\n\n- On-call one week in six"
    )  # unescaped once by the XML parser, not twice
    assert sre["employment_type"] is None and sre["salary_min"] is None

    assert sales["location"] == "Stockholm, Sweden; Oslo, Norway"
    assert (sales["city"], sales["country"]) == ("Stockholm", "SE")
    assert sales["remote_type"] == "hybrid"

    assert support["remote_type"] == "hybrid"  # "temporary": remote for now
    assert support["location"] is None and support["country"] is None
    assert support["posted_at"] == datetime(2026, 5, 22, 7, 30, tzinfo=UTC)

    assert office["remote_type"] == "onsite"
    assert office["department"] == "People & Operations"


def test_full_pages_are_followed_by_offset_until_a_short_page():
    spider = make_spider("teamtailor", "kuusi")
    first, [second] = page(spider, range(1, 201))
    assert len(first) == 200
    assert query(second) == {"per_page": "200", "offset": "200"}
    assert not spider.listing.finished
    more, none = page(spider, range(201, 251), offset=200)
    assert (len(more), none) == (50, [])
    assert spider.listing.complete


def test_a_page_of_exactly_100_is_confirmed():
    """A feed that ignored per_page answers its default 100: the next offset must be read."""
    spider = make_spider("teamtailor", "kuusi")
    first, [second] = page(spider, range(1, 101))
    assert len(first) == 100
    assert query(second)["offset"] == "100"
    more, [third] = page(spider, range(101, 201), offset=100)
    assert query(third)["offset"] == "200"
    rest, none = page(spider, range(201, 231), offset=200)
    assert (len(more), len(rest), none) == (100, 30, [])
    assert spider.listing.complete


def test_empty_page_after_a_full_one_ends_the_listing():
    spider = make_spider("teamtailor", "kuusi")
    page(spider, range(1, 201))
    assert page(spider, [], offset=200) == ([], [])
    assert spider.listing.complete


def test_ignored_offset_is_incomplete():
    spider = make_spider("teamtailor", "kuusi")
    page(spider, range(1, 201))
    again, none = page(spider, range(1, 201), offset=200)
    assert (again, none) == ([], [])
    assert "offset ignored" in spider.listing.problem


def test_postings_pushed_to_the_next_page_are_not_repeated():
    spider = make_spider("teamtailor", "kuusi")
    page(spider, range(1, 201))
    more, _ = page(spider, range(200, 210), offset=200)  # a new posting shifted #200 down
    assert [p["external_id"] for p in more] == [str(i) for i in range(201, 210)]
    assert spider.crawler.stats.get_value("jobcrawler/teamtailor/repeated") == 1
    assert spider.listing.complete


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (rss(range(1, 5))[:-40], "invalid XML"),
        (b'{"jobs":[{"id":1,,,}]', "invalid XML"),
        (b"<!DOCTYPE html><html><body>Just a moment...</body></html>", "not a <rss>"),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "not a <rss>"),
    ],
)
def test_broken_feeds_fail_the_listing(body, problem):
    spider = make_spider("teamtailor", "kuusi")
    assert list(spider.parse_page(response(FEED, body), 0)) == []
    assert not spider.listing.complete
    assert problem in spider.listing.problem


def test_link_without_an_id_falls_back_to_the_guid():
    body = rss([1]).replace("/jobs/1-job", "/jobs/open-application")
    spider = make_spider("teamtailor", "kuusi")
    [only] = postings(spider.parse_page(response(FEED, body), 0))
    assert only["external_id"] == "guid-1"
