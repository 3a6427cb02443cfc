"""Taleo: portal number from the section page, REST job board pages, advert from the job page."""

import json
import urllib.request
from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse, JsonRequest

from jobcrawler.finder import catalog_problems, entry_yaml, find_in_page, recognize
from jobcrawler.spiders.taleo import TaleoSpider
from tests.helpers import FILES, make_spider, postings, response, start_requests

ORIGIN = "https://drhorton.taleo.net"
SECTION = f"{ORIGIN}/careersection/2/jobsearch.ftl?lang=en"
SEARCH = f"{ORIGIN}/careersection/rest/jobboard/searchjobs?lang=en&portal=101430233"


def spider(**company) -> TaleoSpider:
    company.setdefault("careers_url", SECTION)
    return make_spider("taleo", "drhorton", **company)


def html(url, body):
    return HtmlResponse(url, body=body if isinstance(body, bytes) else body.encode())


def page(rows, total, size=25, no=1):
    return json.dumps(
        {
            "requisitionList": rows,
            "pagingData": {"currentPageNo": no, "pageSize": size, "totalCount": total},
        }
    )


def rows(n, start=0):
    return [
        {"jobId": str(i), "contestNo": f"26{i:05d}", "column": [f"Job {i}", "[]", ""]}
        for i in range(start, start + n)
    ]


def listed(s):
    body = FILES.joinpath("taleo", "searchjobs.json").read_bytes()
    return list(s.parse_page(response(SEARCH, body), "101430233", 1))


def detail(request, body):
    reply = HtmlResponse(request.url, body=body, encoding="utf-8", request=request)
    return postings(request.callback(reply, **request.cb_kwargs))


def test_start_reads_the_section_page_then_posts_the_search_with_tz():
    s = spider()
    [first] = start_requests(s)
    assert first.url == SECTION
    assert first.headers[b"Accept"] == b"text/html"
    shell = FILES.joinpath("taleo", "jobsearch.ftl.html").read_bytes()
    [search] = list(s.parse_board(html(first.url, shell)))
    assert isinstance(search, JsonRequest) and search.method == "POST"
    assert search.url == SEARCH
    assert search.headers[b"tz"]  # without it Taleo answers HTTP 500
    assert json.loads(search.body)["pageNo"] == 1


def test_base_url_replaces_the_tenant_origin():
    [first] = start_requests(spider(base_url="http://127.0.0.1:8089/taleo/drhorton"))
    assert first.url == "http://127.0.0.1:8089/taleo/drhorton/careersection/2/jobsearch.ftl?lang=en"


def test_a_section_page_without_portal_fails_the_listing():
    s = spider()
    assert list(s.parse_board(html(SECTION, "<html><table id='jobs'></table></html>"))) == []
    assert "no portal number" in s.listing.problem


def test_list_rows_ask_for_job_pages_and_complete_at_the_total():
    s = spider()
    results = listed(s)
    assert [r.meta["external_id"] for r in results] == ["2600417", "214611", "2600588"]
    assert results[0].url == f"{ORIGIN}/careersection/2/jobdetail.ftl?job=2600417&lang=en"
    assert s.listing.complete


def test_posting_fields_from_row_and_job_page():
    s = spider()
    request = listed(s)[0]
    [job] = detail(request, FILES.joinpath("taleo", "jobdetail.ftl.html").read_bytes())
    assert job["external_id"] == "2600417"
    assert job["title"] == "Construction Superintendent - R&D Homes"
    assert job["url"] == f"{ORIGIN}/careersection/2/jobdetail.ftl?job=2600417&lang=en"
    assert job["location"] == "Austin, TX, US; Round Rock, TX, US"
    assert job["country"] == "US"
    assert job["employment_type"] == "full_time"  # the job page's bare "Full-time" cell
    assert job["posted_at"] == datetime(2026, 8, 24, tzinfo=UTC)
    html_text = job["description_html"]
    assert html_text.startswith("<p>Lead our field teams &amp; subcontractors")
    assert "5+ years building homes" in html_text
    assert "Not the advert" not in html_text  # only the descRequisition list
    assert (job["salary_min"], job["salary_max"]) == (85000, 105000)
    assert job["list_hash"] == s.list_hashes["2600417"]


def test_columns_are_read_by_taleos_pointers_not_position():
    s = spider()
    request = listed(s)[1]
    [job] = detail(request, "<html><body>no advert here</body></html>")
    assert job["external_id"] == "214611"  # no contestNo: the jobId
    assert job["title"] == "Customer Care Associate (Bilingual)"
    assert job["location"] == "Quezon City, Metro Manila, National Capital, PH"
    assert job["posted_at"] == datetime(2026, 8, 13, tzinfo=UTC)  # "13-Aug-26"
    assert job["description_html"] is None
    assert job["employment_type"] is None


def test_plain_location_and_slashed_date():
    s = spider()
    [job] = detail(listed(s)[2], "<html></html>")
    assert job["location"] == "Remote - Canada"  # a spaced dash is no hierarchy
    assert job["remote_type"] == "remote"
    assert job["posted_at"] == datetime(2026, 8, 19, tzinfo=UTC)


def test_a_malformed_row_costs_only_itself():
    s = spider()
    bad = {"contestNo": "2600999", "column": "not a list", "linkedColumn": 0}
    results = list(s.parse_page(response(SEARCH, page([bad, *rows(1)], 2)), "101430233", 1))
    assert len(results) == 2 and s.listing.complete
    assert detail(results[0], "<html></html>")[0]["title"] is None
    request = results[1]
    reply = HtmlResponse(request.url, body=b"<html></html>", request=request)
    broken = {**request.cb_kwargs["row"], "locationsColumns": [1], "column": ["T", 5, "x"]}
    assert postings(s.parse_detail(reply, broken)) != []  # odd cells are read as absent


def test_pages_until_the_total():
    s = spider()
    first = list(s.parse_page(response(SEARCH, page(rows(25), 60)), "101430233", 1))
    [nxt] = [r for r in first if r.callback == s.parse_page]
    assert json.loads(nxt.body)["pageNo"] == 2 and nxt.cb_kwargs == {
        "portal": "101430233",
        "page": 2,
    }
    list(s.parse_page(response(SEARCH, page(rows(25, 25), 60, no=2)), "101430233", 2))
    assert not s.listing.finished
    third = list(s.parse_page(response(SEARCH, page(rows(10, 50), 60, no=3)), "101430233", 3))
    assert not [r for r in third if r.callback == s.parse_page]
    assert s.listing.complete


def test_the_page_size_asked_is_echoed_not_served():
    """Taleo echoes a pageSize of 100 but serves 25: a page shorter than it is no end."""
    s = spider()
    first = list(s.parse_page(response(SEARCH, page(rows(25), 60, size=100)), "101430233", 1))
    assert [r for r in first if r.callback == s.parse_page]
    assert not s.listing.finished


def test_a_repeated_page_past_the_end_fails_the_listing():
    s = spider()
    list(s.parse_page(response(SEARCH, page(rows(25), 60)), "101430233", 1))
    again = list(s.parse_page(response(SEARCH, page(rows(25), 60, no=1)), "101430233", 2))
    assert not [r for r in again if r.callback == s.parse_page]
    assert "a full page repeated" in s.listing.problem


def test_an_overstated_total_ends_when_the_short_page_comes_again():
    s = spider()
    first = list(s.parse_page(response(SEARCH, page(rows(1), 3)), "101430233", 1))
    [nxt] = [r for r in first if r.callback == s.parse_page]  # TfL: totalCount 3, 1 served
    assert json.loads(nxt.body)["pageNo"] == 2
    assert not s.listing.finished
    assert list(s.parse_page(response(SEARCH, page(rows(1), 3)), "101430233", 2)) == []
    assert s.listing.complete
    assert s.crawler.stats.get_value("jobcrawler/taleo/total_overstated") == 1


def test_missing_paging_fails_the_listing():
    for body in ({"requisitionList": []}, {"pagingData": {"totalCount": 1, "pageSize": 25}}, []):
        s = spider()
        assert list(s.parse_page(response(SEARCH, json.dumps(body)), "1", 1)) == []
        assert "pagingData" in s.listing.problem


def test_empty_section_is_complete():
    s = spider()
    assert list(s.parse_page(response(SEARCH, page([], 0)), "101430233", 1)) == []
    assert s.listing.complete


def test_unchanged_rows_skip_their_job_page():
    s = spider()
    listed(s)
    again = spider()
    again.known_list_hashes = dict(s.list_hashes)
    assert listed(again) == [] and again.listing.complete


@pytest.mark.parametrize(
    "url",
    [
        SECTION,
        f"{ORIGIN}/careersection/2/jobsearch.ftl",
        f"{ORIGIN}/careersection/2/jobdetail.ftl?job=2600417&lang=en",
        f"{ORIGIN}/careersection/2/moresearch.ftl?lang=en&portal=101430233",
    ],
)
def test_finder_reads_section_and_job_urls(url):
    assert recognize(url) == {"ats": "taleo", "careers_url": SECTION}


def test_finder_keeps_the_section_language():
    url = (
        "https://hilton.taleo.net/careersection/us_hotel_ext/jobdetail.ftl?job=HOT0AB12&lang=fr_FR"
    )
    assert recognize(url) == {
        "ats": "taleo",
        "careers_url": "https://hilton.taleo.net/careersection/us_hotel_ext/jobsearch.ftl?lang=fr_FR",
    }


@pytest.mark.parametrize(
    "url",
    [
        f"{ORIGIN}/careersection/rest/jobboard/searchjobs?portal=1",
        f"{ORIGIN}/careersection/feed/joblist.rss",
        "https://www.taleo.net/careersection/2/jobsearch.ftl",
        f"{ORIGIN}/orion/jobs",
    ],
)
def test_finder_rejects_other_taleo_urls(url):
    assert recognize(url) is None


def test_finder_reads_an_embedded_section_link():
    page = (
        '<iframe src="https://drhorton.taleo.net/careersection/2/jobsearch.ftl?lang=en"></iframe>'
    )
    assert find_in_page("https://drhorton.example/careers", page) == {
        "ats": "taleo",
        "careers_url": SECTION,
    }


def test_catalog_refuses_a_careers_url_without_a_section():
    problems = catalog_problems(entry_yaml({"ats": "taleo", "careers_url": ORIGIN}))
    assert problems and "not a Taleo career section" in " ".join(problems)


def test_the_fakes_paging_quirks_end_the_listing(fake_ats):
    """The fake overstates totalCount and repeats its last page past the end, as Taleo
    sections do: the spider's requests, answered by it, still end complete."""
    board = fake_ats.add_board("taleo", "tlpaging", size=30, overstate=2)
    s = spider(base_url=fake_ats.base_url("taleo", "tlpaging"))
    [shell] = start_requests(s)
    with urllib.request.urlopen(shell.url) as reply:
        [request] = list(s.parse_board(HtmlResponse(shell.url, body=reply.read())))
    pages = 0
    while request is not None:
        call = urllib.request.Request(
            request.url, data=request.body, headers={"tz": "GMT+00:00"}, method="POST"
        )
        with urllib.request.urlopen(call) as reply:
            body = reply.read()
        results = list(s.parse_page(response(request.url, body), **request.cb_kwargs))
        request = next((r for r in results if r.callback == s.parse_page), None)
        pages += 1
    assert pages == 3  # 25, 5, then the 5 again
    assert s.listing.complete
    assert s.seen == set(board.ids())
