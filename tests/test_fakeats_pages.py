"""The fake careers sites: paged indexes, sitemaps, JSON-LD job pages in real shapes, HTML lists."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urljoin

import pytest
from lxml import etree, html

from fakeats import FakeATS
from fakeats.platforms import get_platform
from tests.helpers.fakeats_http import fetch

pytestmark = pytest.mark.e2e  # the fake ATS over HTTP

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeATS]:
    with FakeATS() as server:
        server.add_board("jsonld", "acme", size=50, seed=3)
        server.add_board("html", "acme", size=23, seed=3)
        yield server


def page(url: str) -> html.HtmlElement:
    status, headers, body = fetch(url)
    assert status == 200, body[:300]
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    return html.fromstring(body)


def sitemap(url: str) -> etree._Element:
    status, headers, body = fetch(url)
    assert status == 200 and headers["Content-Type"].startswith("application/xml")
    return etree.fromstring(body)


def index_links(fake: FakeATS, path: str, selector: str) -> tuple[list[str], list[str]]:
    """(job ids in list order across all pages, page URLs) by following Next links."""
    url, ids, pages = fake.base_url("jsonld", "acme") + path, [], []
    while url:
        pages.append(url)
        doc = page(url)
        for href in doc.xpath(selector):
            ids.append(re.search(r"/jobs/(\d+)$", urljoin(url, href))[1])
        following = doc.xpath("//a[@rel='next']/@href")
        url = urljoin(url, following[0]) if following else None
    return ids, pages


def ld_blocks(url: str) -> list[str]:
    return page(url).xpath("//script[@type='application/ld+json']/text()")


def test_sites_live_on_a_tenant_prefix(fake):
    assert fake.base_url("jsonld", "acme") == f"{fake.url}/jsonld/acme"
    status, headers, _ = fetch(f"{fake.url}/jsonld/nope/careers")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert fetch(f"{fake.base_url('jsonld', 'acme')}/jobs/1")[0] == 404


def test_index_pages_list_every_job_once(fake):
    board = fake.board("jsonld", "acme")
    ids, pages = index_links(fake, "/careers", "//a[@class='job-link']/@href")
    assert ids == board.ids()
    assert [p.rsplit("/", 1)[1] for p in pages] == [
        "careers",
        "careers?page=2",
        "careers?page=3",
        "careers?page=4",
        "careers?page=5",
    ]
    last = page(pages[-1])
    assert last.xpath("//span[@class='next disabled']") and not last.xpath("//a[@rel='next']")
    hrefs = page(pages[0]).xpath("//a[@class='job-link']/@href")
    kinds = {
        ("absolute" if h.startswith("http") else "root" if h[0] == "/" else "relative")
        for h in hrefs
    }
    assert kinds == {"absolute", "root", "relative"}
    others = page(pages[0]).xpath("//a[not(@class='job-link')]/@href")
    assert {o.rsplit("/", 1)[-1] for o in others} >= {"about", "privacy"}  # links that are not jobs


def test_js_variant_has_no_links_until_a_script_runs(fake):
    board = fake.board("jsonld", "acme")
    doc = page(fake.base_url("jsonld", "acme") + "/careers-js")
    assert doc.xpath("//a[@class='job-link']") == []
    data = json.loads(doc.xpath("//script[@id='jobs-data']/text()")[0])
    assert [re.search(r"(\d+)$", d["href"])[1] for d in data] == board.ids()
    assert "setTimeout" in doc.xpath("//script[not(@id)]/text()")[0]


def test_sitemaps_list_every_job_page(fake):
    board = fake.board("jsonld", "acme")
    base = fake.base_url("jsonld", "acme")
    root = sitemap(f"{base}/sitemap.xml")
    assert root.tag == f"{SITEMAP}sitemapindex"
    files = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert [f.rsplit("/", 1)[1] for f in files] == [
        "pages.xml",
        "jobs-1.xml",
        "jobs-2.xml",
        "jobs-3.xml",
    ]
    pages = [loc.text for loc in sitemap(files[0]).iter(f"{SITEMAP}loc")]
    assert [p.rsplit("/", 1)[1] for p in pages] == ["careers", "about", "privacy"]
    jobs = [url for f in files[1:] for url in sitemap(f).xpath("//*[local-name()='loc']/text()")]
    assert jobs == [f"{base}/jobs/{i}" for i in board.ids()]
    assert len(sitemap(files[1]).findall(f"{SITEMAP}url/{SITEMAP}lastmod")) == 20
    assert fetch(f"{base}/sitemaps/jobs-4.xml")[0] == 404


def job_lastmods(fake: FakeATS, token: str) -> dict[str, str | None]:
    """{job id: its `<lastmod>` text} over every job sitemap of a board."""
    index = sitemap(f"{fake.base_url('jsonld', token)}/sitemap.xml")
    files = [loc.text for loc in index.iter(f"{SITEMAP}loc") if "/jobs-" in loc.text]
    return {
        entry.findtext(f"{SITEMAP}loc").rsplit("/", 1)[1]: entry.findtext(f"{SITEMAP}lastmod")
        for f in files
        for entry in sitemap(f).iter(f"{SITEMAP}url")
    }


def test_sitemap_lastmod_moves_with_its_posting(fake):
    board = fake.add_board("jsonld", "dated", size=30, seed=5)
    before = job_lastmods(fake, "dated")
    assert {len(day) for day in before.values()} == {10, 25}  # dates and W3C datetimes
    changed = board.change(2)
    after = job_lastmods(fake, "dated")
    assert {i for i in before if after[i] != before[i]} == set(changed)
    assert all(after[i] > before[i] for i in changed)

    fake.add_board("jsonld", "undated", size=5, seed=5, lastmod=False)
    assert set(job_lastmods(fake, "undated").values()) == {None}


def test_job_pages_carry_json_ld_in_real_shapes(fake):
    board = fake.board("jsonld", "acme")
    base = fake.base_url("jsonld", "acme")
    seen: Counter[str] = Counter()
    for external_id in board.ids():
        blocks = ld_blocks(f"{base}/jobs/{external_id}")
        parsed = []
        for block in blocks:
            try:
                parsed.append(json.loads(block))
            except ValueError:
                seen["malformed block"] += 1
        seen[f"{len(blocks)} blocks"] += 1
        [posting] = [
            node
            for data in parsed
            for node in (data if isinstance(data, list) else data.get("@graph", [data]))
            if "JobPosting"
            in (node["@type"] if isinstance(node["@type"], list) else [node["@type"]])
        ]
        for data in parsed:
            seen[
                "@graph" if isinstance(data, dict) and "@graph" in data else type(data).__name__
            ] += 1
        seen["type list"] += isinstance(posting["@type"], list)
        identifier = posting.get("identifier")
        seen[f"identifier {type(identifier).__name__}"] += 1
        if isinstance(identifier, dict):
            assert identifier == {
                "@type": "PropertyValue",
                "name": "Acme",
                "value": int(external_id),
            }
        elif identifier is not None:
            assert identifier == external_id
        seen[f"organization {type(posting['hiringOrganization']).__name__}"] += 1
        seen[f"location {type(posting.get('jobLocation')).__name__}"] += 1
        seen["remote"] += posting.get("jobLocationType") == "TELECOMMUTE"
        seen["salary"] += "baseSalary" in posting
        seen["escaped description"] += posting["description"].startswith("&lt;")
        seen["employment list"] += isinstance(posting["employmentType"], list)
        assert posting["title"].strip() and posting["datePosted"] and posting["description"]
    assert seen["malformed block"] == seen["3 blocks"] > 0
    for shape in (
        "@graph",
        "list",
        "type list",
        "identifier dict",
        "identifier str",
        "identifier NoneType",
        "organization str",
        "organization dict",
        "location list",
        "location dict",
        "remote",
        "salary",
        "escaped description",
        "employment list",
    ):
        assert seen[shape] > 0, (shape, seen)


def test_salary_and_remote_blocks(fake):
    board = fake.board("jsonld", "acme")
    base = fake.base_url("jsonld", "acme")
    paid = next(p for p in board.postings() if p.salary is not None and p.salary_structured)
    [block] = [b for b in ld_blocks(f"{base}/jobs/{paid.external_id}") if "baseSalary" in b]
    text = json.dumps(json.loads(block))
    assert f'"currency": "{paid.salary.currency}"' in text and '"QuantitativeValue"' in text
    remote = next(p for p in board.postings() if p.workplace == "remote")
    [block] = [b for b in ld_blocks(f"{base}/jobs/{remote.external_id}") if "TELECOMMUTE" in b]
    assert "applicantLocationRequirements" in block


def test_url_identified_postings_are_marked(fake):
    platform = get_platform("jsonld")
    board = fake.board("jsonld", "acme")
    by_url = [p for p in board.postings() if platform.identified_by_url(p)]
    assert by_url
    for p in by_url:
        assert all(
            '"identifier"' not in b
            for b in ld_blocks(f"{fake.base_url('jsonld', 'acme')}/jobs/{p.external_id}")
        )


def test_html_list_and_job_pages(fake):
    board = fake.board("html", "acme")
    base = fake.base_url("html", "acme")
    first = page(f"{base}/jobs")
    items = first.xpath("//li[@class='opening']")
    assert len(items) == 10
    assert [i.get("data-job-id") for i in items] == board.ids()[:10]
    assert items[0].xpath(".//time/@datetime")[0][:4] == "2025"
    assert first.xpath("//a[@rel='next']/@href") == ["?page=2"]
    assert len(page(f"{base}/jobs?page=3").xpath("//li[@class='opening']")) == 3
    p = board.postings()[0]
    job = page(f"{base}/jobs/{p.external_id}")
    assert job.xpath("//h1/text()") == [p.title]
    assert job.xpath("//li[@class='posting-team']/text()") == [p.team]
    assert job.xpath("//div[@class='posting-description']//li")
    js = page(f"{base}/jobs-js")
    assert js.xpath("//li[@class='opening']") == []
    assert len(json.loads(js.xpath("//script[@id='jobs-data']/text()")[0])) == 23


def test_faults_hit_listing_pages_only(fake):
    board = fake.add_board("jsonld", "faulty", size=25, seed=4)
    base = fake.base_url("jsonld", "faulty")
    board.set_fault("http_500", page=1)
    assert fetch(f"{base}/careers")[0] == 200
    assert fetch(f"{base}/careers?page=2")[0] == 500
    assert fetch(f"{base}/sitemaps/jobs-1.xml")[0] == 500  # job sitemap N is listing page N
    assert fetch(f"{base}/jobs/{board.ids()[0]}")[0] == 200
    board.clear_faults()
    board.set_fault("empty")
    assert page(f"{base}/careers").xpath("//p[@class='no-jobs']")
    assert [f for f in sitemap(f"{base}/sitemap.xml").itertext() if "jobs-" in f] == []
