"""The contract every platform of the registry keeps, one parametrized test per promise.

A platform is its declaration (`jobcrawler/platforms/<name>.py`), its spider, its fake
(`fakeats/<name>.py`) and its fixture tests; this file holds it to what the rest of
jobcrawler relies on: the README shows it, the finder reads back its URLs, the catalog
accepts what the finder writes, the host pace knows its tenant hosts, and a real crawl of
its fake board keeps the posting lifecycle (new, unchanged, updated, removed, reopened,
and nothing removed when the listing fails).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from fakeats.platforms import PLATFORMS as FAKES
from jobcrawler.finder import catalog_problems, entry_yaml, find_in_page, recognize
from jobcrawler.middlewares.hosts import pace_key
from jobcrawler.platforms import PLATFORMS
from jobcrawler.platforms.base import Keys
from jobcrawler.spiders.base import CompanySpider
from tests.helpers.crawling import ROOT, Crawl, events, rows, session, statuses

NAMES = list(PLATFORMS)
ATSS = [name for name, p in PLATFORMS.items() if p.recognize is not None]
TENANTS = [name for name, p in PLATFORMS.items() if p.tenant_domains]
SIZE = 30


@pytest.mark.parametrize("name", NAMES)
def test_declaration_names_its_spider_and_fake(name):
    platform = PLATFORMS[name]
    spider = platform.spider_class()
    assert issubclass(spider, CompanySpider) and spider.platform == name
    assert issubclass(platform.keys, Keys)
    assert FAKES[name].name == name
    assert (platform.recognize is None) == (platform.board_url is None) == platform.generic


@pytest.mark.parametrize("name", ATSS)
def test_board_url_round_trips_through_the_finder(name):
    platform = PLATFORMS[name]
    assert platform.board_url is not None and platform.example is not None
    url = platform.board_url(platform.example)
    entry = {"ats": name, **platform.example}
    assert recognize(url) == entry
    page = f'<html><body><a href="{url}">Open positions</a></body></html>'
    assert find_in_page("https://acme.example/careers", page) == entry  # via `domains`


@pytest.mark.parametrize("name", ATSS)
def test_finder_entry_validates_in_the_catalog(name):
    platform = PLATFORMS[name]
    assert platform.example is not None
    entry = {"ats": name, **platform.example}
    assert catalog_problems(entry_yaml(entry)) == []
    incomplete = {k: v for k, v in entry.items() if k not in platform.page_keys}
    if platform.page_keys:  # the page's keys are required: a URL alone is no entry
        assert catalog_problems(entry_yaml(incomplete)) != []


@pytest.mark.parametrize("name", TENANTS)
def test_tenant_hosts_share_one_pace(name):
    for domain in PLATFORMS[name].tenant_domains:
        assert pace_key(f"https://acme{domain}/jobs") == pace_key(f"https://globex{domain}/")
        assert pace_key(f"https://acme{domain}/jobs") == domain.lstrip(".")


def test_readme_platform_table_is_the_registry():
    readme = (ROOT / "README.md").read_text()
    table = re.search(r"^\| ATS \| keys \| example URL \|\n\|[-|]+\|\n((?:\|.*\n)+)", readme, re.M)
    assert table, "README's platform table (| ATS | keys | example URL |) is missing"
    shown = table[1].splitlines()
    declared = [f"| {p.name} | {p.readme_keys} | {p.readme_example} |" for p in PLATFORMS.values()]
    assert shown == declared


# -- a real crawl of every platform's fake board ------------------------------------------------


class PlatformCrawl(Crawl):
    """Writes each company with the keys its fake board needs (`FAKE.company_keys`)."""

    def write_company(self, slug: str, **extra: Any) -> None:
        ats, token = self.companies[slug]
        entry = {"name": slug, "ats": ats, "base_url": self.fake.base_url(ats, token)}
        entry.update(FAKES[ats].company_keys(token), **extra)
        (self.catalog / f"{slug}.yaml").write_text(yaml.safe_dump(entry, sort_keys=False))


@pytest.fixture
def crawl(fake_ats, db_url, tmp_path: Path) -> PlatformCrawl:
    return PlatformCrawl(fake_ats, db_url, tmp_path)


def run(crawl: Crawl) -> subprocess.CompletedProcess[str]:
    result = crawl.run("acme", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
    crawl.check_exit(result, "acme")
    return result


@pytest.mark.usefixtures("db_url")
@pytest.mark.parametrize("name", NAMES)
def test_crawl_lifecycle(crawl, engine, name):
    """New, unchanged, updated and removed (on evidence), reopened, partial on a fault."""
    board = crawl.board(name, "acme", size=SIZE)
    base = crawl.fake.base_url(name, board.token)
    stored = {p.external_id: FAKES[name].stored_id(p, base) for p in board.postings()}
    listed = [stored[i] for i in crawl.listed_ids(board)]
    total = len(listed)

    run(crawl)
    first = session(engine)
    assert (first["status"], first["error"]) == ("succeeded", None)
    assert (first["new"], first["items"]) == (total, total)
    assert statuses(engine) == {"active": total}
    assert sorted(r[0] for r in rows(engine, "SELECT external_id FROM job_postings")) == sorted(
        listed
    )

    run(crawl)
    again = session(engine)
    assert (again["status"], again["new"], again["updated"], again["unchanged"]) == (
        "succeeded",
        0,
        0,
        total,
    )
    assert events(engine) == total  # an unchanged recrawl adds no events

    removed = board.remove(2)
    changed = board.change(3)
    assert set(changed).isdisjoint(removed)
    run(crawl)
    third = session(engine)
    if not PLATFORMS[name].verifies:  # no per-posting check: the second complete miss removes
        assert (third["removed"], third["updated"], third["unchanged"]) == (0, 3, total - 5)
        assert statuses(engine) == {"active": total}
        run(crawl)
        third = session(engine)
        assert (third["removed"], third["updated"]) == (2, 0)
    else:
        assert (third["removed"], third["updated"], third["unchanged"]) == (2, 3, total - 5)
    assert third["status"] == "succeeded"
    assert statuses(engine) == {"active": total - 2, "removed": 2}
    gone = rows(engine, "SELECT external_id FROM job_postings WHERE status = 'removed'")
    assert sorted(g[0] for g in gone) == sorted(stored[i] for i in removed)

    board.restore(removed)
    run(crawl)
    fourth = session(engine)
    assert (fourth["status"], fourth["reopened"], fourth["removed"]) == ("succeeded", 2, 0)
    assert statuses(engine) == {"active": total}

    board.remove(3)
    board.set_fault("http_500")
    run(crawl)
    last = session(engine)
    assert last["status"] in ("partial", "failed")
    assert last["removed"] == 0 and "HTTP 500" in last["error"]
    assert statuses(engine) == {"active": total}
    assert events(engine, "removed") == 2
