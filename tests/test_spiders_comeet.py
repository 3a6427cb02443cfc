"""Comeet: company UID + token, details sections in order, workplace_type over is_remote."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

from jobcrawler.catalog import load_catalog
from tests.helpers import COMEET_URL as URL
from tests.helpers import comeet_spider, fixture_response, postings, response, start_requests


def test_start_sends_uid_and_token():
    [request] = start_requests(comeet_spider())
    assert request.url == URL
    parsed = urlparse(request.url)
    assert parse_qs(parsed.query) == {"token": ["T0K3N"], "details": ["true"]}


def test_token_is_required_in_yaml(tmp_path):
    (tmp_path / "o.yaml").write_text("name: Orchardly\nats: comeet\nboard: A2.00F\n")
    catalog = load_catalog(tmp_path)
    assert catalog.companies == []
    [error] = catalog.errors
    assert error.key == "token"


def test_positions_parse():
    spider = comeet_spider()
    engineer, agronomist = postings(
        spider.parse_positions(fixture_response(URL, "comeet", "positions.json"))
    )
    assert spider.listing.complete

    assert engineer["external_id"] == "4B.1C7"
    assert engineer["title"] == "Sales Engineer, Denver"
    assert engineer["url"] == "https://www.orchardly.example/careers/?comeet_pos=4B.1C7"
    assert engineer["apply_url"] == (
        "https://www.comeet.com/jobs/orchardly/A2.00F/sales-engineer-denver/4B.1C7"
    )
    assert engineer["location"] == "Denver, CO"
    assert (engineer["city"], engineer["region"], engineer["country"]) == ("Denver", "CO", "US")
    assert engineer["remote_type"] == "hybrid"  # workplace_type wins over is_remote: true
    assert engineer["employment_type"] == "full_time"
    assert engineer["department"] == "Sales"
    assert engineer["posted_at"] == datetime(2026, 4, 11, 8, 30, 5, tzinfo=UTC)
    # sections sorted by `order`, titled by name; empty sections dropped
    assert engineer["description"] == (
        "### Description\n\nShow farmers what Orchardly can do.\n\n"
        "### Requirements\n\n- Three years in pre-sales"
    )

    assert agronomist["url"] == agronomist["apply_url"]  # no active page: the hosted one
    assert agronomist["remote_type"] == "remote"  # no workplace_type: is_remote decides
    assert agronomist["employment_type"] == "contract"
    assert agronomist["country"] == "ES"


def test_error_object_fails_the_listing():
    spider = comeet_spider("wrong")
    body = '{"status": 403, "message": "Invalid token"}'
    assert postings(spider.parse_positions(response(URL, body))) == []
    assert not spider.listing.complete
    assert "Invalid token" in spider.listing.problem
