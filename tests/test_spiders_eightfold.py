"""Eightfold: positions 10 at a time until `count`, details for new or changed ones."""

import json
from urllib.parse import parse_qs, urlsplit

import scrapy

from jobcrawler.finder import find_in_page, recognize
from tests.helpers import FILES, make_spider, postings, response, start_requests

ORIGIN = "https://explore.jobs.northwind.net"
LIST = FILES.joinpath("eightfold", "positions.json").read_bytes()


def spider(**company):
    company.setdefault("base_url", ORIGIN)
    return make_spider("eightfold", "northwind", domain="northwind.com", **company)


def query(request):
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}


def requests(results):
    return [r for r in results if isinstance(r, scrapy.Request)]


def page(s, body, start=0, total=None):
    url = f"{ORIGIN}/api/apply/v2/jobs?domain=northwind.com&start={start}&num=10"
    return list(s.parse_page(response(url, body), start, total))


def test_start_asks_the_tenant_for_its_domain():
    [request] = start_requests(make_spider("eightfold", "northwind", domain="northwind.com"))
    assert request.url.startswith("https://northwind.eightfold.ai/api/apply/v2/jobs?")
    assert query(request) == {"domain": "northwind.com", "start": "0", "num": "10"}


def test_page_yields_details_and_pages_on_by_what_came():
    s = spider()
    *details, following = requests(page(s, LIST))
    assert [d.meta["external_id"] for d in details] == [
        "790298595070", "790298601188", "790298601999"
    ]  # fmt: skip
    assert details[0].url == f"{ORIGIN}/api/apply/v2/jobs/790298595070?domain=northwind.com"
    assert query(following) == {"domain": "northwind.com", "start": "4", "num": "10"}
    assert s.crawler.stats.get_value("jobcrawler/entries/errors") == 1  # the entry without id
    assert "entry without a readable id" in s.listing.problem


def test_count_reached_with_distinct_ids_is_the_end():
    s = spider()
    body = json.dumps({"count": 2, "positions": [{"id": 1}, {"id": 2}]})
    assert len(requests(page(s, body))) == 2 and s.listing.complete


def test_odd_pages_fail_the_listing():
    def run(body, start=0, total=None):
        s = spider()
        page(s, json.dumps(body), start, total)
        return s.listing.problem

    assert "an empty page at 10 of 30" in run({"count": 30, "positions": []}, 10, 30)
    assert "the total went from 30 to 31" in run({"count": 31, "positions": [{"id": 1}]}, 10, 30)
    assert "no 'positions' list and 'count'" in run({"positions": []})
    assert "1 distinct postings came but the total is 2" in run(
        {"count": 2, "positions": [{"id": 1}, {"id": 1}]}
    )


def detail(s, request, body):
    reply = response(request.url, body, **request.meta)
    return postings(request.callback(reply, **request.cb_kwargs))


def test_detail_fields():
    s = spider()
    details = requests(page(s, LIST))
    [p] = detail(s, details[0], FILES.joinpath("eightfold", "position.json").read_bytes())
    assert p["external_id"] == "790298595070"
    assert p["title"] == "Director, Marketing Partnerships - Korea"
    assert p["url"] == f"{ORIGIN}/careers/job/790298595070"
    assert p["apply_url"].startswith("https://northwind.wd1.myworkdayjobs.com/")
    assert p["location"] == "Seoul, Korea, Republic of"
    assert p["remote_type"] == "onsite"
    assert p["department"] == "Promotional Content" and p["team"] == "Streaming"
    assert p["posted_at"].isoformat() == "2026-12-02T00:00:00+00:00"
    assert "<div>Lead partnerships across Korea.</div>" in p["description_html"]


def test_sparse_positions_keep_the_list_fields():
    s = spider()
    details = requests(page(s, LIST))
    [engineer] = detail(
        s, details[1], json.dumps({"id": 790298601188, "job_description": "<p>x</p>"})
    )
    assert engineer["title"] == "Software Engineer (L5), Platform & Tools"
    assert engineer["location"] == "Remote, United States; Los Gatos, California, United States"
    assert engineer["remote_type"] == "remote"
    [warehouse] = detail(s, details[2], json.dumps({"job_description": ""}))
    assert warehouse["title"] == "Warehouse Associate" and warehouse["location"] is None
    assert warehouse["remote_type"] == "hybrid"
    assert warehouse["url"] == f"{ORIGIN}/careers/job/790298601999?domain=northwind.com"


def test_unchanged_positions_skip_their_detail():
    s = spider()
    first = requests(page(s, LIST))
    s2 = spider()
    s2.known_list_hashes = dict(s.list_hashes)
    changed = json.loads(LIST)
    changed["positions"][0]["t_update"] += 60
    changed["positions"][1]["stars"] = 3  # ranking noise is no change
    again = requests(page(s2, json.dumps(changed)))
    assert len(first) == 4 and [r.meta.get("external_id") for r in again[:-1]] == ["790298595070"]


def test_finder_reads_tenant_urls_and_their_domain():
    assert recognize("https://acme.eightfold.ai/careers?domain=acme.com&query=x") == {
        "ats": "eightfold", "board": "acme", "domain": "acme.com"
    }  # fmt: skip
    assert recognize("https://acme.eightfold.ai/careers/job/123") == {
        "ats": "eightfold", "board": "acme"
    }  # fmt: skip
    assert recognize("https://app.eightfold.ai/login") is None


def test_finder_reads_an_embedded_career_site():
    page = '<iframe src="https://acme.eightfold.ai/careers?domain=acme.com&amp;hl=en"></iframe>'
    assert find_in_page("https://acme.com/careers", page) == {
        "ats": "eightfold", "board": "acme", "domain": "acme.com"
    }  # fmt: skip
