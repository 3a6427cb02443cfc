"""Lever: real posting shapes, skip/limit paging until a short page, and paging guards."""

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import scrapy

from tests.helpers import fixture_response, make_spider, postings, response, start_requests

BASE = "https://api.lever.co/v0/postings/spotify"


def query(request):
    return {k: v[0] for k, v in parse_qs(urlparse(request.url).query).items()}


def test_start_asks_for_json_pages():
    [request] = start_requests(make_spider("lever", "spotify"))
    assert request.url.startswith(BASE + "?")
    assert query(request) == {"mode": "json", "skip": "0", "limit": "100"}
    assert request.headers[b"Accept"] == b"application/json"


def test_eu_base_url_replaces_the_origin():
    [request] = start_requests(make_spider("lever", "spotify", base_url="https://api.eu.lever.co"))
    assert request.url.startswith("https://api.eu.lever.co/v0/postings/spotify?")


def test_postings_parse():
    spider = make_spider("lever", "spotify")
    url = f"{BASE}?mode=json&skip=0&limit=100"
    results = list(spider.parse_page(fixture_response(url, "lever", "postings.json"), 0, None))
    android, pm = postings(results)
    assert not spider.listing.finished  # 2 < page size: the next page must confirm the end
    assert android["external_id"] == "2193db3f-77c5-43b8-b030-8f92c9882bf1"
    assert android["title"] == "Android Engineer - Experience"
    assert android["location"] == "London; Stockholm"
    assert (android["city"], android["country"]) == ("London", "GB")
    assert android["remote_type"] == "hybrid"
    assert android["employment_type"] == "full_time"
    assert (android["department"], android["team"]) == ("Engineering", "Experience")
    assert android["posted_at"] == datetime.fromtimestamp(1782214185.805, UTC)
    assert "What You'll Do" in android["description"]
    assert "Develop and maintain the Android app" in android["description"]
    assert "equal opportunity employer" in android["description"]
    assert android["apply_url"].endswith("/apply")
    assert android["salary_min"] is None

    assert pm["remote_type"] == "remote"  # unspecified -> inferred from "Remote - US"
    assert (pm["salary_min"], pm["salary_max"], pm["salary_currency"], pm["salary_period"]) == (
        150000,
        190000,
        "USD",
        "year",
    )


def _page(n, start=0):
    return json.dumps(
        [
            {"id": f"id-{i}", "text": f"Job {i}", "hostedUrl": f"https://jobs.lever.co/x/{i}"}
            for i in range(start, start + n)
        ]
    )


def test_full_page_requests_the_next_one():
    spider = make_spider("lever", "spotify")
    results = list(spider.parse_page(response(f"{BASE}?skip=0", _page(100)), 0, None))
    [next_request] = [r for r in results if isinstance(r, scrapy.Request)]
    assert query(next_request)["skip"] == "100"
    assert len(postings(results)) == 100
    assert not spider.listing.finished
    more = list(spider.parse_page(response(f"{BASE}?skip=100", _page(3, 100)), 100, "id-0"))
    assert len(postings(more)) == 3
    [confirm] = [r for r in more if isinstance(r, scrapy.Request)]
    assert query(confirm)["skip"] == "200"
    list(spider.parse_page(response(confirm.url, "[]"), **confirm.cb_kwargs))
    assert spider.listing.complete


def test_repeated_page_stops_as_incomplete():
    spider = make_spider("lever", "spotify")
    results = list(spider.parse_page(response(f"{BASE}?skip=100", _page(100)), 100, "id-0"))
    assert results == []
    assert "repeats the previous page" in spider.listing.problem


def test_html_instead_of_json_is_incomplete():
    spider = make_spider("lever", "spotify")
    assert list(spider.parse_page(response(BASE, "<html>jobs</html>"), 0, None)) == []
    assert "invalid JSON" in spider.listing.problem
