"""SmartRecruiters: offset pages checked against totalFound, then a detail per posting."""

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import scrapy

from tests.helpers import FILES, fixture_response, postings, response, start_requests
from tests.helpers import SMARTRECRUITERS_URL as BASE
from tests.helpers import smartrecruiters_spider as spider


def query(request):
    return {k: v[0] for k, v in parse_qs(urlparse(request.url).query).items()}


def summaries(n, start=0):
    return [{"id": str(1000 + i), "name": f"Job {i}"} for i in range(start, start + n)]


def page(content, total, offset=0):
    return json.dumps({"offset": offset, "limit": 100, "totalFound": total, "content": content})


def detail_of(s, results, name):
    """Run the detail callback of request `results[i]` on the fixture `name`."""
    [request] = [r for r in results if isinstance(r, scrapy.Request)]
    body = FILES.joinpath("smartrecruiters", name).read_bytes()
    reply = response(request.url, body, **request.meta)
    return postings(request.callback(reply, **request.cb_kwargs))


def test_start_asks_for_pages_of_100():
    [request] = start_requests(spider())
    assert request.url.startswith(BASE + "?")
    assert query(request) == {"limit": "100", "offset": "0"}
    assert request.headers[b"Accept"] == b"application/json"


def test_base_url_replaces_the_api_origin():
    [request] = start_requests(spider(base_url="http://127.0.0.1:8089"))
    assert request.url.startswith("http://127.0.0.1:8089/v1/companies/NorthwindGames/postings?")


def test_list_yields_one_detail_request_per_posting():
    s = spider()
    results = list(s.parse_page(fixture_response(BASE, "smartrecruiters", "postings.json"), 0, 0))
    assert [r.url for r in results] == [f"{BASE}/744000163201875", f"{BASE}/744000163209940"]
    assert all(r.errback == s.detail_error for r in results)
    assert s.listing.complete  # 2 of totalFound 2
    assert postings(results) == []  # items come from the detail pages


def test_detail_combines_list_and_detail_fields():
    s = spider()
    results = list(s.parse_page(fixture_response(BASE, "smartrecruiters", "postings.json"), 0, 0))
    [network] = detail_of(s, results[:1], "posting.json")
    assert network["external_id"] == "744000163201875"
    assert network["title"] == "Ingénieur(e) Réseau Senior"
    assert network["url"] == (
        "https://jobs.smartrecruiters.com/NorthwindGames/744000163201875-ingenieur-e-reseau-senior"
    )
    assert network["apply_url"] == network["url"] + "?oga=true"
    assert network["location"] == "Montreal, QC, Canada"
    assert (network["city"], network["region"], network["country"]) == ("Montreal", "QC", "CA")
    assert network["remote_type"] == "hybrid"
    assert network["employment_type"] == "full_time"
    assert network["department"] == "Online Services"
    assert network["posted_at"] == datetime(2026, 3, 14, 9, 41, 7, 215000, tzinfo=UTC)
    assert network["description"].startswith(
        "### Company Description\n\nNorthwind Games makes cooperative games"
    )
    assert (
        "### Qualifications\n\n- Five years running production networks" in (network["description"])
    )
    assert (network["salary_min"], network["salary_max"]) == (95000, 120000)
    assert (network["salary_currency"], network["salary_period"]) == ("CAD", "year")
    assert network["list_hash"] == s.list_hashes["744000163201875"]


def test_sparse_posting_malformed_location_and_empty_department():
    s = spider()
    results = list(s.parse_page(fixture_response(BASE, "smartrecruiters", "postings.json"), 0, 0))
    request = results[1]
    reply = response(request.url, json.dumps({"id": "744000163209940"}), **request.meta)
    [support] = postings(request.callback(reply, **request.cb_kwargs))
    assert support["title"] == "Customer Support Agent (Dutch speaking)"
    assert support["location"] == "Dublin, Ireland"  # "Dublin, , Ireland" cleaned
    assert (support["city"], support["country"]) == ("Dublin", "IE")
    assert support["remote_type"] == "onsite"  # remote and hybrid both false
    assert support["employment_type"] == "part_time"
    assert support["department"] == "Customer Service"  # `department: {}` -> function
    assert support["url"] == "https://jobs.smartrecruiters.com/NorthwindGames/744000163209940"
    assert support["description"] is None


def test_pages_until_total_found():
    s = spider()
    first = list(s.parse_page(response(BASE, page(summaries(100), 230)), 0, 0))
    [next_page] = [r for r in first if r.callback == s.parse_page]
    assert query(next_page) == {"limit": "100", "offset": "100"}
    assert next_page.cb_kwargs == {"offset": 100, "received": 100}
    assert len([r for r in first if r.callback == s.parse_detail]) == 100
    second = list(s.parse_page(response(BASE, page(summaries(100, 100), 230, 100)), 100, 100))
    third = list(s.parse_page(response(BASE, page(summaries(30, 200), 230, 200)), 200, 200))
    assert next(r for r in second if r.callback == s.parse_page).cb_kwargs["offset"] == 200
    assert not [r for r in third if r.callback == s.parse_page]
    assert s.listing.complete


def test_short_count_is_incomplete():
    s = spider()
    list(s.parse_page(response(BASE, page(summaries(100), 150)), 0, 0))
    assert list(s.parse_page(response(BASE, page([], 150, 100)), 100, 100)) == []
    assert "totalFound is 150 but 100 postings came" in s.listing.problem


def test_invalid_payloads_are_incomplete():
    s = spider()
    assert list(s.parse_page(response(BASE, "<html>busy</html>"), 0, 0)) == []
    assert "invalid JSON" in s.listing.problem
    s = spider()
    assert list(s.parse_page(response(BASE, '{"content": []}'), 0, 0)) == []
    assert "totalFound" in s.listing.problem


def test_unchanged_postings_skip_their_detail():
    first = spider()
    list(first.parse_page(fixture_response(BASE, "smartrecruiters", "postings.json"), 0, 0))
    again = spider()
    again.known_list_hashes = dict(first.list_hashes)
    assert (
        list(again.parse_page(fixture_response(BASE, "smartrecruiters", "postings.json"), 0, 0))
        == []
    )
    assert again.listing.complete
    assert again.listing.seen_without_item == {"744000163201875", "744000163209940"}

    forced = spider()
    forced.refresh_details = True
    forced.known_list_hashes = dict(first.list_hashes)
    results = forced.parse_page(fixture_response(BASE, "smartrecruiters", "postings.json"), 0, 0)
    assert len(list(results)) == 2


def test_unparseable_detail_keeps_the_posting():
    s = spider()
    [request, _] = s.parse_page(fixture_response(BASE, "smartrecruiters", "postings.json"), 0, 0)
    reply = response(request.url, "<html>oops</html>", **request.meta)
    assert list(request.callback(reply, **request.cb_kwargs)) == []
    assert s.listing.seen_without_item == {"744000163201875"}
    assert s.listing.complete  # a detail problem never makes the listing incomplete
