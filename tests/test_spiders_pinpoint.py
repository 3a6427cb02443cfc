"""Pinpoint: one `postings.json` document holds the whole board and every advert."""

import json

from jobcrawler.finder import recognize
from tests.helpers import fixture_response, make_spider, postings, response, start_requests

BASE = "https://thornbury.pinpointhq.com"
LIST = f"{BASE}/postings.json"


def spider(**company):
    return make_spider("pinpoint", "thornbury", **company)


def parsed(s):
    return postings(s.parse_list(fixture_response(LIST, "pinpoint", "postings.json")))


def test_start_asks_the_tenant_host():
    [request] = start_requests(spider())
    assert request.url == LIST
    [request] = start_requests(spider(base_url="https://careers.thornbury.example/"))
    assert request.url == "https://careers.thornbury.example/postings.json"


def test_fields_of_a_full_posting():
    s = spider()
    [job, *_] = parsed(s)
    assert job["external_id"] == "482211"
    assert job["title"] == "Senior Delivery Manager"
    page = f"{BASE}/en/postings/2f0c1a4e-6b7d-4c8e-9a1b-3d5e7f9a0b12"
    assert job["url"] == job["apply_url"] == page
    assert job["location"] == "Manchester, Greater Manchester"
    assert (job["city"], job["region"]) == ("Manchester", "Greater Manchester")
    assert job["remote_type"] == "hybrid"
    assert job["employment_type"] == "full_time"
    assert job["department"] == "Delivery"
    assert (job["salary_min"], job["salary_max"]) == (62000, 70000)
    assert (job["salary_currency"], job["salary_period"]) == ("GBP", "year")
    assert job["posted_at"] is None  # the document has no publication date
    assert job["description"].splitlines()[0] == (
        "Thornbury & Vale builds digital services for the public sector."
    )
    html = job["description_html"]
    assert html.index("builds digital") < html.index("What you'll do") < html.index("Run delivery")
    assert "<h3>Benefits</h3>" in html and "30 days holiday" in html


def test_hidden_pay_missing_sections_and_a_remote_place():
    [_, contract, graduate] = parsed(spider())
    assert contract["external_id"] == "482305"  # a string id
    assert contract["remote_type"] == "remote"
    assert contract["employment_type"] == "temporary"  # "Contract / Temp"
    assert contract["location"] == "Remote (UK)"  # no city: the location's name
    assert contract["salary_min"] is None  # compensation_visible false
    assert contract["department"] is None
    assert "On-call rota" in contract["description_html"]
    assert "Skills" not in contract["description_html"]  # header of an empty section

    assert graduate["external_id"] == "482390"
    assert graduate["url"] == f"{BASE}/en/postings/c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f"
    assert graduate["location"] is None
    assert (graduate["remote_type"], graduate["employment_type"]) == ("onsite", "internship")
    assert graduate["department"] == "Data"


def test_a_posting_without_id_costs_the_listing_its_completeness_only():
    s = spider()
    assert len(parsed(s)) == 3
    assert s.crawler.stats.get_value("jobcrawler/entries/errors") == 1
    assert "without a readable id" in s.listing.problem


def test_a_whole_document_is_the_end_of_the_board():
    s = spider()
    data = json.loads(fixture_response(LIST, "pinpoint", "postings.json").body)
    del data["data"][2]
    assert len(postings(s.parse_list(response(LIST, json.dumps(data))))) == 3
    assert s.listing.complete


def test_an_html_page_or_another_shape_is_incomplete():
    s = spider()
    assert list(s.parse_list(response(LIST, "<!DOCTYPE html><html></html>"))) == []
    assert "invalid JSON" in s.listing.problem
    s = spider()
    assert list(s.parse_list(response(LIST, '{"postings": []}'))) == []
    assert "expected a 'data' list" in s.listing.problem


def test_finder_reads_tenant_urls_and_skips_pinpoints_own_hosts():
    entry = {"ats": "pinpoint", "board": "made-tech"}
    assert recognize("https://made-tech.pinpointhq.com/en/postings/2f0c1a4e-6b7d") == entry
    assert recognize("https://made-tech.pinpointhq.com/postings.json") == entry
    assert recognize("https://www.pinpointhq.com/customers") is None
    assert recognize("https://app.pinpointhq.com/login") is None
