"""Oracle Recruiting Cloud: finder-matrix pages checked against TotalJobsCount, detail per new posting."""

import json
import urllib.request
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import scrapy

from jobcrawler.finder import catalog_problems, entry_yaml, find_in_page, recognize
from jobcrawler.spiders.oracle import OracleSpider
from tests.helpers import FILES, make_spider, postings, response, start_requests

SITE = "https://eeho.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1"
API = "https://eeho.fa.us2.oraclecloud.com/hcmRestApi/resources/latest"
LIST = f"{API}/recruitingCEJobRequisitions"


def spider(**company) -> OracleSpider:
    company.setdefault("careers_url", SITE + "/requisitions")
    return make_spider("oracle", "northwind", **company)


def finder(request) -> dict[str, str]:
    value = unquote(parse_qs(urlsplit(request.url).query)["finder"][0])
    head, _, rest = value.partition(";")
    return {"finder": head, **dict(p.split("=", 1) for p in rest.split(","))}


def page(rows, total):
    return json.dumps(
        {
            "items": [{"TotalJobsCount": total, "requisitionList": rows}],
            "count": 1,
            "hasMore": False,
        }
    )


def rows(n, start=0):
    return [{"Id": str(5000 + i), "Title": f"Job {i}"} for i in range(start, start + n)]


def listed(s, name="requisitions.json"):
    body = FILES.joinpath("oracle", name).read_bytes()
    return list(s.parse_page(response(LIST, body), 0))


def detail(request, name):
    body = FILES.joinpath("oracle", name).read_bytes()
    reply = response(request.url, body, **request.meta)
    return postings(request.callback(reply, **request.cb_kwargs))


def test_start_asks_for_the_site_in_the_finder():
    [request] = start_requests(spider())
    assert request.url.startswith(LIST + "?onlyData=true&expand=requisitionList.secondaryLocations")
    assert finder(request) == {
        "finder": "findReqs",
        "siteNumber": "CX_1",
        "limit": "100",
        "offset": "0",
        "sortBy": "POSTING_DATES_DESC",
    }
    assert request.headers[b"Accept"] == b"application/json"


def test_base_url_replaces_the_pod_origin():
    [request] = start_requests(spider(base_url="http://127.0.0.1:8089/oracle/eeho"))
    assert request.url.startswith(
        "http://127.0.0.1:8089/oracle/eeho/hcmRestApi/resources/latest/recruitingCEJobRequisitions?"
    )


def test_list_asks_for_details_and_is_complete_at_the_total():
    s = spider()
    results = listed(s)
    # the third row's secondaryLocations is malformed only in its detail: the list is fine
    assert [r.meta["external_id"] for r in results] == ["25018230", "2506217", "2506300"]
    assert all(r.errback == s.detail_error for r in results)
    assert finder(results[0]) == {"finder": "ById", "Id": '"25018230"', "siteNumber": "CX_1"}
    assert "expand=all" in results[0].url
    assert s.listing.complete  # 3 of TotalJobsCount 3


def test_detail_fields_come_out_right():
    s = spider()
    results = listed(s)
    [job] = detail(results[0], "detail.json")
    assert job["external_id"] == "25018230"
    assert job["title"] == "Senior Data Engineer - R&D"
    assert job["url"] == f"{SITE}/job/25018230"
    assert job["apply_url"] == job["url"]  # applying starts on the job page
    # primary first, secondary repeats of it dropped
    assert job["location"] == (
        "Richardson, TX, United States; Austin, TX, United States; Toronto, ON, Canada"
    )
    assert job["country"] == "US"
    assert job["remote_type"] == "hybrid"  # the code wins over the tenant's label
    assert job["employment_type"] == "full_time"
    assert job["department"] == "Software Development"
    assert job["posted_at"] == datetime(2026, 9, 27, 11, 6, 22, tzinfo=UTC)
    html = job["description_html"]
    assert html.index("You will build") < html.index("<h3>Responsibilities</h3>")
    assert html.index("Own batch") < html.index("<h3>Qualifications</h3>") < html.index("5+ years")
    assert "Northwind builds chips" not in html  # the company boilerplate is not the advert
    assert (job["salary_min"], job["salary_max"], job["salary_currency"]) == (120000, 160000, "USD")
    assert job["list_hash"] == s.list_hashes["25018230"]


def test_repeated_advert_sections_appear_once_and_label_gives_remote():
    s = spider()
    [job] = detail(listed(s)[1], "detail_repeated.json")
    assert job["external_id"] == "2506217"  # a numeric Id is stored as a string
    assert job["description_html"] == "<p>Maintain probers &amp; testers.</p>"
    assert job["remote_type"] == "remote"  # no WorkplaceTypeCode: the label
    assert job["employment_type"] == "part_time"
    assert job["location"] == "Dresden, Saxony, Germany"
    assert job["country"] == "DE"


def test_sparse_detail_falls_back_to_the_list_row_and_teaser():
    s = spider()
    request = listed(s)[0]
    reply = response(request.url, json.dumps({"items": [{"Id": "25018230"}]}), **request.meta)
    [job] = postings(request.callback(reply, **request.cb_kwargs))
    assert job["title"] == "Senior Data Engineer - R&D"
    assert job["posted_at"] == datetime(2026, 9, 27, tzinfo=UTC)  # the bare PostedDate
    assert "analytics & reporting" in job["description"]  # the teaser, entity decoded


def test_a_malformed_entry_costs_only_itself():
    s = spider()
    request = listed(s)[2]
    reply = response(request.url, json.dumps({"items": [{"Id": "2506300"}]}), **request.meta)
    assert postings(request.callback(reply, **request.cb_kwargs)) == []
    assert s.crawler.stats.get_value("jobcrawler/entries/errors") == 1
    assert "2506300" in s.listing.seen_without_item
    assert s.listing.complete


def test_a_detail_closed_since_the_list_keeps_the_posting():
    s = spider()
    request = listed(s)[0]
    assert detail(request, "detail_closed.json") == []
    assert "25018230" in s.listing.seen_without_item


def test_unchanged_rows_skip_their_detail():
    s = spider()
    first = listed(s)
    s2 = spider()
    s2.known_list_hashes = dict(s.list_hashes)
    assert listed(s2) == [] and s2.listing.complete
    assert len(first) == 3


def test_pages_advance_by_what_came_until_the_total():
    s = spider()
    first = list(s.parse_page(response(LIST, page(rows(50), 120)), 0))
    [nxt] = [r for r in first if r.callback == s.parse_page]
    assert finder(nxt)["offset"] == "50"  # the pod served 50 of the 100 asked
    second = list(s.parse_page(response(LIST, page(rows(50, 50), 120)), 50))
    [last] = [r for r in second if r.callback == s.parse_page]
    assert finder(last)["offset"] == "100"
    assert not s.listing.finished
    third = list(s.parse_page(response(LIST, page(rows(20, 100), 120)), 100))
    assert not [r for r in third if r.callback == s.parse_page]
    assert s.listing.complete


def test_an_empty_page_before_the_total_fails_the_listing():
    s = spider()
    list(s.parse_page(response(LIST, page(rows(10), 30)), 0))
    assert list(s.parse_page(response(LIST, page([], 30)), 10)) == []
    assert not s.listing.complete
    assert "TotalJobsCount is 30 but only 10" in s.listing.problem


def test_a_repeated_page_fails_the_listing():
    s = spider()
    list(s.parse_page(response(LIST, page(rows(10), 30)), 0))
    again = list(s.parse_page(response(LIST, page(rows(10), 30)), 10))
    assert not [r for r in again if isinstance(r, scrapy.Request) and r.callback == s.parse_page]
    assert not s.listing.complete


def test_missing_total_or_search_row_fails_the_listing():
    for body in ({"items": []}, {"items": [{"requisitionList": []}]}, {"count": 0}, []):
        s = spider()
        assert list(s.parse_page(response(LIST, json.dumps(body)), 0)) == []
        assert "TotalJobsCount" in s.listing.problem


def test_an_entry_without_id_fails_the_listing_but_not_the_others():
    s = spider()
    results = list(s.parse_page(response(LIST, page([{"Title": "x"}, *rows(1)], 2)), 0))
    details = [r for r in results if r.callback == s.parse_detail]
    assert [r.meta["external_id"] for r in details] == ["5000"]
    assert not s.listing.complete


def test_verify_asks_the_detail_and_reads_an_empty_items_as_gone():
    s = spider()
    request = s.verify_request("2506300", None)
    assert finder(request) == {"finder": "ById", "Id": '"2506300"', "siteNumber": "CX_1"}
    closed = FILES.joinpath("oracle", "detail_closed.json").read_bytes()
    assert s.posting_gone(response(request.url, closed))
    assert not s.posting_gone(
        response(request.url, FILES.joinpath("oracle", "detail.json").read_bytes())
    )
    assert not s.posting_gone(response(request.url, b"<html>maintenance</html>"))


def test_a_careers_url_without_a_site_fails_at_start():
    s = spider()
    s.site = None
    assert start_requests(s) == []
    assert "not an Oracle Candidate Experience site" in s.listing.problem


@pytest.mark.parametrize(
    "url",
    [
        SITE,
        SITE + "/requisitions?location=Texas",
        SITE + "/job/25018230/?utm_medium=jobshare",
        "https://eeho.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1/my-profile",
        f"{LIST}?onlyData=true&expand=requisitionList&finder=findReqs;siteNumber=CX_1,limit=25",
        f"{API}/recruitingCEJobRequisitionDetails?finder=ById;Id=%2212%22,siteNumber=CX_1",
    ],
)
def test_finder_reads_site_job_and_api_urls(url):
    assert recognize(url) == {"ats": "oracle", "careers_url": SITE}


def test_finder_keeps_the_site_language_and_number():
    url = "https://fa-eqid-saasfaprod1.fa.ocs.oraclecloud.com/hcmUI/CandidateExperience/fr/sites/CX_1001/job/7"
    assert recognize(url) == {
        "ats": "oracle",
        "careers_url": (
            "https://fa-eqid-saasfaprod1.fa.ocs.oraclecloud.com/hcmUI/CandidateExperience/fr/sites/CX_1001"
        ),
    }


@pytest.mark.parametrize(
    "url",
    [
        "https://eeho.fa.us2.oraclecloud.com/hcmUI/faces/FuseWelcome",
        f"{LIST}?onlyData=true",
        "https://www.oracle.com/careers/",
        "https://docs.oracle.com/en/cloud/saas/sites/CX_1",
    ],
)
def test_finder_rejects_other_oracle_urls(url):
    assert recognize(url) is None


def test_finder_reads_the_search_call_of_an_embedded_widget():
    script = (
        "<script>fetch('https://eeho.fa.us2.oraclecloud.com/hcmRestApi/resources/latest/"
        "recruitingCEJobRequisitions?onlyData=true&amp;finder=findReqs;siteNumber=CX_1,limit=25')"
        "</script>"
    )
    assert find_in_page("https://acme.example/careers", script) == {
        "ats": "oracle",
        "careers_url": SITE,
    }


def test_catalog_refuses_a_careers_url_without_a_site():
    problems = catalog_problems(
        entry_yaml({"ats": "oracle", "careers_url": "https://eeho.fa.us2.oraclecloud.com/"})
    )
    assert problems and "Candidate Experience site" in " ".join(problems)


def test_the_fakes_pod_serves_fewer_rows_than_asked(fake_ats):
    board = fake_ats.add_board("oracle", "orpod", size=70)
    s = spider(base_url=fake_ats.base_url("oracle", "orpod"))
    [request] = start_requests(s)
    while request is not None:
        with urllib.request.urlopen(request.url) as reply:
            results = list(s.parse_page(response(request.url, reply.read()), **request.cb_kwargs))
        request = next((r for r in results if r.callback == s.parse_page), None)
        if request is not None:
            assert finder(request)["offset"] == "50"  # 100 asked, 50 served
    assert s.listing.complete
    assert s.seen == set(board.ids())
