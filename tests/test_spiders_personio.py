"""Personio: the real XML feed shape, `.de`/`.com` tenant hosts and strict XML checks."""

from datetime import UTC, datetime

import pytest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from tests.helpers import fixture_response, make_spider, postings, response, start_requests

FEED = "https://nordlicht.jobs.personio.de/xml?language=en"
ORIGIN = "https://nordlicht.jobs.personio.de"


def parse(spider, resp, origin=ORIGIN):
    return postings(spider.parse_feed(resp, origin))


def test_start_asks_the_de_tenant_for_xml():
    [request] = start_requests(make_spider("personio", "nordlicht"))
    assert request.url == FEED
    assert request.headers[b"Accept"].startswith(b"application/xml")


def test_base_url_is_the_tenant_origin():
    com = "https://nordlicht.jobs.personio.com"
    [request] = start_requests(make_spider("personio", "nordlicht", base_url=com))
    assert request.url == f"{com}/xml?language=en"


def test_feed_parses():
    spider = make_spider("personio", "nordlicht")
    engineer, sourcer, student = parse(spider, fixture_response(FEED, "personio", "feed.xml"))
    assert spider.listing.complete

    assert engineer["external_id"] == "2207415"
    assert engineer["title"] == "Senior Backend Engineer, Fleet Telemetry"
    assert engineer["url"] == engineer["apply_url"] == f"{ORIGIN}/job/2207415"
    assert engineer["location"] == "Munich; Berlin"  # the repeated office is listed once
    assert (engineer["city"], engineer["country"]) == ("Munich", "DE")
    assert engineer["remote_type"] is None
    assert engineer["employment_type"] == "full_time"
    assert (engineer["department"], engineer["team"]) == ("Product and Tech", "Engineering")
    assert engineer["posted_at"] == datetime(2026, 3, 2, 8, 15, tzinfo=UTC)
    assert engineer["description"] == (
        "### Your tasks\n\n"
        "- Build the APIs our robots report to\n"
        "- Keep ingestion fast & boring\n\n"
        "### Your profile\n\n"
        "You have shipped Go or Kotlin services to production.\n\n"
        "### Why us?\n\n"
        "Salary: €70k–85k gross per year, depending on experience."
    )
    assert (engineer["salary_min"], engineer["salary_max"]) == (70000, 85000)
    assert (engineer["salary_currency"], engineer["salary_period"]) == ("EUR", "year")

    assert sourcer["title"] == "Talent Sourcer (m/f/d)"
    assert sourcer["employment_type"] == "part_time"  # permanent contract, part-time hours
    assert sourcer["location"] == "Home office"
    assert sourcer["remote_type"] == "remote"
    assert sourcer["salary_min"] is None

    assert student["employment_type"] == "internship"  # the contract wins over the hours
    assert student["location"] == "Hamburg"
    assert student["description"] is None


def test_job_urls_follow_the_configured_origin():
    origin = "http://127.0.0.1:8089/personio/nordlicht"
    spider = make_spider("personio", "nordlicht", base_url=origin)
    first = parse(spider, fixture_response(f"{origin}/xml", "personio", "feed.xml"), origin)[0]
    assert first["url"] == f"{origin}/job/2207415"


def not_found(request):
    failure = Failure(HttpError(response(request.url, "<html></html>", status=404)))
    failure.request = request
    return failure


def test_de_404_is_retried_once_on_com():
    spider = make_spider("personio", "nordlicht")
    [request] = start_requests(spider)
    [com] = spider.listing_error(not_found(request))
    assert com.url == "https://nordlicht.jobs.personio.com/xml?language=en"
    assert com.cb_kwargs == {"origin": "https://nordlicht.jobs.personio.com"}
    assert not spider.listing.errors
    assert spider.listing_error(not_found(com)) is None
    assert "HTTP 404" in spider.listing.problem


def test_404_with_a_configured_base_url_fails_at_once():
    spider = make_spider("personio", "nordlicht", base_url=ORIGIN)
    [request] = start_requests(spider)
    assert spider.listing_error(not_found(request)) is None
    assert "HTTP 404" in spider.listing.problem


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<?xml version='1.0'?><workzag-jobs><position><id>1</id><name>Eng", "invalid XML"),
        (b'{"jobs":[{"id":1,,,}]', "invalid XML"),
        (b"", "invalid XML"),
        (b"<!DOCTYPE html><html><body>Just a moment...</body></html>", "not a <workzag-jobs>"),
    ],
)
def test_broken_feeds_fail_the_listing(body, problem):
    spider = make_spider("personio", "nordlicht")
    assert parse(spider, response(FEED, body)) == []
    assert not spider.listing.complete
    assert problem in spider.listing.problem


def test_truncated_fixture_yields_nothing_and_fails():
    whole = fixture_response(FEED, "personio", "feed.xml").body
    spider = make_spider("personio", "nordlicht")
    assert parse(spider, response(FEED, whole[: len(whole) * 2 // 3])) == []
    assert "invalid XML" in spider.listing.problem


def test_empty_feed_is_a_complete_empty_board():
    spider = make_spider("personio", "nordlicht")
    assert parse(spider, response(FEED, b'<?xml version="1.0"?>\n<workzag-jobs/>')) == []
    assert spider.listing.complete
