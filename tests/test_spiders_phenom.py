"""Phenom: the embedded first page, widget pages until totalHits, job pages for details."""

import json

import scrapy

from jobcrawler.finder import find_in_page, recognize
from jobcrawler.platforms import PLATFORMS
from tests.helpers import FILES, make_spider, postings, response, start_requests

SITE = "https://careers.northwind.com/us/en"
PAGE = FILES.joinpath("phenom", "search-results.html").read_text()


def spider(**company):
    return make_spider("phenom", "northwind", careers_url=SITE, **company)


def first_page(s, body=PAGE):
    return list(s.parse_search_page(response(f"{SITE}/search-results", body)))


def requests(results):
    return [r for r in results if isinstance(r, scrapy.Request)]


def test_start_reads_the_search_page_of_the_site():
    [request] = start_requests(spider())
    assert request.url == f"{SITE}/search-results"
    [request] = start_requests(spider(base_url="http://127.0.0.1:8089/phenom/northwind"))
    assert request.url == "http://127.0.0.1:8089/phenom/northwind/us/en/search-results"


def test_embedded_page_gives_details_and_the_next_widget_page():
    s = spider()
    results = first_page(s)
    *details, widget = requests(results)
    assert [d.meta["external_id"] for d in details] == [
        "R-104512",
        "R-103877",
        "NOWIUS77123EXTERNALENUS",
    ]
    assert details[0].url == f"{SITE}/job/R-104512/Senior-Data-Engineer-Analyst"
    assert details[0].cb_kwargs["url"] == details[0].url
    assert widget.url == "https://careers.northwind.com/widgets" and widget.method == "POST"
    body = json.loads(widget.body)
    assert (body["ddoKey"], body["refNum"], body["lang"], body["country"]) == (
        "refineSearch",
        "NOWIUS",
        "en_us",
        "us",
    )
    assert (body["from"], body["siteType"]) == (3, "external")
    assert not s.listing.finished


def test_widget_page_reaching_total_hits_ends_the_listing_and_a_bad_entry_costs_itself():
    s = spider()
    first_page(s)
    body = FILES.joinpath("phenom", "widgets-page2.json").read_bytes()
    results = list(s.parse_widget(response("https://careers.northwind.com/widgets", body), 3, 5))
    assert [r.meta["external_id"] for r in requests(results)] == ["R-101001"]
    # "not a job" has no id: the listing cannot prove it saw everything
    assert "entry without a readable id" in s.listing.problem
    assert s.crawler.stats.get_value("jobcrawler/entries/errors") == 1


def test_total_reached_is_the_end():
    s = spider()
    page = {
        "refineSearch": {
            "status": 200,
            "totalHits": 5,
            "data": {"jobs": [{"jobId": "A1", "title": "x"}, {"jobId": "A2", "title": "y"}]},
        }
    }
    first_page(s)
    results = list(s.parse_widget(response("https://x/widgets", json.dumps(page)), 3, 5))
    assert len(requests(results)) == 2 and s.listing.complete


def test_short_or_odd_pages_fail_the_listing():
    def widget(page, total=5):
        s = spider()
        first_page(s)
        list(s.parse_widget(response("https://x/widgets", json.dumps(page)), 3, total))
        return s.listing

    empty = widget({"refineSearch": {"status": 200, "totalHits": 5, "data": {"jobs": []}}})
    assert not empty.complete and "an empty page at 3 of 5" in empty.problem
    drift = widget({"refineSearch": {"status": 200, "totalHits": 7, "data": {"jobs": []}}})
    assert "the total went from 5 to 7" in drift.problem
    inside = widget({"refineSearch": {"status": 400, "errorMessage": "bad request"}})
    assert "status 400" in inside.problem
    repeated = widget(
        {
            "refineSearch": {
                "status": 200,
                "totalHits": 5,
                "data": {"jobs": [{"jobId": "R-104512"}, {"jobId": "R-103877"}]},
            }
        }
    )
    assert "3 distinct postings came but the total is 5" in repeated.problem


def test_page_without_embedded_search_or_total_fails():
    s = spider()
    first_page(s, "<html><script>var phApp = phApp || {};</script></html>")
    assert "eagerLoadRefineSearch" in s.listing.problem
    s = spider()
    first_page(s, PAGE.replace('"totalHits":5,', ""))
    assert "no totalHits" in s.listing.problem


def test_all_on_the_first_page_needs_no_refnum_or_widget():
    s = spider()
    page = PAGE.replace('"totalHits":5', '"totalHits":3')
    assert len(requests(first_page(s, page))) == 3 and s.listing.complete


def detail(s, request, body):
    reply = response(request.url, body, **request.meta)
    return postings(request.callback(reply, **request.cb_kwargs))


def test_detail_merges_list_and_job_page_fields():
    s = spider()
    details = requests(first_page(s))
    [posting] = detail(s, details[0], FILES.joinpath("phenom", "job.html").read_bytes())
    assert posting["external_id"] == "R-104512"
    assert posting["title"] == "Senior Data Engineer & Analyst"
    assert posting["url"] == f"{SITE}/job/R-104512/Senior-Data-Engineer-Analyst"
    assert posting["apply_url"].startswith("https://northwind.wd1.myworkdayjobs.com/")
    assert posting["location"] == (
        "Chicago, Illinois, United States of America; Remote, United States of America"
    )
    assert posting["remote_type"] == "hybrid"
    assert posting["employment_type"] == "full_time"
    assert posting["department"] == "Technology" and posting["team"] == "Data Platform"
    assert posting["posted_at"].isoformat().startswith("2026-10-28")
    assert "<li>Spark</li>" in posting["description_html"]
    assert posting["salary_min"] == 140000


def test_sparse_jobs_keep_what_they_have():
    s = spider()
    details = requests(first_page(s))
    page = '<script>phApp.ddo = {"jobDetail":{"status":200,"data":{"job":{"description":"<p>x</p>"}}}};</script>'
    [warehouse] = detail(s, details[1], page)
    assert warehouse["location"] == "Toronto, Ontario, Canada"
    assert warehouse["employment_type"] == "part_time"
    [sales] = detail(s, details[2], page)
    assert sales["external_id"] == "NOWIUS77123EXTERNALENUS"
    assert sales["location"] == "Germany" and sales["remote_type"] == "remote"
    assert sales["posted_at"].isoformat().startswith("2026-11-30")


def test_job_page_without_the_job_keeps_the_posting():
    s = spider()
    details = requests(first_page(s))
    assert detail(s, details[0], "<html>Job not found</html>") == []
    assert "R-104512" in s.listing.seen_without_item


def test_finder_reads_phenom_hosts_and_the_phapp_of_any_page():
    entry = {"ats": "phenom", "careers_url": "https://careers.acme.phenompeople.com/us/en"}
    assert recognize("https://careers.acme.phenompeople.com/us/en/job/R1/engineer") == entry
    assert recognize("https://cdn.phenompeople.com/CareerConnectResources/ACMEUS/x.js") is None
    # the jobs' Workday apply URLs are noted, the site is the board
    found = find_in_page("https://careers.northwind.com/us/en/", PAGE)
    assert {k: found[k] for k in ("ats", "careers_url")} == {"ats": "phenom", "careers_url": SITE}
    assert PLATFORMS["phenom"].default_name(entry, "") == "acme"
