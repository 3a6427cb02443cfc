"""Shared test code; test modules import it from here, never from one another.

This module builds company spiders and responses without a network. Its submodules:
`crawling` (real `scrapy crawl` processes on the fake ATS), `store` (CrawlStore sessions
and rows), `scheduler` (scrapyd farms and stand-ins), `scrapyd_nodes` (real scrapyd
daemons), `pgserver` (throwaway PostgreSQL), `outage` (database outages), `fakeats_http`.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine, event

from jobcrawler.catalog import Company
from jobcrawler.items import JobPosting
from jobcrawler.pipelines.normalize import normalize
from jobcrawler.platforms import PLATFORMS
from jobcrawler.spiderloader import spider_class

FILES = Path(__file__).resolve().parent.parent / "files"


def make_spider(
    ats: str, board: str = "acme", *, crawler_settings: dict[str, Any] | None = None, **company: Any
):
    """A company spider bound to a crawler (stats work), as `scrapy crawl` would build it;
    `crawler_settings` are project-level ones a company may not set (DATABASE_URL...)."""
    keys = {"board": board} if "board" in PLATFORMS[ats].keys.model_fields else {}
    cls = spider_class(Company(name=board.title(), slug=board, ats=ats, **keys, **company))
    crawler = get_crawler(cls, settings_dict=crawler_settings)
    crawler.spider = crawler._create_spider()
    return crawler.spider


def start_requests(spider) -> list[Any]:
    """What the spider's `async def start()` yields."""

    async def collect() -> list[Any]:
        return [request async for request in spider.start()]

    return asyncio.run(collect())


def response(url: str, body: str | bytes, status: int = 200, **meta: Any) -> TextResponse:
    data = body.encode() if isinstance(body, str) else body
    return TextResponse(url, body=data, status=status, request=Request(url, meta=meta))


def fixture_response(url: str, *parts: str) -> TextResponse:
    return response(url, FILES.joinpath(*parts).read_bytes())


def postings(results: Any) -> list[dict[str, Any]]:
    """The postings among callback results, normalized as the pipeline would."""
    found = []
    for result in results:
        if isinstance(result, JobPosting):
            adapter = ItemAdapter(result)
            normalize(adapter)
            found.append(adapter.asdict())
    return found


class FailOnPipeline:
    """A stage that raises on the posting whose id is the `FAIL_ON_ID` setting.

    Stands in for a normalizer meeting a value it cannot handle, in real crawl processes.
    """

    def __init__(self, external_id: str) -> None:
        self.external_id = external_id

    @classmethod
    def from_crawler(cls, crawler: Any) -> FailOnPipeline:
        return cls(crawler.settings.get("FAIL_ON_ID"))

    def process_item(self, item: Any) -> Any:
        if ItemAdapter(item).get("external_id") == self.external_id:
            raise ValueError("cannot handle this posting")
        return item


class ReactorThreadGuard:
    """Extension that logs how many SQL statements ran on the reactor (main) thread.

    Blocking database I/O there would stall every download of the crawl; the store and
    the host pace must run theirs in worker threads.
    """

    def __init__(self) -> None:
        self.on_reactor = 0
        self.elsewhere = 0
        event.listen(Engine, "before_cursor_execute", self.count)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ReactorThreadGuard:
        guard = cls()
        crawler.signals.connect(guard.report, signal=signals.engine_stopped)
        return guard

    def count(self, *args: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            self.on_reactor += 1
        else:
            self.elsewhere += 1

    def report(self) -> None:
        logging.getLogger(__name__).info(
            "SQL statements: %d on the reactor thread, %d in worker threads",
            self.on_reactor,
            self.elsewhere,
        )


# --- spiders of one platform, shared by its test module and test_spiders_entries --------

COMEET_URL = (
    "https://www.comeet.co/careers-api/2.0/company/A2.00F/positions?token=T0K3N&details=true"
)


def comeet_spider(token: str = "T0K3N"):
    """Like helpers.make_spider, but a company UID is not a valid slug."""
    company = Company(name="Orchardly", slug="orchardly", ats="comeet", board="A2.00F", token=token)
    crawler = get_crawler(spider_class(company))
    crawler.spider = crawler._create_spider()
    return crawler.spider


HTML_CAREERS = "https://fernhill.example/careers"


HTML_SELECTORS = {
    "item": "article.opening",
    "id": "xpath:@data-req",
    "title": ".opening__title a::text",
    "url": ".opening__title a",
    "location": ".opening__location",
    "department": "xpath:.//li[@class='opening__dept']/text()",
    "employment_type": ".opening__type::text",
    "posted_at": "time",
    "salary": ".opening__pay",
}


HTML_DETAIL = {
    "detail_description": "section.job-body",
    "detail_team": "dd.facts__team::text",
    "detail_remote_type": "xpath://dd[@class='facts__mode']",
    "detail_apply_url": "a.apply-button",
}


def html_spider(selectors=None, **company):
    return make_spider(
        "html",
        "fernhill",
        careers_url=HTML_CAREERS,
        selectors=selectors or HTML_SELECTORS,
        next_page="xpath://a[@rel='next']/@href",
        **company,
    )


def html_page(url: str, name: str, **meta) -> HtmlResponse:
    body = FILES.joinpath("html", name).read_bytes()
    return HtmlResponse(
        url, body=body, headers={"Content-Type": "text/html"}, request=Request(url, meta=meta)
    )


SMARTRECRUITERS_URL = "https://api.smartrecruiters.com/v1/companies/NorthwindGames/postings"


def smartrecruiters_spider(**company):
    """Company identifiers keep their case ("NorthwindGames"); slugs cannot."""
    company = Company(
        name="Northwind", slug="northwind", ats="smartrecruiters", board="NorthwindGames", **company
    )
    crawler = get_crawler(spider_class(company))
    crawler.spider = crawler._create_spider()
    return crawler.spider


WORKDAY_CAREERS = "https://kiwidairy.wd3.myworkdayjobs.com/en-US/Careers"


def workday_spider(**company):
    company.setdefault("careers_url", WORKDAY_CAREERS)
    return make_spider("workday", "kiwidairy", **company)


# --- JSON-LD careers sites (tests/files/jsonld) ---

JSONLD_CAREERS = "https://quayside.example/careers"
JSONLD_JOB = "https://quayside.example/careers/jobs/101-warehouse-associate"


def jsonld_page(url: str, body: str | bytes, cls: type[TextResponse] = HtmlResponse, **kw):
    data = body.encode() if isinstance(body, str) else body
    kind = {HtmlResponse: "text/html", XmlResponse: "application/xml"}.get(cls, "application/json")
    request = Request(url, **kw)
    return cls(url, body=data, headers={"Content-Type": kind}, request=request)


def jsonld_fixture(url: str, name: str, cls: type[TextResponse] = HtmlResponse, **kw):
    return jsonld_page(url, FILES.joinpath("jsonld", name).read_bytes(), cls, **kw)


def jsonld_spider(**company):
    company.setdefault("careers_url", JSONLD_CAREERS)
    if not company["careers_url"].endswith(".xml"):
        company.setdefault("job_links", "a.role-link")
    return make_spider("jsonld", "quayside", **company)


def jsonld_job_page(spider, name: str, url: str = JSONLD_JOB):
    return postings(spider.parse_job_page(jsonld_fixture(url, name), url))
