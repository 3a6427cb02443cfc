"""Workday CXS: POSTed searches in pages of 20, the 2,000 cap split by facet, then details."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import scrapy

from fakeats import FakeATS
from jobcrawler.platforms.workday import parse_careers_url
from tests.helpers import FILES, fixture_response, make_spider, postings, response, start_requests
from tests.helpers import WORKDAY_CAREERS as CAREERS
from tests.helpers import workday_spider as spider
from tests.helpers.fakeats_http import call

CXS = "https://kiwidairy.wd3.myworkdayjobs.com/wday/cxs/kiwidairy/Careers"


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
        # a site name may be two letters: only language-REGION is a locale
        (
            "https://acme.wd5.myworkdayjobs.com/us",
            ("https://acme.wd5.myworkdayjobs.com", "acme", "us"),
        ),
        (
            "https://acme.wd5.myworkdayjobs.com/en-us/us/job/X_R1",
            ("https://acme.wd5.myworkdayjobs.com", "acme", "us"),
        ),
        (
            "https://ACME.WD5.myworkdayjobs.com/wday/cxs/acme/External/jobs",
            ("https://acme.wd5.myworkdayjobs.com", "acme", "External"),
        ),
        (
            "https://wd1.myworkdaysite.com/recruiting/acme/External_Careers",
            ("https://wd1.myworkdaysite.com", "acme", "External_Careers"),
        ),
        (
            "https://wd1.myworkdaysite.com/en-US/recruiting/acme/External_Careers/job/X_R1",
            ("https://wd1.myworkdaysite.com", "acme", "External_Careers"),
        ),
        ("https://wd1.myworkdaysite.com/recruiting/acme", None),
        ("https://acme.wd1.myworkdayjobs.com/", None),
        ("https://acme.wd1.myworkdayjobs.com/en-US", None),
        ("https://careers.acme.com/External", None),
        ("not a url", None),
    ],
)
def test_careers_url_gives_origin_tenant_and_site(url, expected):
    site = parse_careers_url(url)
    assert (site and (site.origin, site.tenant, site.site)) == expected


def test_careers_site_url_drops_locale_and_job_path():
    assert parse_careers_url(CAREERS).url == "https://kiwidairy.wd3.myworkdayjobs.com/Careers"
    site = parse_careers_url("https://wd1.myworkdaysite.com/fr-FR/recruiting/acme/Ext/job/X_R1")
    assert site.url == "https://wd1.myworkdaysite.com/recruiting/acme/Ext"


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
    # additionalLocations; "Christchurch" alone gets its country from the gazetteer
    assert [(p["city"], p["country"]) for p in job["locations"]] == [
        ("Auckland", "NZ"),
        ("Christchurch", "NZ"),
    ]
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


CAP = 50  # a small result cap keeps the split tests readable


def capped():
    """A spider whose tenant caps searches at CAP postings."""
    s = spider()
    s.result_cap = CAP
    return s


def facets(**counts):
    """A facets block from {facet: {value id: count}}, locations nested as Workday does."""
    block = []
    for name, values in counts.items():
        facet = {
            "facetParameter": name,
            "values": [{"descriptor": i, "id": i, "count": n} for i, n in values.items()],
        }
        nested = {"facetParameter": "locationMainGroup", "values": [facet]}
        block.append(nested if name == "locations" else facet)
    return block


def applied(requests):
    return [body(r)["appliedFacets"] for r in requests]


def test_search_at_the_cap_is_split_by_location():
    s = capped()
    [start] = start_requests(s)
    offered = facets(
        jobFamilyGroup={"f0": 30, "f1": 30},
        locations={"L0": 15, "L1": 15, "L2": 15, "L3": 15},
    )
    results = parse(s, start, page(jobs(20), CAP, offered))
    assert details(results) == []  # the capped search's postings come with the partitions
    split = searches(results)
    assert applied(split) == [{"locations": [i]} for i in ("L0", "L1", "L2", "L3")]
    assert all(body(r)["offset"] == 0 for r in split)
    assert [r.cb_kwargs["expected"] for r in split] == [15] * 4  # the counts it announced
    for n, request in enumerate(split):
        parse(s, request, page(jobs(15, 15 * n), 15))
        assert s.listing.complete is (n == len(split) - 1)
    assert s.crawler.stats.get_value("jobcrawler/workday/splits") == 1


def test_total_above_the_cap_is_real_and_paged_straight_through():
    s = capped()  # capped tenants report exactly the cap; this one reports its real size
    [start] = start_requests(s)
    request, received = start, []
    for offset in (0, 20, 40):
        results = parse(
            s, request, page(jobs(min(20, 55 - offset), offset), 55 if offset == 0 else 0)
        )
        received += details(results)
        [request] = searches(results) or [None]
    assert request is None and len(received) == 55
    assert s.listing.complete
    assert s.crawler.stats.get_value("jobcrawler/workday/splits") is None


def test_facet_covering_only_part_of_a_capped_search_is_not_used():
    """Job families count 60 postings, time types 90: the search holds at least 90."""
    s = capped()
    [start] = start_requests(s)
    offered = facets(jobFamilyGroup={"f0": 30, "f1": 30}, timeType={"full": 70, "part": 20})
    split = searches(parse(s, start, page(jobs(20), CAP, offered)))
    assert applied(split) == [{"timeType": ["full"]}, {"timeType": ["part"]}]


def test_partitions_showing_fewer_postings_than_the_facets_count_fail_the_listing():
    """Locations count 60 (the largest sum) but hold 40 postings; time types count 55."""
    s = capped()
    [start] = start_requests(s)
    offered = facets(locations={"L0": 20, "L1": 20, "L2": 20}, timeType={"full": 45, "part": 10})
    split = searches(parse(s, start, page(jobs(20), CAP, offered)))
    assert applied(split) == [{"locations": [i]} for i in ("L0", "L1", "L2")]
    for n, request in enumerate(split):
        parse(s, request, page(jobs(20, 10 * n), 20))  # overlapping: 40 distinct postings
    assert not s.listing.complete
    assert "by locations showed 40 postings, but its facets count 55" in s.listing.problem


def test_partitions_missing_a_posting_of_the_capped_first_page_fail_the_listing():
    s = capped()
    [start] = start_requests(s)
    offered = facets(jobFamilyGroup={"f0": 20, "f1": 20, "f2": 10})
    split = searches(parse(s, start, page(jobs(20, prefix="Top"), CAP, offered)))
    for n, request in enumerate(split):
        count = 20 if n < 2 else 10
        parse(s, request, page(jobs(count, 20 * n), count))
    assert not s.listing.complete
    assert "and not 20 of its first page" in s.listing.problem


def test_postings_in_several_partitions_are_fetched_once():
    """Locations count a posting once per location: 60 for 50 postings, and that is fine."""
    s = capped()
    [start] = start_requests(s)
    offered = facets(locations={"L0": 20, "L1": 20, "L2": 20}, timeType={"full": 40, "part": 10})
    split = searches(parse(s, start, page(jobs(20), CAP, offered)))
    ranges = [(0, 20), (10, 20), (30, 20)]  # Job 10..19 are in L0 and L1
    found = [
        details(parse(s, r, page(jobs(n, i), n))) for r, (i, n) in zip(split, ranges, strict=True)
    ]
    assert [r.meta["external_id"] for d in found for r in d] == [
        f"Job-{i}_JR-{i}" for i in range(50)
    ]
    assert s.crawler.stats.get_value("jobcrawler/workday/repeated") == 10
    assert s.listing.complete


def test_partitions_still_at_the_cap_combine_facets():
    s = capped()
    [start] = start_requests(s)
    top = facets(locations={"L0": 60, "L1": 40}, jobFamilyGroup={"f0": 50, "f1": 50})
    [first, _] = searches(parse(s, start, page([], CAP, top)))
    inner = facets(locations={"L0": 60}, jobFamilyGroup={"f0": 35, "f1": 25})
    nested = searches(parse(s, first, page(jobs(20), CAP, inner)))
    assert applied(nested) == [
        {"locations": ["L0"], "jobFamilyGroup": ["f0"]},
        {"locations": ["L0"], "jobFamilyGroup": ["f1"]},
    ]
    assert [r.cb_kwargs["expected"] for r in nested] == [35, 25]


def test_search_that_cannot_be_split_fails_instead_of_truncating():
    s = capped()
    [start] = start_requests(s)
    assert parse(s, start, page(jobs(20), CAP)) == []  # no facets at all
    assert "cannot be split under the 50 cap" in s.listing.problem
    s = capped()  # a partition of 60 whose job families count only 55
    [start] = start_requests(s)
    top = facets(locations={"L0": 60, "L1": 40}, jobFamilyGroup={"f0": 50, "f1": 50})
    [first, _] = searches(parse(s, start, page([], CAP, top)))
    inner = facets(locations={"L0": 60}, jobFamilyGroup={"f0": 30, "f1": 25})
    assert parse(s, first, page(jobs(20), CAP, inner)) == []
    assert "at least 60 postings, and the search cannot be split" in s.listing.problem


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("gaps", "split_by", "complete"),
    [
        ((), "locations", True),
        (("jobFamilyGroup",), "locations", True),
        (("locations",), "jobFamilyGroup", True),  # locations add up to 392 only: not taken
        (("locations", "jobFamilyGroup"), "timeType", False),  # full time: no facet left
    ],
)
def test_capped_tenant_is_read_whole_or_the_listing_is_partial(gaps, split_by, complete):
    """Against the fake ATS: facets that leave every third posting out never lose them.

    450 postings behind a cap of 200. The cap used to be taken for the search's size, so
    locations (counts adding up to 392, over 200) were split on, losing the 150 without one.
    """
    with FakeATS() as fake:
        board = fake.add_board("workday", "acme", size=450, seed=1, cap=200, facet_gaps=gaps)
        s = make_spider(
            "workday",
            "acme",
            careers_url="https://acme.wd5.myworkdayjobs.com/en-US/External",
            base_url=fake.base_url("workday", "acme"),
        )
        s.result_cap = 200
        queue = start_requests(s)
        while queue:
            request = queue.pop(0)
            status, data = call(request.url, "POST", body(request))
            assert status == 200, data
            reply = response(request.url, json.dumps(data))
            queue += searches(s.parse_page(reply, **request.cb_kwargs))
        listed = {path.rsplit("/", 1)[-1] for path in s.seen_paths}
        assert s.splits[0].facet == split_by
        assert s.listing.complete is complete
        if complete:
            assert listed == set(board.ids())
        else:
            assert listed < set(board.ids())
            assert "cannot be split" in s.listing.problem


def test_invalid_payload_is_incomplete():
    s = spider()
    [start] = start_requests(s)
    assert parse(s, start, "<html>Service unavailable</html>") == []
    assert "invalid JSON" in s.listing.problem
    s = spider()
    [start] = start_requests(s)
    assert parse(s, start, '{"jobPostings": []}') == []
    assert "no 'total'" in s.listing.problem
