"""Dayforce: portal cookies and CSRF token, then the job-posting search 25 at a time."""

import json

import scrapy
from scrapy.http import TextResponse

from jobcrawler.finder import find_in_page, recognize
from tests.helpers import FILES, make_spider, postings, response, start_requests

ORIGIN = "https://jobs.dayforcehcm.com"
SEARCH = f"{ORIGIN}/api/geo/northwind/jobposting/search"


def spider(**company):
    return make_spider("dayforce", "northwind", **company)


def session(s):
    """Portal visit and CSRF answer, as the portal's front end sees them."""
    page = TextResponse(
        f"{ORIGIN}/en-US/northwind/CANDIDATEPORTAL",
        body=b"<html></html>",
        headers={"Set-Cookie": "__Secure-next-auth.callback-url=%2F; Path=/; Secure"},
    )
    [csrf] = list(s.parse_portal(page))
    assert csrf.url == f"{ORIGIN}/api/auth/csrf"
    answer = TextResponse(
        csrf.url,
        body=b'{"csrfToken": "tok123"}',
        headers={"Set-Cookie": "__Host-next-auth.csrf-token=tok123%7Cabc; Path=/; HttpOnly"},
    )
    [search] = list(s.parse_csrf(answer))
    return search


def test_start_visits_the_portal():
    [request] = start_requests(spider())
    assert request.url == f"{ORIGIN}/en-US/northwind/CANDIDATEPORTAL"
    [request] = start_requests(spider(job_board="Careers", culture="fr-CA"))
    assert request.url == f"{ORIGIN}/fr-CA/northwind/Careers"


def test_search_carries_the_token_the_cookies_and_the_board():
    search = session(spider())
    assert search.url == SEARCH and search.method == "POST"
    assert search.headers[b"X-CSRF-TOKEN"] == b"tok123"
    cookie = search.headers[b"Cookie"].decode()
    assert "__Host-next-auth.csrf-token=tok123%7Cabc" in cookie
    assert "__Secure-next-auth.callback-url=%2F" in cookie
    assert json.loads(search.body) == {
        "clientNamespace": "northwind",
        "jobBoardCode": "CANDIDATEPORTAL",
        "cultureCode": "en-US",
        "distanceUnit": 0,
        "paginationStart": 0,
    }


def search(s, body, start=0, total=None):
    return list(s.parse_search(response(SEARCH, body), start, total))


def test_page_fields_and_the_next_page():
    s = spider()
    session(s)
    results = search(s, FILES.joinpath("dayforce", "search.json").read_bytes())
    found = postings(results)
    [following] = [r for r in results if isinstance(r, scrapy.Request)]
    assert json.loads(following.body)["paginationStart"] == 4
    assert following.headers[b"X-CSRF-TOKEN"] == b"tok123"
    analyst, partner, sparse = found
    assert analyst["external_id"] == "7167" and analyst["title"] == "Analyst, Accounts Payable"
    assert analyst["url"] == f"{ORIGIN}/en-US/northwind/CANDIDATEPORTAL/jobs/7167"
    assert analyst["location"] == "Vadodara, Gujarat, India"
    assert (analyst["city"], analyst["region"], analyst["country"]) == ("Vadodara", "GJ", "IN")
    assert analyst["remote_type"] is None
    assert analyst["posted_at"].isoformat() == "2026-07-16T00:00:00+00:00"
    assert "Process invoices &amp; payments." in analyst["description_html"]
    assert analyst["salary_min"] == 22 and analyst["salary_period"] == "hour"
    assert partner["title"] == "Delivery Partner (EST)"
    assert partner["location"] == "US; Toronto, ON, Canada"
    assert partner["remote_type"] == "remote"
    assert sparse["location"] is None and sparse["description_html"] is None
    assert s.crawler.stats.get_value("jobcrawler/entries/errors") == 1


def test_max_count_reached_with_distinct_ids_is_the_end():
    s = spider()
    body = {"jobPostings": [{"jobPostingId": 1}, {"jobPostingId": 2}], "maxCount": 2}
    search(s, json.dumps(body))
    assert s.listing.complete


def test_odd_pages_fail_the_listing():
    def run(body, start=0, total=None):
        s = spider()
        search(s, json.dumps(body), start, total)
        return s.listing.problem

    assert "an empty page at 25 of 30" in run({"jobPostings": [], "maxCount": 30}, 25, 30)
    assert "the total went from 30 to 31" in run({"jobPostings": [], "maxCount": 31}, 25, 30)
    repeated = {"jobPostings": [{"jobPostingId": 1}, {"jobPostingId": 1}], "maxCount": 2}
    assert "1 distinct postings came but the total is 2" in run(repeated)
    assert "no 'jobPostings' list" in run({"message": "Forbidden"})


def test_csrf_answer_without_token_fails():
    s = spider()
    list(s.parse_csrf(response(f"{ORIGIN}/api/auth/csrf", b"{}")))
    assert "no csrfToken" in s.listing.problem


def test_finder_reads_portal_api_and_legacy_urls():
    car = {"ats": "dayforce", "board": "car"}
    assert recognize(f"{ORIGIN}/en-US/car/CANDIDATEPORTAL/jobs/12216") == car
    assert recognize(f"{ORIGIN}/car/candidateportal") == car
    assert recognize(f"{ORIGIN}/api/geo/car/jobposting/search") == car
    assert recognize(f"{ORIGIN}/fr-CA/car/Careers") == {
        **car,
        "job_board": "Careers",
        "culture": "fr-CA",
    }
    legacy = "https://us58.dayforcehcm.com/CandidatePortal/en-US/car/Site/CAREERS/Posting/View/7"
    assert recognize(legacy) == {**car, "job_board": "CAREERS"}
    assert recognize(f"{ORIGIN}/api/auth/csrf") is None


def test_finder_reads_a_careers_link():
    page = '<a class="btn" href="https://jobs.dayforcehcm.com/en-US/car/CANDIDATEPORTAL">Search jobs</a>'
    assert find_in_page("https://car.example/careers", page) == {"ats": "dayforce", "board": "car"}
