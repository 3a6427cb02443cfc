"""Workday CXS: POSTed searches in pages of 20, the 2,000 cap split by facet, then details."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import scrapy

from jobcrawler.spiders.workday import parse_careers_url
from tests.helpers import FILES, fixture_response, make_spider, postings, response, start_requests

CAREERS = "https://kiwidairy.wd3.myworkdayjobs.com/en-US/Careers"
CXS = "https://kiwidairy.wd3.myworkdayjobs.com/wday/cxs/kiwidairy/Careers"
LOCATIONS = {
    "d74fab3a2e5c4f94d1b6c8a0e2f4b5c6",
    "e85abc4b3f6d4a05e2c7d9b1f3a5c6d7",
    "f96bcd5c4a7e4b16f3d8e0c2a4b6d7e8",
    "a07cde6d5b8f4c27a4e9f1d3b5c7e8f9",
}


def spider(**company):
    company.setdefault("careers_url", CAREERS)
    return make_spider("workday", "kiwidairy", **company)


def body(request):
    return json.loads(request.body)


def jobs(n, start=0, prefix="Job"):
    return [
        {
            "title": f"{prefix} {i}",
            "externalPath": f"/job/Auckland/{prefix}-{i}_JR-{i}",
            "locationsText": "Auckland",
            "postedOn": "Posted Today",
            "bulletFields": [f"JR-{i}"],
        }
        for i in range(start, start + n)
    ]


def page(postings_, total, facets=()):
    return json.dumps({"total": total, "jobPostings": postings_, "facets": list(facets)})


def searches(results):
    return [r for r in results if isinstance(r, scrapy.Request) and r.url.endswith("/jobs")]


def details(results):
    return [r for r in results if isinstance(r, scrapy.Request) and not r.url.endswith("/jobs")]


def parse(s, request, payload):
    """Run a search request's callback on `payload`, as Scrapy would."""
    return list(s.parse_page(response(request.url, payload), **request.cb_kwargs))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (CAREERS, ("https://kiwidairy.wd3.myworkdayjobs.com", "kiwidairy", "Careers")),
        (
            "https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite/job/US-CA/x_JR1",
            ("https://nvidia.wd5.myworkdayjobs.com", "nvidia", "NVIDIAExternalCareerSite"),
        ),
        (
            "https://wd1.myworkdaysite.com/en-US/recruiting/acme/External_Careers",
            ("https://wd1.myworkdaysite.com", "acme", "External_Careers"),
        ),
        ("https://wd1.myworkdaysite.com/recruiting/acme", None),
        ("https://acme.wd1.myworkdayjobs.com/", None),
        ("not a url", None),
    ],
)
def test_careers_url_gives_origin_tenant_and_site(url, expected):
    assert parse_careers_url(url) == expected


def test_start_posts_the_search_body():
    [request] = start_requests(spider())
    assert (request.method, request.url) == ("POST", f"{CXS}/jobs")
    assert body(request) == {"appliedFacets": {}, "limit": 20, "offset": 0, "searchText": ""}
    assert request.headers[b"Content-Type"] == b"application/json"
    assert b"application/json" in request.headers[b"Accept"]
    assert request.errback.__func__ is type(spider()).listing_error


def test_base_url_replaces_the_tenant_origin():
    [request] = start_requests(spider(base_url="http://127.0.0.1:8089/workday/kiwidairy"))
    assert request.url == "http://127.0.0.1:8089/workday/kiwidairy/wday/cxs/kiwidairy/Careers/jobs"


def test_unusable_careers_url_fails_the_listing():
    s = spider(careers_url="https://careers.example.com/")
    assert start_requests(s) == []
    assert "is not a Workday site" in s.listing.problem


def test_first_page_gives_detail_requests_and_completes():
    s = spider()
    [start] = start_requests(s)
    results = list(s.parse_page(fixture_response(start.url, "workday", "jobs.json"), {}, 0, 0, 0))
    assert searches(results) == []
    assert [r.url for r in details(results)] == [
        f"{CXS}/job/Geelong-VIC/Maintenance-Fitter---Night-Shift_JR-10452",
        f"{CXS}/job/Auckland/Graduate-Food-Technologist_JR-10461",
        f"{CXS}/job/Remote---Australia/Payroll-Officer--Part-Time-_JR-10477",
    ]
    assert [r.meta["external_id"] for r in details(results)] == [
        "Maintenance-Fitter---Night-Shift_JR-10452",
        "Graduate-Food-Technologist_JR-10461",
        "Payroll-Officer--Part-Time-_JR-10477",
    ]
    assert all(r.method == "GET" for r in details(results))
    assert s.listing.complete


def test_detail_fields():
    s = spider()
    results = s.parse_page(fixture_response(f"{CXS}/jobs", "workday", "jobs.json"), {}, 0, 0, 0)
    request = details(list(results))[1]
    reply = response(
        request.url, FILES.joinpath("workday", "job.json").read_bytes(), **request.meta
    )
    [job] = postings(request.callback(reply, **request.cb_kwargs))
    assert job["external_id"] == "Graduate-Food-Technologist_JR-10461"
    assert job["title"] == "Graduate Food Technologist"
    assert (
        job["url"]
        == job["apply_url"]
        == (
            "https://kiwidairy.wd3.myworkdayjobs.com/Careers/job/Auckland/"
            "Graduate-Food-Technologist_JR-10461"
        )
    )
    assert job["location"] == "Auckland; Christchurch"
    assert job["country"] == "NZ"
    assert job["remote_type"] == "hybrid"
    assert job["employment_type"] == "full_time"
    assert job["posted_at"] == datetime(2026, 5, 4, tzinfo=UTC)  # startDate, not "Posted Today"
    assert job["description"] == (
        "Join our product development kitchen & pilot plant.\n\n**What you will do**\n\n"
        "- Run shelf-life trials\n- Write product specifications"
    )
    assert job["list_hash"] == s.list_hashes["Graduate-Food-Technologist_JR-10461"]


def test_detail_without_dates_uses_the_relative_posted_on():
    s = spider()
    [request] = details(list(s.parse_page(response(f"{CXS}/jobs", page(jobs(1), 1)), {}, 0, 0, 0)))
    info = {"jobPostingInfo": {"title": "Job 0", "postedOn": "Posted 3 Days Ago"}}
    [job] = postings(
        request.callback(
            response(request.url, json.dumps(info), **request.meta), **request.cb_kwargs
        )
    )
    expected = datetime.now(UTC) - timedelta(days=3)
    assert abs(job["posted_at"] - expected) < timedelta(minutes=1)
    assert job["url"] == f"{CAREERS}/job/Auckland/Job-0_JR-0"  # no externalUrl
    assert job["location"] == "Auckland"  # the list's locationsText


def test_posted_on_is_not_part_of_the_list_hash():
    first = spider()
    list(first.parse_page(fixture_response(f"{CXS}/jobs", "workday", "jobs.json"), {}, 0, 0, 0))
    again = spider()
    again.known_list_hashes = dict(first.list_hashes)
    data = json.loads(FILES.joinpath("workday", "jobs.json").read_text())
    for job in data["jobPostings"]:
        job["postedOn"] = "Posted 30+ Days Ago"  # days later
    data["jobPostings"][2]["title"] = "Payroll Officer"  # really changed
    results = list(again.parse_page(response(f"{CXS}/jobs", json.dumps(data)), {}, 0, 0, 0))
    assert [r.meta["external_id"] for r in details(results)] == [
        "Payroll-Officer--Part-Time-_JR-10477"
    ]
    assert len(again.listing.seen_without_item) == 2


def test_pages_of_20_until_the_first_page_total():
    s = spider()
    [start] = start_requests(s)
    first = parse(s, start, page(jobs(20), 45))
    [second] = searches(first)
    assert body(second)["offset"] == 20
    assert len(details(first)) == 20
    [third] = searches(parse(s, second, page(jobs(20, 20), 0)))  # later pages say total 0
    assert body(third)["offset"] == 40
    last = parse(s, third, page(jobs(5, 40), 0))
    assert searches(last) == [] and len(details(last)) == 5
    assert s.listing.complete


def test_missing_postings_make_the_listing_incomplete():
    s = spider()
    [start] = start_requests(s)
    [second] = searches(parse(s, start, page(jobs(20), 45)))
    assert parse(s, second, page([], 0)) == []
    assert "total is 45 but 20 postings came" in s.listing.problem


def facets(locations=4, families=2, covering=True):
    """A facets block: `locations` (nested) and `jobFamilyGroup` values of 600 each."""
    location_ids = sorted(LOCATIONS)[:locations]
    return [
        {
            "facetParameter": "jobFamilyGroup",
            "values": [
                {"descriptor": f"Family {i}", "id": f"family{i}", "count": 1200}
                for i in range(families)
            ],
        },
        {
            "facetParameter": "locationMainGroup",
            "values": [
                {
                    "facetParameter": "locations",
                    "values": [
                        {"descriptor": i, "id": i, "count": 600 if covering else 10}
                        for i in location_ids
                    ],
                }
            ],
        },
    ]


def test_search_at_the_cap_is_split_by_location():
    s = spider()
    [start] = start_requests(s)
    results = parse(s, start, page(jobs(20), 2000, facets()))
    assert details(results) == []  # the capped search's postings come with the partitions
    split = searches(results)
    assert [body(r)["appliedFacets"] for r in split] == [
        {"locations": [i]} for i in sorted(LOCATIONS)
    ]
    assert all(body(r)["offset"] == 0 for r in split)
    for n, request in enumerate(split):
        parse(s, request, page(jobs(3, 10 * n), 3))
        assert s.listing.complete is (n == len(split) - 1)
    assert s.crawler.stats.get_value("jobcrawler/workday/splits") == 1


def test_partitions_still_at_the_cap_combine_facets():
    s = spider()
    [start] = start_requests(s)
    [first, *_] = searches(parse(s, start, page([], 2000, facets())))
    nested = searches(parse(s, first, page(jobs(20), 2000, facets())))
    assert [body(r)["appliedFacets"] for r in nested] == [
        {"locations": [sorted(LOCATIONS)[0]], "jobFamilyGroup": ["family0"]},
        {"locations": [sorted(LOCATIONS)[0]], "jobFamilyGroup": ["family1"]},
    ]


def test_facet_that_leaves_postings_out_is_not_used():
    s = spider()
    [start] = start_requests(s)
    split = searches(parse(s, start, page([], 2000, facets(covering=False))))
    assert [list(body(r)["appliedFacets"]) for r in split] == [["jobFamilyGroup"]] * 2


def test_search_that_cannot_be_split_fails_instead_of_truncating():
    s = spider()
    [start] = start_requests(s)
    [first, *_] = searches(parse(s, start, page([], 2000, facets())))
    [family, _] = searches(parse(s, first, page([], 2000, facets())))
    assert parse(s, family, page(jobs(20), 2000, facets())) == []
    assert "cannot be split under the 2,000 cap" in s.listing.problem
    s = spider()
    [start] = start_requests(s)
    assert parse(s, start, page(jobs(20), 2000)) == []  # no facets at all
    assert "cannot be split under the 2,000 cap" in s.listing.problem


def test_postings_in_several_partitions_are_fetched_once():
    s = spider()
    [start] = start_requests(s)
    [a, b, *_] = searches(parse(s, start, page([], 2000, facets())))
    first = details(parse(s, a, page(jobs(3), 3)))
    second = details(parse(s, b, page(jobs(4, 2), 4)))  # Job 2 is in both
    assert [r.meta["external_id"] for r in first + second] == [f"Job-{i}_JR-{i}" for i in range(6)]
    assert s.crawler.stats.get_value("jobcrawler/workday/repeated") == 1


def test_invalid_payload_is_incomplete():
    s = spider()
    [start] = start_requests(s)
    assert parse(s, start, "<html>Service unavailable</html>") == []
    assert "invalid JSON" in s.listing.problem
    s = spider()
    [start] = start_requests(s)
    assert parse(s, start, '{"jobPostings": []}') == []
    assert "no 'total'" in s.listing.problem
