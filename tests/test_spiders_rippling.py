"""Rippling: v2 board pages until totalPages/totalItems, items merged by id, then details."""

import json

from jobcrawler.finder import find_in_page, recognize
from tests.helpers import FILES, make_spider, postings, response, start_requests

API = "https://ats.rippling.com/api/v2/board/northwind/jobs"
ENGINEER = "7c1e2d3f-0a1b-4c2d-9e8f-112233445566"
PAYROLL = "0f9e8d7c-6b5a-4f3e-8d2c-aabbccddeeff"


def spider(**company):
    return make_spider("rippling", "northwind", **company)


def fixture(name):
    return FILES.joinpath("rippling", name).read_bytes()


def page(s, body, number=0, totals=None):
    url = f"{API}?page={number}&pageSize=50"
    return [r for r in s.parse_page(response(url, body), number, totals) if r is not None]


def test_start_asks_for_the_first_page():
    [request] = start_requests(spider())
    assert request.url == f"{API}?page=0&pageSize=50"


def two_pages(s):
    """The fixtures are pages of 2 (a short page is an error)."""
    s.page_size = 2
    [following] = page(s, fixture("jobs-page0.json"))
    return following, page(s, fixture("jobs-page1.json"), 1, (4, 2))


def test_pages_until_total_then_one_detail_per_job():
    s = spider()
    following, details = two_pages(s)
    assert following.url == f"{API}?page=1&pageSize=2"
    assert [d.meta["external_id"] for d in details] == [ENGINEER, PAYROLL]
    assert details[0].url == f"{API}/{ENGINEER}"
    # the item without an id costs itself, and the listing cannot prove it saw everything
    assert s.crawler.stats.get_value("jobcrawler/entries/errors") == 1
    assert s.listing.finished and "entry without a readable id" in s.listing.problem


def detail(s, request, body):
    reply = response(request.url, body, **request.meta)
    return postings(request.callback(reply, **request.cb_kwargs))


def test_job_fields_with_merged_locations_and_pay():
    s = spider()
    _, details = two_pages(s)
    [p] = detail(s, details[0], fixture("job.json"))
    assert p["external_id"] == ENGINEER and p["title"] == "Senior Backend Engineer"
    assert p["url"] == f"https://ats.rippling.com/northwind/jobs/{ENGINEER}"
    assert p["location"] == "New York, NY; Remote (United States)"
    assert p["remote_type"] == "hybrid"
    assert p["employment_type"] == "full_time"
    assert p["department"] == "Engineering"
    assert (p["salary_min"], p["salary_max"], p["salary_currency"], p["salary_period"]) == (
        170000, 210000, "USD", "year"
    )  # fmt: skip
    assert p["posted_at"].isoformat() == "2026-11-01T00:37:26.093000+00:00"
    assert p["description_html"].startswith("<p>Northwind makes payroll simple.</p>\n<p>You will")


def test_sparse_job_keeps_the_list_fields():
    s = spider()
    _, details = two_pages(s)
    body = json.dumps({"employmentType": {"label": "CONTRACTOR", "id": "Contractor"}})
    [p] = detail(s, details[1], body)
    assert p["title"] == "Payroll Specialist" and p["location"] == "Toronto, ON"
    assert (p["city"], p["region"], p["country"]) == ("Toronto", "Ontario", "CA")
    assert p["remote_type"] == "onsite" and p["employment_type"] == "contract"
    assert p["department"] is None and p["description_html"] is None


def test_unlisted_job_yields_nothing_but_is_seen():
    s = spider()
    _, details = two_pages(s)
    assert detail(s, details[1], json.dumps({"unlistedFromSearch": True})) == []
    assert PAYROLL in s.listing.seen_without_item


def test_odd_pages_fail_the_listing():
    def run(body, number=0, totals=None):
        s = spider()
        page(s, json.dumps(body), number, totals)
        return s.listing.problem

    short = {"items": [{"id": "a"}], "totalItems": 60, "totalPages": 2}
    assert "a short page 0 of 2" in run(short)
    assert "totalItems is 3 but 1 came" in run(
        {"items": [{"id": "a"}], "totalItems": 3, "totalPages": 1}
    )
    drift = {"items": [], "totalItems": 61, "totalPages": 2}
    assert "totals went from (60, 2) to (61, 2)" in run(drift, 1, (60, 2))
    assert "no 'items' list" in run({"error": "x"})


def test_empty_board_is_complete():
    s = spider()
    assert page(s, json.dumps({"items": [], "totalItems": 0, "totalPages": 0})) == []
    assert s.listing.complete


def test_missing_job_is_checked_at_its_detail():
    request = spider().verify_request(ENGINEER, None)
    assert request.url == f"{API}/{ENGINEER}"


def test_finder_reads_board_and_api_urls():
    entry = {"ats": "rippling", "board": "northwind"}
    assert recognize(f"https://ats.rippling.com/northwind/jobs/{ENGINEER}") == entry
    assert recognize("https://ats.rippling.com/en-GB/northwind/jobs") == entry
    assert recognize(f"{API}?page=0") == entry
    assert recognize("https://www.rippling.com/careers") is None


def test_finder_reads_an_embedded_board():
    page = '<iframe src="https://ats.rippling.com/northwind/jobs?embed=true" height="800"></iframe>'
    assert find_in_page("https://northwind.com/careers", page) == {
        "ats": "rippling",
        "board": "northwind",
    }
