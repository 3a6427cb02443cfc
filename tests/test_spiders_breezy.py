"""Breezy HR: real portal shapes, free-text salary, location objects, tenant host."""

from datetime import UTC, datetime

from tests.helpers import fixture_response, make_spider, postings, response, start_requests

URL = "https://harborline.breezy.hr/json?verbose=true"


def test_start_asks_for_verbose_json_on_the_tenant_host():
    [request] = start_requests(make_spider("breezy", "harborline"))
    assert request.url == URL


def test_base_url_is_the_tenant_origin():
    [request] = start_requests(make_spider("breezy", "harborline", base_url="http://127.0.0.1:9/b"))
    assert request.url == "http://127.0.0.1:9/b/json?verbose=true"


def test_positions_parse():
    spider = make_spider("breezy", "harborline")
    results = spider.parse_positions(fixture_response(URL, "breezy", "positions.json"))
    warehouse, engineer = postings(results)
    assert spider.listing.complete

    assert warehouse["external_id"] == "5c1e0aa9d1f3"
    assert warehouse["title"] == "Warehouse Associate"
    assert warehouse["url"] == "https://harborline.breezy.hr/p/5c1e0aa9d1f3-warehouse-associate"
    assert warehouse["location"] == "Tampa, FL"
    assert (warehouse["city"], warehouse["region"], warehouse["country"]) == (
        "Tampa",
        "Florida",
        "US",
    )
    assert warehouse["remote_type"] is None
    assert warehouse["employment_type"] is None  # type "Other"
    assert warehouse["department"] == "Operations"
    # free-text salary string
    assert (warehouse["salary_min"], warehouse["salary_max"]) == (19.5, 23)
    assert (warehouse["salary_currency"], warehouse["salary_period"]) == ("USD", "hour")
    assert warehouse["posted_at"] == datetime(2026, 1, 20, 15, 2, 11, 318000, tzinfo=UTC)
    assert warehouse["description"] == "Load, unload and keep the dock moving."

    assert engineer["location"] == "Remote, United States; Toronto, ON"
    assert engineer["remote_type"] == "remote"  # location.is_remote
    assert engineer["employment_type"] == "full_time"
    assert engineer["country"] == "US"
    # no salary field: the description prose is read instead
    assert (engineer["salary_min"], engineer["salary_max"]) == (120000, 150000)
    assert engineer["salary_period"] == "year"


def test_non_list_payload_fails_the_listing():
    spider = make_spider("breezy", "harborline")
    assert postings(spider.parse_positions(response(URL, '{"error": "x"}'))) == []
    assert not spider.listing.complete
    assert "expected a JSON list" in spider.listing.problem


def test_empty_portal_is_complete():
    spider = make_spider("breezy", "harborline")
    assert postings(spider.parse_positions(response(URL, "[]"))) == []
    assert spider.listing.complete
