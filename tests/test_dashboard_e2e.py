"""The dashboard in real headless Chromium (Debian's /usr/bin/chromium, driven by
Playwright) against a real `serve` process, on a database filled by the real demo crawl:
the overview, a company chart and the search pages render with the demo's data, every
request stays on the local server, and no page logs an error. Each test saves screenshots
under its tmp_path and names them in its assertion messages."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import text

from jobcrawler.db import make_engine
from tests.helpers.api import ROOT, serve_process
from tests.helpers.scrapyd_nodes import session_egg

pytestmark = pytest.mark.e2e
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database filled by `python -m jobcrawler demo`, as a new user fills one."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    demo = subprocess.run(
        [sys.executable, "-m", "jobcrawler", "demo"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-3000:]
    return url


@pytest.fixture(scope="module")
def base(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_process(demo_url, tmp_path_factory.mktemp("serve")) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@dataclass
class Visit:
    """A browser page and what it did: every request URL, console errors, screenshots."""

    page: Page
    shots: Path
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def shot(self, name: str) -> str:
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=path, full_page=True)
        return f"screenshot {path}"

    def check_clean(self, shot: str) -> None:
        far = [u for u in self.requests if urlsplit(u).hostname != "127.0.0.1"]
        assert not far, f"requests off the local server: {far}; {shot}"
        assert not self.errors, f"console errors: {self.errors}; {shot}"


def visit(browser: Browser, tmp_path: Path, *, javascript: bool = True) -> Visit:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    seen = Visit(context.new_page(), tmp_path)
    seen.page.on("request", lambda request: seen.requests.append(request.url))
    seen.page.on(
        "console", lambda msg: seen.errors.append(msg.text) if msg.type == "error" else None
    )
    seen.page.on("pageerror", lambda exc: seen.errors.append(str(exc)))
    seen.page.on("requestfailed", lambda request: seen.errors.append(f"failed {request.url}"))
    return seen


def scalar(url: str, sql: str, **params: Any) -> Any:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar_one()
    finally:
        engine.dispose()


def active_postings(url: str, slug: str) -> int:
    return scalar(
        url,
        "SELECT count(*) FROM job_postings p JOIN companies c ON c.id = p.company_id"
        " WHERE c.slug = :slug AND p.status = 'active'",
        slug=slug,
    )


def acme_events(url: str, kind: str) -> int:
    return scalar(
        url,
        "SELECT count(*) FROM job_events e JOIN job_postings p ON p.id = e.posting_id"
        " JOIN companies c ON c.id = p.company_id WHERE c.slug = 'demo_acme' AND e.kind = :kind",
        kind=kind,
    )


def test_overview_shows_every_demo_company(
    browser: Browser, base: str, demo_url: str, tmp_path: Path
) -> None:
    seen = visit(browser, tmp_path)
    response = seen.page.goto(f"{base}/")
    shot = seen.shot("overview")
    assert response and response.ok and seen.page.url == f"{base}/dashboard/", shot
    rows = seen.page.locator("table.companies tbody tr")
    assert rows.count() == scalar(demo_url, "SELECT count(*) FROM companies") >= 7, shot
    for slug in ("demo_acme", "demo_globex", "demo_wonka"):
        row = rows.filter(has_text=slug)
        active = row.locator("td.num").first.inner_text()
        assert int(active) == active_postings(demo_url, slug), f"{slug}; {shot}"
    globex = rows.filter(has_text="demo_globex")
    assert "partial" in globex.inner_text() and "HTTP 500" in globex.inner_text(), shot
    acme_new, acme_removed = rows.filter(has_text="demo_acme").locator("td.num").all()[1:]
    counts = (int(acme_new.inner_text()), int(acme_removed.inner_text()))
    assert counts == (acme_events(demo_url, "created"), acme_events(demo_url, "removed")), shot
    assert counts[0] > 100 and counts[1] > 0, shot  # the demo's round 2 removed some
    styled = seen.page.eval_on_selector("header", "e => getComputedStyle(e).backgroundColor")
    assert styled != "rgba(0, 0, 0, 0)", f"stylesheet not applied; {shot}"
    seen.check_clean(shot)


def test_company_chart_draws_the_demo_history(
    browser: Browser, base: str, demo_url: str, tmp_path: Path
) -> None:
    seen = visit(browser, tmp_path)
    seen.page.goto(f"{base}/dashboard/")
    seen.page.click("text=Acme (demo)")
    shot = seen.shot("company")
    assert seen.page.url.endswith("/dashboard/companies/demo_acme"), shot
    chart = seen.page.locator("svg.chart")
    box = chart.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 200, shot

    def marks(kind: str) -> list[int]:
        found = chart.locator(f"{kind}")
        return [int(m.get_attribute("data-count") or -1) for m in found.all()]

    active = marks("circle.active")
    assert len(active) == 90 and active[-1] == active_postings(demo_url, "demo_acme"), shot
    assert active[:-1] == [0] * 89, shot  # the demo crawled today only
    new, removed = acme_events(demo_url, "created"), acme_events(demo_url, "removed")
    assert marks("rect.new") == [new] and marks("rect.removed") == [removed], shot
    bar = chart.locator("rect.new").bounding_box()
    assert bar and bar["height"] > 20, f"new postings bar not drawn; {shot}"
    sessions = seen.page.locator("table.sessions tbody tr")
    assert sessions.count() == 2 and "succeeded" in sessions.first.inner_text(), shot
    seen.check_clean(shot)


def test_search_pages_without_javascript(browser: Browser, base: str, tmp_path: Path) -> None:
    seen = visit(browser, tmp_path, javascript=False)
    seen.page.goto(f"{base}/dashboard/postings")
    seen.page.fill("input[name=company]", "demo_globex")
    seen.page.select_option("select[name=sort]", "first_seen")
    seen.page.click("button[type=submit]")
    first_shot = seen.shot("search")
    first = seen.page.locator("a.posting").all_inner_texts()
    assert len(first) == 25, first_shot
    assert "company=demo_globex" in seen.page.url, first_shot
    first_links = seen.page.locator("a.posting").evaluate_all("a => a.map(x => x.href)")
    seen.page.click("a.next")
    shot = seen.shot("search-next")
    second = seen.page.locator("a.posting").evaluate_all("a => a.map(x => x.href)")
    assert len(second) == 25 and set(second).isdisjoint(first_links), f"{first_shot}; {shot}"
    assert seen.page.input_value("input[name=company]") == "demo_globex", shot
    seen.page.click("text=First page")
    assert seen.page.locator("a.posting").all_inner_texts() == first, shot
    title = first[0]
    seen.page.click("a.posting >> nth=0")
    posting_shot = seen.shot("posting")
    assert seen.page.locator("h1").inner_text() == title, posting_shot
    assert "created" in seen.page.locator("table.events").inner_text(), posting_shot
    seen.check_clean(posting_shot)


def test_templates_and_stylesheet_load_from_the_egg(tmp_path: Path) -> None:
    """The scrapyd egg is a zip: the pages render from it through importlib.resources."""
    code = (
        "import jobcrawler, sys\n"
        "from fastapi.testclient import TestClient\n"
        "from jobcrawler.api.app import create_app\n"
        "from jobcrawler.db import make_engine, migrate\n"
        f"engine = make_engine('sqlite:///{tmp_path / 'egg.sqlite3'}'); migrate(engine)\n"
        "client = TestClient(create_app(engine))\n"
        "print(jobcrawler.__file__)\n"
        "for path in ('/dashboard/', '/dashboard/postings', '/dashboard/static/dashboard.css'):\n"
        "    print(path, client.get(path).status_code)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(session_egg())}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    where, *pages = result.stdout.splitlines()
    assert ".egg" in where, where
    assert pages == [
        "/dashboard/ 200",
        "/dashboard/postings 200",
        "/dashboard/static/dashboard.css 200",
    ]
