"""Finding the board: URL forms, careers pages, fetching and the `find` command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from scrapy.http import HtmlResponse

from jobcrawler import __version__, finder
from jobcrawler.catalog import COMPANIES_DIR_ENV, load_catalog
from jobcrawler.finder import (
    NOT_FOUND,
    default_name,
    entry_yaml,
    find_board,
    find_in_page,
    recognize,
    scan_page,
)
from jobcrawler.finder_fetch import describe_error, fetch_page
from jobcrawler.platforms import PLATFORMS
from jobcrawler.platforms.workday import parse_careers_url
from tests.helpers import make_spider
from tests.pgserver import free_port

GH = {"ats": "greenhouse", "board": "acme"}
LEVER = {"ats": "lever", "board": "acme"}
LEVER_EU = {"ats": "lever", "board": "acme", "base_url": "https://api.eu.lever.co"}
ASHBY = {"ats": "ashby", "board": "acme"}
WORKDAY = {"ats": "workday", "careers_url": "https://acme.wd5.myworkdayjobs.com/External"}
WD_SITE = {
    "ats": "workday",
    "careers_url": "https://wd3.myworkdaysite.com/recruiting/acme/External",
}
SR = {"ats": "smartrecruiters", "board": "AcmeCorp"}
RECRUITEE = {"ats": "recruitee", "board": "acme"}
WORKABLE = {"ats": "workable", "board": "acme"}
BAMBOO = {"ats": "bamboohr", "board": "acme"}
PERSONIO = {"ats": "personio", "board": "acme"}
PERSONIO_COM = {"ats": "personio", "board": "acme", "base_url": "https://acme.jobs.personio.com"}
TEAMTAILOR = {"ats": "teamtailor", "board": "acme"}
BREEZY = {"ats": "breezy", "board": "acme"}
COMEET = {"ats": "comeet", "board": "12.34C"}

URL_FORMS = [
    # the six from the issue
    ("https://boards.greenhouse.io/acme", GH),
    ("https://job-boards.eu.greenhouse.io/acme", GH),
    ("https://jobs.lever.co/acme", LEVER),
    ("https://acme.wd5.myworkdayjobs.com/en-US/External", WORKDAY),
    ("https://jobs.ashbyhq.com/acme", ASHBY),
    ("https://acme.recruitee.com", RECRUITEE),
    # greenhouse
    ("https://job-boards.greenhouse.io/acme", GH),
    ("https://boards.eu.greenhouse.io/acme", GH),
    ("https://boards.greenhouse.io/embed/job_board?for=acme", GH),
    ("https://boards.greenhouse.io/embed/job_board/js?for=acme", GH),
    ("https://boards.greenhouse.io/embed/job_app?for=acme&token=4012345", GH),
    ("https://boards-api.greenhouse.io/v1/boards/acme/jobs", GH),
    ("https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true", GH),
    ("https://job-boards.greenhouse.io/acme/jobs/4012345", GH),
    ("https://boards.greenhouse.io/acme/jobs/4012345?gh_src=abc", GH),
    ("HTTPS://WWW.Boards.Greenhouse.IO/acme/", GH),
    ("boards.greenhouse.io/acme", GH),
    ("//boards.greenhouse.io/acme", GH),
    ("  https://boards.greenhouse.io/acme#top  ", GH),
    ("https://boards.greenhouse.io/acme-labs", {"ats": "greenhouse", "board": "acme-labs"}),
    # lever
    ("https://jobs.lever.co/acme/", LEVER),
    ("https://jobs.lever.co/acme/0f2c3b1a-1111-2222-3333-444455556666/apply", LEVER),
    ("https://www.jobs.lever.co/acme?team=Engineering", LEVER),
    ("https://api.lever.co/v0/postings/acme?mode=json", LEVER),
    ("https://jobs.eu.lever.co/acme", LEVER_EU),
    ("https://jobs.eu.lever.co/acme/0f2c3b1a-1111-2222-3333-444455556666", LEVER_EU),
    ("https://api.eu.lever.co/v0/postings/acme", LEVER_EU),
    # ashby
    ("https://jobs.ashbyhq.com/acme/", ASHBY),
    ("https://jobs.ashbyhq.com/acme/8f1d2c3b-aaaa-bbbb-cccc-ddddeeeeffff", ASHBY),
    ("https://jobs.ashbyhq.com/acme/embed?version=2", ASHBY),
    ("https://jobs.ashbyhq.com/Acme%20Corp", {"ats": "ashby", "board": "Acme Corp"}),
    ("https://api.ashbyhq.com/posting-api/job-board/acme?includeCompensation=true", ASHBY),
    # workday
    ("https://acme.wd5.myworkdayjobs.com/External", WORKDAY),
    ("https://ACME.WD5.myworkdayjobs.com/en-US/External/", WORKDAY),
    ("https://acme.wd5.myworkdayjobs.com/fr-FR/External/job/Paris/Engineer_R-1234", WORKDAY),
    ("https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/jobs", WORKDAY),
    (
        "https://acme.wd103.myworkdayjobs.com/External_Career_Site?q=engineer",
        {
            "ats": "workday",
            "careers_url": "https://acme.wd103.myworkdayjobs.com/External_Career_Site",
        },
    ),
    ("https://wd3.myworkdaysite.com/recruiting/acme/External", WD_SITE),
    ("https://wd3.myworkdaysite.com/en-US/recruiting/acme/External/job/Remote/X_R1", WD_SITE),
    ("https://wd3.myworkdaysite.com/wday/cxs/acme/External/jobs", WD_SITE),
    # a two-letter site is a site: only language-REGION is a locale
    (
        "https://acme.wd5.myworkdayjobs.com/us",
        {"ats": "workday", "careers_url": "https://acme.wd5.myworkdayjobs.com/us"},
    ),
    (
        "https://acme.wd5.myworkdayjobs.com/en-US/us/job/Paris/Engineer_R-1234",
        {"ats": "workday", "careers_url": "https://acme.wd5.myworkdayjobs.com/us"},
    ),
    # smartrecruiters
    ("https://jobs.smartrecruiters.com/AcmeCorp", SR),
    ("https://jobs.smartrecruiters.com/AcmeCorp/743999912345678-software-engineer", SR),
    ("https://careers.smartrecruiters.com/AcmeCorp/", SR),
    ("https://api.smartrecruiters.com/v1/companies/AcmeCorp/postings?limit=100", SR),
    ("https://jobs.smartrecruiters.com/oneclick-ui/company/AcmeCorp/publication/abc-123", SR),
    # recruitee
    ("https://acme.recruitee.com/", RECRUITEE),
    ("https://acme.recruitee.com/o/customer-success-manager", RECRUITEE),
    ("https://acme.recruitee.com/api/offers/", RECRUITEE),
    # workable
    ("https://apply.workable.com/acme", WORKABLE),
    ("https://apply.workable.com/acme/j/ABC123DEF4/", WORKABLE),
    ("https://acme.workable.com", WORKABLE),
    ("https://apply.workable.com/api/v1/widget/accounts/acme?details=true", WORKABLE),
    ("https://apply.workable.com/api/v3/accounts/acme/jobs", WORKABLE),
    ("https://www.workable.com/api/accounts/acme", WORKABLE),
    # bamboohr
    ("https://acme.bamboohr.com", BAMBOO),
    ("https://acme.bamboohr.com/careers", BAMBOO),
    ("https://acme.bamboohr.com/careers/86", BAMBOO),
    ("https://acme.bamboohr.com/jobs/", BAMBOO),
    # personio
    ("https://acme.jobs.personio.de", PERSONIO),
    ("https://acme.jobs.personio.de/job/1834171?display=en", PERSONIO),
    ("https://acme.jobs.personio.com/", PERSONIO_COM),
    # teamtailor
    ("https://acme.teamtailor.com", TEAMTAILOR),
    ("https://acme.teamtailor.com/jobs/7069633-account-executive", TEAMTAILOR),
    # breezy
    ("https://acme.breezy.hr", BREEZY),
    ("https://acme.breezy.hr/p/98323abf2296-employee-12", BREEZY),
    # comeet: the board from the URL, the token only from a page or an API URL
    ("https://www.comeet.com/jobs/acme/12.34C", COMEET),
    ("https://comeet.co/jobs/acme/12.34C/account-executive/87.405", COMEET),
    (
        "https://www.comeet.co/careers-api/2.0/company/12.34C/positions?token=T0K3N&details=true",
        {"ats": "comeet", "board": "12.34C", "token": "T0K3N"},
    ),
]


@pytest.mark.parametrize(("url", "entry"), URL_FORMS)
def test_recognize_url_forms(url, entry):
    assert recognize(url) == entry


@pytest.mark.parametrize(
    "url", [url for url, entry in URL_FORMS if entry["ats"] == "workday" and "/wday/" not in url]
)
def test_finder_and_spider_read_workday_urls_alike(url):
    """The entry's careers_url names the site the spider reads from the original URL."""
    written = parse_careers_url(recognize(url)["careers_url"])
    assert written == parse_careers_url(url)
    assert (written.tenant, written.site) != ("", "")


@pytest.mark.parametrize(
    "url",
    [
        "https://boards.greenhouse.io/embed",
        "https://boards.greenhouse.io/embed/job_board",
        "https://boards.greenhouse.io/embed/job_app?token=4012345",
        "https://boards.greenhouse.io/",
        "https://boards-api.greenhouse.io/v1/boards/",
        "https://boards.greenhouse.io.example.com/acme",
        "https://notgreenhouse.io/acme",
        "https://jobs.lever.co/",
        "https://api.lever.co/v0/postings/",
        "https://jobs.ashbyhq.com/",
        "https://jobs.ashbyhq.com/api/non-user-graphql",
        "https://acme.wd5.myworkdayjobs.com/",
        "https://acme.wd5.myworkdayjobs.com/en-US",
        "https://wd3.myworkdaysite.com/recruiting/acme",
        "https://jobs.smartrecruiters.com/",
        "https://www.recruitee.com/",
        "https://app.recruitee.com/acme",
        "https://apply.workable.com/j/ABC123DEF4",
        "https://www.bamboohr.com/careers",
        "https://static.teamtailor.com/logo.png",
        "https://www.comeet.com/jobs/acme",
        "https://www.comeet.com/jobs/acme/not-a-uid",
        "https://acme.com/careers",
        "ftp://jobs.lever.co/acme",
        "mailto:jobs@acme.recruitee.com",
        "",
    ],
)
def test_recognize_rejects_non_board_urls(url):
    assert recognize(url) is None


# --- pages -----------------------------------------------------------------------------------


def page(body: str) -> str:
    return f"<!doctype html><html><head><title>Careers</title></head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("body", "entry"),
    [
        (
            '<div id="grnhse_app"></div>'
            '<script src="https://boards.greenhouse.io/embed/job_board/js?for=acme"></script>',
            GH,
        ),
        (
            '<iframe src="https://boards.greenhouse.io/embed/job_board?for=acme&amp;b=https%3A%2F%2Facme.com"></iframe>',
            GH,
        ),
        ('<iframe src="https://jobs.lever.co/acme" width="100%"></iframe>', LEVER),
        ('<a href="https://jobs.eu.lever.co/acme">Open roles</a>', LEVER_EU),
        (
            "<script>window.leverJobsOptions = {accountName: 'acme', includeCss: true};</script>",
            LEVER,
        ),
        ('<a href="https://jobs.ashbyhq.com/acme">See all jobs</a>', ASHBY),
        ('<script src="https://jobs.ashbyhq.com/acme/embed?version=2"></script>', ASHBY),
        ('<a href="https://acme.wd5.myworkdayjobs.com/en-US/External">Workday</a>', WORKDAY),
        ('<a href="https://jobs.smartrecruiters.com/AcmeCorp">Jobs</a>', SR),
        ('<a href="//acme.recruitee.com/o/engineer">Engineer</a>', RECRUITEE),
        ('<a href="https://apply.workable.com/acme/">Jobs</a>', WORKABLE),
        (
            '<script src="https://acme.bamboohr.com/js/embed.js" type="text/javascript"></script>',
            BAMBOO,
        ),
        ('<a href="https://acme.jobs.personio.de/">Personio</a>', PERSONIO),
        ('<a href="https://acme.teamtailor.com/jobs">Jobs</a>', TEAMTAILOR),
        ('<a href="https://acme.breezy.hr/">Jobs</a>', BREEZY),
        ('<script>var cfg = {"board": "https:\\/\\/jobs.lever.co\\/acme\\/"};</script>', LEVER),
        ("<p>Apply at https://jobs.ashbyhq.com/acme.</p>", ASHBY),
    ],
)
def test_find_in_page_widgets_and_links(body, entry):
    assert find_in_page("https://acme.com/careers", page(body)) == entry


def test_find_in_page_comeet_init_gives_uid_and_token():
    body = """<div class="comeet-outlet"></div>
    <script type="text/javascript">
      window.comeetInit = function() {
        COMEET.init({
          "token": "ABCDEF0123456789ABCDEF01234567",
          "company-uid": "12.34C",
          "color": "278fe6",
          "font-size": "13px"
        });
      };
    </script>
    <script src="https://www.comeet.co/careers-api/api.js" async></script>"""
    assert find_in_page("https://acme.com/careers", page(body)) == {
        "ats": "comeet",
        "board": "12.34C",
        "token": "ABCDEF0123456789ABCDEF01234567",
    }


def test_find_in_page_comeet_underscore_key_single_quotes():
    body = "<script>COMEET.init({token: 'T0K3N', company_uid: '56.78A'});</script>"
    assert find_in_page("https://acme.com/jobs", page(body)) == {
        "ats": "comeet",
        "board": "56.78A",
        "token": "T0K3N",
    }


def test_find_in_page_comeet_link_and_init_merge_into_one_board():
    body = (
        '<a href="https://www.comeet.com/jobs/acme/12.34C/engineer/87.405">Engineer</a>'
        '<script>COMEET.init({"token": "T0K3N", "company-uid": "12.34C"});</script>'
    )
    assert find_in_page("https://acme.com/jobs", page(body)) == {
        "ats": "comeet",
        "board": "12.34C",
        "token": "T0K3N",
    }


def test_find_in_page_prefers_most_mentioned_platform_and_notes_the_rest():
    body = (
        '<a href="https://jobs.lever.co/old-acme">Old board</a>'
        '<a href="https://boards.greenhouse.io/acme/jobs/1">One</a>'
        '<a href="https://boards.greenhouse.io/acme/jobs/2">Two</a>'
        '<a href="https://boards.greenhouse.io/acme-intern/jobs/3">Intern</a>'
    )
    assert find_in_page("https://acme.com/careers", page(body)) == {
        "ats": "greenhouse",
        "board": "acme",
        "notes": [
            "also found Greenhouse board 'acme-intern' (1 mention)",
            "also found Lever board 'old-acme' (1 mention)",
        ],
    }


def test_find_in_page_tie_goes_to_the_first_mentioned():
    body = '<a href="https://jobs.ashbyhq.com/acme">A</a><a href="https://jobs.lever.co/acme">L</a>'
    assert find_in_page("https://acme.com/careers", page(body)) == {
        **ASHBY,
        "notes": ["also found Lever board 'acme' (1 mention)"],
    }


JOBPOSTING = '{"@context": "https://schema.org", "@type": "JobPosting", "title": "Engineer"}'


@pytest.mark.parametrize(
    "block",
    [
        JOBPOSTING,
        '{"@context": "https://schema.org", "@graph": [{"@type": "Organization"}, '
        + JOBPOSTING
        + "]}",
        '{"@type": ["Thing", "JobPosting"], "title": "Engineer"}',
        "[" + JOBPOSTING + "]",
    ],
)
def test_find_in_page_jsonld_postings_on_the_page_itself_are_no_entry(block):
    """The jsonld spider reads the job pages a listing links to, never the listing itself."""
    html = page(f'<script type="application/ld+json">{block}</script>')
    assert find_in_page("https://acme.com/careers/engineer", html) is None
    scan = scan_page("https://acme.com/careers/engineer", html)
    assert scan.how.startswith("1 schema.org JobPosting in JSON-LD, but on the page itself")


def test_find_in_page_jsonld_survives_a_malformed_block():
    html = page(
        '<script type="application/ld+json">{"@type": "JobPosting", oops</script>'
        f'<script type="Application/LD+JSON ">{JOBPOSTING}</script>'
        '<a href="/jobs/123456">A</a><a href="/jobs/234567">B</a>'
    )
    scan = scan_page("https://acme.com/c", html)
    assert scan.entry == {
        "ats": "jsonld",
        "careers_url": "https://acme.com/c",
        "job_url_pattern": "^https://acme\\.com/jobs/[^/?#]",
    }
    assert (
        scan.how
        == "1 schema.org JobPosting in JSON-LD and 2 links to pages that look like job postings"
    )


def test_find_in_page_jsonld_of_other_types_is_not_a_posting():
    html = page(
        '<script type="application/ld+json">{"@type": "Organization", "name": "Acme"}</script>'
    )
    assert find_in_page("https://acme.com/careers", html) is None


def test_find_in_page_links_to_postings_mean_jsonld():
    body = (
        '<a href="/careers">Careers</a>'
        '<a href="/jobs/senior-backend-engineer">Senior Backend Engineer</a>'
        '<a href="https://www.acme.com/careers/10234">Designer</a>'
        '<a href="https://other.example/jobs/senior-backend-engineer">Elsewhere</a>'
    )
    entry = find_in_page("https://acme.com/careers", page(body))
    assert entry == {
        "ats": "jsonld",
        "careers_url": "https://acme.com/careers",
        "job_url_pattern": (
            "^(?:https://acme\\.com/jobs/|https://www\\.acme\\.com/careers/)[^/?#]"
        ),
    }
    pattern = re.compile(entry["job_url_pattern"])
    assert pattern.search("https://acme.com/jobs/senior-backend-engineer")
    assert pattern.search("https://www.acme.com/careers/10234")
    assert not pattern.search("https://acme.com/jobs/")  # the listing, not a job page
    assert not pattern.search("https://acme.com/careers")
    assert not pattern.search("https://other.example/jobs/senior-backend-engineer")


def test_find_board_explains_the_posting_links():
    html = page(
        '<a href="/jobs/123456">A</a><a href="/jobs/234567">B</a><a href="/jobs/234567#x">B</a>'
    )
    finding = find_board("https://acme.com/careers", fetch=lambda u, timeout: (u, html))
    assert finding.entry == {
        "ats": "jsonld",
        "careers_url": "https://acme.com/careers",
        "job_url_pattern": "^https://acme\\.com/jobs/[^/?#]",
    }
    assert finding.message == (
        "no known ATS found on https://acme.com/careers, but it has 2 links to pages "
        "that look like job postings: using the JSON-LD"
    )


def test_find_in_page_one_job_like_link_is_not_enough():
    body = '<a href="/careers">Careers</a><a href="/jobs/life-at-acme-labs">Life at Acme</a>'
    assert find_in_page("https://acme.com/", page(body)) is None


def test_find_in_page_unknown_page():
    assert find_in_page("https://acme.com/", page("<a href='/about'>About</a>")) is None


# --- find_board with a fake fetch ------------------------------------------------------------


def no_fetch(url, timeout=15):
    raise AssertionError(f"fetched {url}")


def test_find_board_recognized_url_needs_no_fetch():
    finding = find_board("https://jobs.lever.co/acme", fetch=no_fetch)
    assert (finding.entry, finding.message, finding.notes) == (
        LEVER,
        "found Lever board 'acme' in the URL",
        [],
    )


def test_find_board_adds_a_scheme():
    finding = find_board("acme.recruitee.com", fetch=no_fetch)
    assert finding.entry == RECRUITEE


def test_find_board_comeet_url_takes_the_token_from_its_page():
    html = page('<script>COMEET.init({"token": "T0K3N", "company-uid": "12.34C"});</script>')
    url = "https://www.comeet.com/jobs/acme/12.34C"
    finding = find_board(url, fetch=lambda u, timeout: (u, html))
    assert finding.entry == {"ats": "comeet", "board": "12.34C", "token": "T0K3N"}
    assert finding.message == f"found Comeet board '12.34C' and its token on {url}"


def test_find_board_comeet_without_token_is_no_entry_and_says_why():
    """The catalog requires the token: a board without it would not validate."""
    url = "https://www.comeet.com/jobs/acme/12.34C"
    finding = find_board(url, fetch=lambda u, timeout: (u, page("")))
    assert finding.entry is None
    assert finding.message == (
        f"found Comeet board '12.34C' in the URL, but not its token ({url} has no COMEET.init "
        f"token); {PLATFORMS['comeet'].page_keys_note}"
    )
    link = page('<a href="https://www.comeet.com/jobs/acme/12.34C/engineer/87.405">Job</a>')
    finding = find_board("https://acme.com/jobs", fetch=lambda u, timeout: (u, link))
    assert finding.entry is None
    assert finding.message.startswith("found Comeet board '12.34C' on https://acme.com/jobs, but")


def test_find_board_comeet_url_that_cannot_be_fetched_is_no_entry():
    def refuse(url, timeout):
        raise ConnectionRefusedError(111, "Connection refused")

    finding = find_board("https://www.comeet.com/jobs/acme/12.34C", fetch=refuse)
    assert finding.entry is None
    assert "but not its token (could not fetch" in finding.message


def test_find_board_page_with_several_boards_reports_notes():
    html = page(
        '<a href="https://jobs.ashbyhq.com/acme">a</a><a href="https://jobs.ashbyhq.com/acme/1">b</a>'
        '<a href="https://acme.teamtailor.com">c</a>'
    )
    finding = find_board("https://acme.com/careers", fetch=lambda u, timeout: (u, html))
    assert finding.entry == ASHBY
    assert finding.message == "found Ashby board 'acme' on https://acme.com/careers (2 mentions)"
    assert finding.notes == ["also found Teamtailor board 'acme' (1 mention)"]


# --- the real fetch against a local server ---------------------------------------------------

PAGES = {
    "/careers": page(
        '<script src="https://boards.greenhouse.io/embed/job_board/js?for=acme"></script>'
    ),
    "/workday": page(
        '<a href="https://acme.wd5.myworkdayjobs.com/en-US/External/job/X_R1">Job</a>'
    ),
    "/jsonld": page(
        f'<script type="application/ld+json">{JOBPOSTING}</script>'
        '<a href="/careers/jobs/senior-backend-engineer">Engineer</a>'
        '<a href="/careers/jobs/staff-product-designer">Designer</a>'
    ),
    "/jsonld-job": page(f'<script type="application/ld+json">{JOBPOSTING}</script>'),
    "/plain": page("<h1>We are not hiring</h1>"),
    "/comeet": page('<script>COMEET.init({"token": "T0K3N", "company-uid": "12.34C"});</script>'),
}
REDIRECTS = {
    "/old-careers": "/careers",
    "/to-greenhouse": "https://job-boards.greenhouse.io/acme",
    "/to-comeet": "/comeet",
}


class Handler(BaseHTTPRequestHandler):
    user_agents: list[str] = []

    def do_GET(self) -> None:
        Handler.user_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path in REDIRECTS:
            self.send_response(302)
            self.send_header("Location", REDIRECTS[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = PAGES.get(self.path)
        if body is None:
            self.send_error(404, "Not Found")
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """urllib honours *_proxy variables; the local server must be reached directly."""
    for name in (
        "http_proxy",
        "https_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)


def test_fetch_page_sends_an_honest_user_agent(server):
    Handler.user_agents.clear()
    final_url, html = fetch_page(f"{server}/careers")
    assert (final_url, html) == (f"{server}/careers", PAGES["/careers"])
    assert Handler.user_agents == [
        f"jobcrawler/{__version__} (+https://github.com/jobcrawler/jobcrawler)"
    ]


def test_fetch_page_follows_redirects(server):
    assert fetch_page(f"{server}/old-careers") == (f"{server}/careers", PAGES["/careers"])


def test_fetch_page_stops_at_a_redirect_to_a_known_board(server):
    # The target is never fetched (this machine has no internet: fetching it would fail).
    assert fetch_page(f"{server}/to-greenhouse") == ("https://job-boards.greenhouse.io/acme", "")


def test_fetch_page_timeout_is_described(server):
    with pytest.raises(OSError) as caught:
        fetch_page(f"{server}/slow", timeout=0.3)
    assert describe_error(caught.value) == "timed out"


def test_find_board_embedded_widget(server):
    finding = find_board(f"{server}/careers")
    assert finding.entry == GH
    assert finding.message == f"found Greenhouse board 'acme' on {server}/careers (1 mention)"


def test_find_board_workday_link(server):
    assert find_board(f"{server}/workday").entry == WORKDAY


def test_find_board_follows_a_redirect_then_reads_the_page(server):
    finding = find_board(f"{server}/old-careers")
    assert finding.entry == GH
    assert finding.message == (
        f"found Greenhouse board 'acme' on {server}/old-careers "
        f"(redirected to {server}/careers) (1 mention)"
    )


def test_find_board_redirect_to_a_known_ats(server):
    finding = find_board(f"{server}/to-greenhouse")
    assert (finding.entry, finding.message) == (
        GH,
        f"found Greenhouse board 'acme': {server}/to-greenhouse redirects there",
    )


def test_find_board_comeet_token_after_redirect(server):
    finding = find_board(f"{server}/to-comeet")
    assert finding.entry == {"ats": "comeet", "board": "12.34C", "token": "T0K3N"}


def test_find_board_jsonld_fallback(server):
    finding = find_board(f"{server}/jsonld")
    assert finding.entry == {
        "ats": "jsonld",
        "careers_url": f"{server}/jsonld",
        "job_url_pattern": f"^{re.escape(server)}/careers/jobs/[^/?#]",
    }
    assert finding.message == (
        f"no known ATS found on {server}/jsonld, but it has 1 schema.org JobPosting in "
        "JSON-LD and 2 links to pages that look like job postings: using the JSON-LD"
    )


def test_find_board_jsonld_on_a_job_page_itself_is_no_entry(server):
    finding = find_board(f"{server}/jsonld-job")
    assert finding.entry is None
    assert finding.message == (
        f"no known ATS found on {server}/jsonld-job, and it has 1 schema.org JobPosting in "
        "JSON-LD, but on the page itself and no links to job pages: a jsonld company needs "
        "the listing page that links to its job pages"
    )


def test_find_board_entry_the_catalog_rejects_is_no_entry(monkeypatch):
    """Whatever a rule produces, only what the catalog accepts is printed or written."""
    monkeypatch.setattr(
        finder, "recognize", lambda url: {"ats": "lever", "board": "acme", "x": "1"}
    )
    finding = find_board("https://jobs.lever.co/acme", fetch=no_fetch)
    assert finding.entry is None
    assert finding.message == (
        "found Lever board 'acme' in the URL, but the catalog rejects the entry: "
        "key 'x': unknown key"
    )


def test_find_board_unknown_page_message(server):
    finding = find_board(f"{server}/plain")
    assert finding.entry is None
    labels = [p.label for p in PLATFORMS.values() if not p.generic]  # every ATS, by name
    assert labels[:3] == ["Ashby", "BambooHR", "Breezy"] and "Workday" in labels
    assert finding.message == (
        f"no known ATS found on {server}/plain: no {', '.join(labels[:-1])} or {labels[-1]} "
        "link, widget or JobPosting JSON-LD"
    )
    assert NOT_FOUND in finding.message


def test_find_board_http_error_message(server):
    finding = find_board(f"{server}/missing")
    assert (finding.entry, finding.message) == (
        None,
        f"could not fetch {server}/missing: HTTP 404 Not Found",
    )


def test_find_board_connection_error_message():
    url = f"http://127.0.0.1:{free_port()}/careers"
    finding = find_board(url)
    assert (finding.entry, finding.message) == (None, f"could not fetch {url}: Connection refused")


def test_find_board_bad_url_message():
    finding = find_board("https://exa mple.com:99999/")
    assert finding.entry is None
    assert finding.message.startswith("could not fetch https://exa mple.com:99999/: ")


# --- YAML and names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "url", "name"),
    [
        (GH, "", "Acme"),
        ({"ats": "greenhouse", "board": "acme-labs"}, "", "Acme Labs"),
        ({"ats": "ashby", "board": "OpenAI"}, "", "OpenAI"),
        (WORKDAY, "", "Acme"),
        (
            {
                "ats": "workday",
                "careers_url": "https://wd3.myworkdaysite.com/recruiting/acme_corp/Ext",
            },
            "",
            "Acme Corp",
        ),
        (COMEET, "https://www.comeet.com/jobs/acme-corp/12.34C", "Acme Corp"),
        (COMEET, "https://careers.acme.com/jobs", "Acme"),
        ({"ats": "jsonld", "careers_url": "https://careers.acme.com/jobs"}, "", "Acme"),
    ],
)
def test_default_name(entry, url, name):
    assert default_name(entry, url) == name


def test_entry_yaml_order_and_types():
    entry = {"token": "T0K3N", "board": "30.005", "ats": "comeet", "notes": ["x"]}
    text = entry_yaml(entry, "Acme Corp")
    assert text == "name: Acme Corp\nats: comeet\nboard: '30.005'\ntoken: T0K3N\n"
    assert yaml.safe_load(text) == {
        "name": "Acme Corp",
        "ats": "comeet",
        "board": "30.005",
        "token": "T0K3N",
    }


def test_entry_yaml_default_name_and_base_url():
    assert entry_yaml(LEVER_EU) == (
        "name: Acme\nats: lever\nboard: acme\nbase_url: https://api.eu.lever.co\n"
    )


# --- the find command ------------------------------------------------------------------------


def run_find(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    environment = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    environment.pop("JOBCRAWLER_COMPANIES_DIR", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "jobcrawler", "find", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=60,
    )


def test_cli_find_prints_the_entry():
    result = run_find("https://job-boards.eu.greenhouse.io/acme")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "name: Acme\nats: greenhouse\nboard: acme\n"
    assert result.stderr == "found Greenhouse board 'acme' in the URL\n"


def test_cli_find_with_name():
    result = run_find("https://acme.wd5.myworkdayjobs.com/en-US/External", "--name", "Acme Inc.")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "name: Acme Inc.\nats: workday\ncareers_url: https://acme.wd5.myworkdayjobs.com/External\n"
    )


def test_cli_find_write_jsonld_entry_validates_loads_and_finds_the_job_pages(
    server, tmp_path, monkeypatch
):
    result = run_find(
        f"{server}/jsonld", "--write", env={"JOBCRAWLER_COMPANIES_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    [written] = tmp_path.glob("*.yaml")
    assert written.read_text(encoding="utf-8") == result.stdout
    check = subprocess.run(
        [sys.executable, "-m", "jobcrawler", "companies", "validate"],
        capture_output=True,
        text=True,
        env={**os.environ, "JOBCRAWLER_COMPANIES_DIR": str(tmp_path)},
        timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    monkeypatch.setenv(COMPANIES_DIR_ENV, str(tmp_path))
    catalog = load_catalog()
    assert catalog.errors == []
    [company] = catalog.companies
    assert (company.ats, company.keys.careers_url) == ("jsonld", f"{server}/jsonld")
    spider = make_spider(
        "jsonld",
        company.slug,
        **company.keys.model_dump(include={"careers_url", "job_url_pattern"}),
    )
    listing = HtmlResponse(f"{server}/jsonld", body=PAGES["/jsonld"].encode(), encoding="utf-8")
    assert spider.job_page_urls(listing) == [
        f"{server}/careers/jobs/senior-backend-engineer",
        f"{server}/careers/jobs/staff-product-designer",
    ]


def test_cli_find_unknown_page_exits_1(server):
    result = run_find(f"{server}/plain")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"no known ATS found on {server}/plain: {NOT_FOUND}\n"


def test_cli_find_write_and_refuse_to_overwrite(tmp_path):
    result = run_find(
        "https://jobs.lever.co/acme", "--name", "Acme Corp", "--write", "--dir", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    path = tmp_path / "acme_corp.yaml"
    assert path.read_text(encoding="utf-8") == "name: Acme Corp\nats: lever\nboard: acme\n"
    assert result.stderr.endswith(f"wrote {path}\n")

    again = run_find(
        "https://jobs.ashbyhq.com/acme", "--name", "Acme Corp", "--write", "--dir", str(tmp_path)
    )
    assert again.returncode == 1
    assert f"refusing to overwrite {path}" in again.stderr
    assert path.read_text(encoding="utf-8") == "name: Acme Corp\nats: lever\nboard: acme\n"


def test_cli_find_write_defaults_to_env_dir(tmp_path):
    result = run_find(
        "https://acme.recruitee.com", "--write", env={"JOBCRAWLER_COMPANIES_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "acme.yaml").read_text(
        encoding="utf-8"
    ) == "name: Acme\nats: recruitee\nboard: acme\n"


def test_cli_find_write_defaults_to_cwd_companies(tmp_path):
    (tmp_path / "companies").mkdir()
    result = run_find("https://acme.breezy.hr", "--write", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "companies" / "acme.yaml").read_text(encoding="utf-8") == (
        "name: Acme\nats: breezy\nboard: acme\n"
    )


def test_cli_find_write_needs_an_existing_directory(tmp_path):
    result = run_find("https://acme.breezy.hr", "--write", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.endswith(
        f"error: {tmp_path / 'companies'} is not a directory; nothing written\n"
    )
