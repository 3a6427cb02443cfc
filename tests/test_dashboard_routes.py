"""The dashboard's pages in process (FastAPI's TestClient): what they show, hostile text
escaped, an empty database, and the chart's numbers for a known history."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from jobcrawler.api.app import create_app
from jobcrawler.dashboard import routes
from jobcrawler.db.models import CrawlSession
from jobcrawler.db.store import CompanyRecord
from tests.helpers.dashboard import KNOWN_DAYS, chart_marks, known_history
from tests.helpers.store import crawl, posting

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine, {"acme": "0 3 * * *"})) as client:
        yield client


def page(client: TestClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_empty_database_says_no_crawls_yet(client: TestClient) -> None:
    assert "No crawls yet" in page(client, "/dashboard/")
    assert "No postings match" in page(client, "/dashboard/postings")
    assert "No company" in page(client, "/dashboard/companies/acme", 404)
    assert "No posting 7" in page(client, "/dashboard/postings/7", 404)
    assert client.get("/", follow_redirects=False).headers["location"] == "/dashboard/"


def test_overview_lists_every_company_with_its_week(engine: Engine, client: TestClient) -> None:
    known_history(engine, datetime.now(UTC).date())
    other = CompanyRecord(slug="other", name="Other Co", ats="lever", board="other")
    crawl(engine, [posting(1)], company=other, complete=False, items_scraped=0)
    html = page(client, "/dashboard/")
    acme = _row(html, "acme")
    assert re.findall(r'class="num">(\d+)<', acme) == ["6", "1", "1"]  # active, new, removed
    assert "succeeded" in acme and re.search(r"\d{4}-\d\d-\d\d 03:00 UTC", acme)  # next due
    other_row = _row(html, "other")
    assert "partial" in other_row and "listing page 3 failed" in other_row
    assert "not scheduled" in other_row


def test_overview_pages_through_companies(
    engine: Engine, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes, "COMPANIES_PAGE", 2)
    for slug in ("a", "b", "c"):
        crawl(engine, [posting(1)], company=CompanyRecord(slug, slug.upper(), "lever", slug))
    first = page(client, "/dashboard/")
    following = re.search(r'rel="next" href="([^"]+)"', first)
    assert following and "/companies/b" in first and "/companies/c" not in first
    second = page(client, following.group(1))
    assert "/companies/c" in second and "/companies/a" not in second
    assert 'rel="next"' not in second


def test_company_chart_shows_the_known_history(engine: Engine, client: TestClient) -> None:
    today = datetime.now(UTC).date()
    known_history(engine, today)
    html = page(client, "/dashboard/companies/acme")

    def day(days_ago: int) -> str:
        return (today - timedelta(days=days_ago)).isoformat()

    active = chart_marks(html, "active")
    assert len(active) == 90 and active[day(0)] == 6 and active[day(89)] == 0
    assert {active[day(n)] for n in KNOWN_DAYS} == {5, 6}
    assert [active[day(n)] for n in (11, 10, 5, 4, 0)] == [0, 5, 6, 5, 6]
    assert chart_marks(html, "new") == {day(10): 5, day(8): 1, day(0): 1}
    assert chart_marks(html, "removed") == {day(8): 1, day(2): 1}
    assert html.count("<tr><td>20") == 5  # the table of days with changes
    assert html.count("<td>succeeded") + html.count("succeeded</span>") >= 5  # sessions


def test_hostile_text_is_escaped(engine: Engine, client: TestClient) -> None:
    evil = CompanyRecord(slug="evil", name=HOSTILE, ats="lever", board="evil")
    crawl(
        engine,
        [posting(1, title=HOSTILE, location=HOSTILE, url="javascript:alert(1)",
                 description=HOSTILE)],
        company=evil,
    )  # fmt: skip
    with engine.begin() as conn:
        conn.execute(update(CrawlSession.__table__).values(error=HOSTILE))
    pages = [
        page(client, "/dashboard/"),
        page(client, "/dashboard/companies/evil"),
        page(client, "/dashboard/postings?company=evil"),
        page(client, "/dashboard/postings/1"),
        page(client, f"/dashboard/postings?company={HOSTILE}"),
    ]
    for html in pages:
        assert "<script" not in html
        assert "javascript:" not in html.replace("javascript:alert(1)</dd>", "")
    assert all("&lt;script&gt;alert(1)&lt;/script&gt;" in html for html in pages)


def test_search_pages_follow_the_cursor(engine: Engine, client: TestClient) -> None:
    crawl(engine, [posting(i, title=f"Rust Engineer {i}") for i in range(30)])
    crawl(engine, [posting(99, title="Chef")], company=CompanyRecord("other", "O", "lever", "o"))
    first = page(client, "/dashboard/postings?q=rust&company=acme&sort=first_seen")
    titles = re.findall(r'class="posting" href="/dashboard/postings/\d+">([^<]+)<', first)
    assert len(titles) == 25
    following = re.search(r'rel="next" class="next" href="([^"]+)"', first)
    assert following, first
    second = page(client, following.group(1).replace("&amp;", "&"))
    titles += re.findall(r'class="posting" href="/dashboard/postings/\d+">([^<]+)<', second)
    assert sorted(titles) == sorted(f"Rust Engineer {i}" for i in range(30))
    assert 'rel="next"' not in second and "First page" in second
    assert 'value="rust"' in second  # the form stays filled in


def test_search_form_names_bad_fields(client: TestClient) -> None:
    html = page(client, "/dashboard/postings?country=Deutschland&salary_min=lots&after=junk")
    assert "country: 2 letters" in html and "salary_min: a whole number" in html
    assert "out of date" in page(client, "/dashboard/postings?after=junk")


def test_posting_page_shows_its_history(engine: Engine, client: TestClient) -> None:
    crawl(engine, [posting(1)])
    crawl(engine, [posting(1, title="Senior Engineer 1")])
    html = page(client, "/dashboard/postings/1")
    assert "Senior Engineer 1" in html and "created" in html and "updated" in html
    assert "Engineer 1 → Senior Engineer 1" in html
    assert 'href="https://jobs.example.com/1"' in html


def test_stylesheet_is_served_from_the_package(client: TestClient) -> None:
    response = client.get("/dashboard/static/dashboard.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")
    assert "svg.chart" in response.text
    assert client.get("/dashboard/static/favicon.svg").headers["content-type"] == "image/svg+xml"
    assert client.get("/dashboard/static/pages.py").status_code == 404


def test_dashboard_is_not_in_the_api_description(client: TestClient) -> None:
    assert not [p for p in client.get("/openapi.json").json()["paths"] if "dashboard" in p]


def _row(html: str, slug: str) -> str:
    match = re.search(rf'<tr>\s*<td><a href="/dashboard/companies/{slug}">.*?</tr>', html, re.S)
    assert match, html
    return match.group(0)
