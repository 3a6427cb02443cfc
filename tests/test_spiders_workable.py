"""Workable widget: one row per location merged per shortcode, telecommuting, dates."""

import json
from datetime import UTC, datetime

from tests.helpers import fixture_response, make_spider, postings, response, start_requests

URL = "https://apply.workable.com/api/v1/widget/accounts/kestrel?details=true"


def test_start_asks_for_details():
    [request] = start_requests(make_spider("workable", "kestrel"))
    assert request.url == URL


def test_base_url_replaces_the_api_origin():
    [request] = start_requests(make_spider("workable", "kestrel", base_url="http://127.0.0.1:9"))
    assert request.url == "http://127.0.0.1:9/api/v1/widget/accounts/kestrel?details=true"


def test_per_location_duplicate_rows_give_one_posting_per_shortcode():
    spider = make_spider("workable", "kestrel")
    results = list(spider.parse_account(fixture_response(URL, "workable", "account.json")))
    mobile, office, cartographer = postings(results)  # 4 rows, 3 shortcodes
    assert spider.listing.complete
    assert spider.crawler.stats.get_value("jobcrawler/workable/merged_rows") == 1

    assert mobile["external_id"] == "3F9A21C0DE"
    # the Spain and Portugal rows are not adjacent; both locations are kept, in row order
    assert mobile["location"] == "Madrid, Community of Madrid, Spain; Porto, Portugal"
    assert (mobile["city"], mobile["region"], mobile["country"]) == (
        "Madrid",
        "Community of Madrid",
        "ES",
    )
    assert mobile["title"] == "Mobile Engineer"
    assert mobile["url"] == "https://apply.workable.com/j/3F9A21C0DE"
    assert mobile["apply_url"] == "https://apply.workable.com/j/3F9A21C0DE/apply"
    assert mobile["employment_type"] == "full_time"
    assert mobile["department"] == "Engineering"
    assert mobile["remote_type"] is None
    assert mobile["posted_at"] == datetime(2026, 6, 15, tzinfo=UTC)  # published_on
    assert mobile["description"] == "**About Kestrel**\n\nWe map trails."

    assert office["location"] == "Edinburgh, Scotland, United Kingdom"
    assert office["employment_type"] == "part_time"

    assert cartographer["remote_type"] == "remote"  # telecommuting: true
    assert cartographer["location"] == "United States"  # blank city and state skipped
    assert (cartographer["city"], cartographer["country"]) == (None, "US")
    assert cartographer["employment_type"] == "contract"


def test_rows_without_locations_list_use_their_own_fields():
    spider = make_spider("workable", "kestrel")
    rows = [
        {"shortcode": "AB", "title": "Nurse", "country": "Ireland", "city": "Cork", "state": ""},
        {"shortcode": "AB", "title": "Nurse", "country": "Ireland", "city": "Dublin", "state": ""},
        {"shortcode": "AB", "title": "Nurse", "country": "Ireland", "city": "Cork", "state": ""},
    ]
    body = json.dumps({"name": "K", "jobs": rows})
    [nurse] = postings(spider.parse_account(response(URL, body)))
    assert nurse["location"] == "Cork, Ireland; Dublin, Ireland"  # distinct, first seen first
    assert spider.crawler.stats.get_value("jobcrawler/workable/merged_rows") == 2


def test_payload_without_jobs_fails_the_listing():
    spider = make_spider("workable", "kestrel")
    assert postings(spider.parse_account(response(URL, '{"name": "K"}'))) == []
    assert not spider.listing.complete
    assert "expected a 'jobs' list" in spider.listing.problem
