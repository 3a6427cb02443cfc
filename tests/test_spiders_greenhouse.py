"""Greenhouse: a real board response (documented shape) parses into correct postings."""

from datetime import UTC, datetime

from tests.helpers import fixture_response, make_spider, postings, response, start_requests

URL = "https://boards-api.greenhouse.io/v1/boards/algolia/jobs?content=true"


def test_start_requests_the_whole_board_with_content():
    [request] = start_requests(make_spider("greenhouse", "algolia"))
    assert request.url == URL
    assert request.headers[b"Accept"] == b"application/json"


def test_board_parses_into_postings():
    spider = make_spider("greenhouse", "algolia")
    first, second = postings(spider.parse_board(fixture_response(URL, "greenhouse", "board.json")))
    assert spider.listing.complete
    assert first["external_id"] == "6141481004"
    assert first["title"] == "Account Manager - Dutch speaking"
    assert first["url"] == "https://job-boards.greenhouse.io/algolia/jobs/6141481004"
    assert (first["location"], first["city"], first["country"]) == (
        "London, England",
        "London",
        "GB",
    )
    assert first["department"] == "Direct Sales"
    assert first["posted_at"] == datetime(2026, 8, 18, 13, 26, 35, tzinfo=UTC)
    assert "<script>" not in first["description_html"]
    assert "<h2>What you will do</h2>" in first["description_html"]
    assert "Grow accounts" in first["description"]
    assert (first["salary_min"], first["salary_max"], first["salary_currency"]) == (
        60000,
        75000,
        "GBP",
    )
    assert first["salary_period"] == "year"
    assert first["remote_type"] is None

    assert second["remote_type"] == "remote"
    assert second["country"] == "US"
    assert second["employment_type"] == "contract"
    assert second["posted_at"] == datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


def test_total_mismatch_makes_listing_incomplete():
    spider = make_spider("greenhouse", "algolia")
    body = '{"jobs": [], "meta": {"total": 3}}'
    assert postings(spider.parse_board(response(URL, body))) == []
    assert not spider.listing.complete
    assert "meta.total is 3 but 0 jobs came" in spider.listing.problem


def test_invalid_json_makes_listing_incomplete():
    spider = make_spider("greenhouse", "algolia")
    assert postings(spider.parse_board(response(URL, '{"jobs": [{"id": 1'))) == []
    assert spider.listing.problem.startswith("invalid JSON (no content type) at " + URL)


def test_empty_board_is_complete():
    spider = make_spider("greenhouse", "algolia")
    assert postings(spider.parse_board(response(URL, '{"jobs": [], "meta": {"total": 0}}'))) == []
    assert spider.listing.complete
