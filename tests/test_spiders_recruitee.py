"""Recruitee: real offer shapes, string salaries, work-mode booleans, tenant host."""

from datetime import UTC, datetime

from tests.helpers import fixture_response, make_spider, postings, response, start_requests

URL = "https://tulpwerk.recruitee.com/api/offers/"


def test_start_asks_the_tenant_host():
    [request] = start_requests(make_spider("recruitee", "tulpwerk"))
    assert request.url == URL
    assert request.headers[b"Accept"] == b"application/json"


def test_base_url_is_the_tenant_origin():
    spider = make_spider("recruitee", "tulpwerk", base_url="https://werken.tulpwerk.example/")
    [request] = start_requests(spider)
    assert request.url == "https://werken.tulpwerk.example/api/offers/"


def test_offers_parse_and_unpublished_are_skipped():
    spider = make_spider("recruitee", "tulpwerk")
    support, intern = postings(
        spider.parse_offers(fixture_response(URL, "recruitee", "offers.json"))
    )
    assert spider.listing.complete
    assert spider.crawler.stats.get_value("jobcrawler/recruitee/unpublished") == 1

    assert support["external_id"] == "3184207"
    assert support["title"] == "Support Engineer - Dutch speaking"
    assert support["url"] == "https://werken.tulpwerk.example/o/support-engineer-dutch-speaking-2"
    assert support["apply_url"] == support["url"] + "/c/new"
    assert support["location"] == "Rotterdam, Zuid-Holland, Netherlands"
    assert (support["city"], support["region"], support["country"]) == (
        "Rotterdam",
        "Zuid-Holland",
        "NL",
    )
    assert support["remote_type"] == "hybrid"
    assert support["employment_type"] == "full_time"
    assert support["department"] == "Customer Support"
    assert (support["salary_min"], support["salary_max"]) == (3400, 4600)  # from "3400"
    assert (support["salary_currency"], support["salary_period"]) == ("EUR", "month")
    assert support["posted_at"] == datetime(2026, 3, 2, 10, 5, 13, tzinfo=UTC)
    # description then requirements
    assert support["description"] == (
        "Tulpwerk makes planning software for greenhouses.\n\n"
        "#### What you bring\n\n- Fluent Dutch and English"
    )

    assert intern["location"] == "Berlin, Germany; Lisbon, Portugal"  # all of `locations[]`
    assert intern["country"] == "DE"
    assert intern["remote_type"] == "remote"
    assert intern["employment_type"] == "internship"
    assert intern["salary_min"] is None and intern["salary_currency"] is None  # nulls
    assert intern["posted_at"] == datetime(2026, 3, 5, 8, 0, tzinfo=UTC)  # created_at fallback
    assert intern["description"] == "Help us measure what growers need."


def test_no_work_mode_flag_leaves_it_to_the_text():
    spider = make_spider("recruitee", "tulpwerk")
    body = '{"offers": [{"id": 1, "title": "Clerk", "location": "Utrecht", "remote": false,'
    body += ' "hybrid": false, "on_site": false}]}'
    [clerk] = postings(spider.parse_offers(response(URL, body)))
    assert clerk["remote_type"] is None
    assert spider.listing.complete


def test_payload_without_offers_fails_the_listing():
    for body in ('{"error": "Not found"}', "[]", "<html>"):
        spider = make_spider("recruitee", "tulpwerk")
        assert postings(spider.parse_offers(response(URL, body))) == []
        assert not spider.listing.complete
        assert spider.listing.problem
