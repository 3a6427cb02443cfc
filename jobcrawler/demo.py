"""`make demo`: two rounds of real crawls against the fake ATS, into the demo's own SQLite
file (`.scrapy/jobcrawler-demo.sqlite3`), or into DATABASE_URL when it is set.

Round one finds every posting new; between rounds the boards change (postings removed,
edited, added) and one board starts failing, so round two shows updates, removals, and a
partial crawl that removes nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import text

from jobcrawler.db import make_engine, migrate
from jobcrawler.db.access import shown
from jobcrawler.db.engine import sqlite_url
from jobcrawler.report import print_report

#: (slug, ats, size): boards the demo serves; slugs are prefixed so they never collide
#: with real companies in the same database.
DEMO_BOARDS = (
    ("demo_acme", "greenhouse", 120),
    ("demo_initech", "greenhouse", 35),
    ("demo_globex", "lever", 260),
    ("demo_hooli", "lever", 80),
    ("demo_umbrella", "ashby", 60),
    ("demo_soylent", "smartrecruiters", 90),
    ("demo_wonka", "teamtailor", 150),
)
#: The demo's database unless DATABASE_URL is set: never the user's default one.
DEMO_SQLITE = "jobcrawler-demo.sqlite3"
#: The fake ATS is local and alone on its host: a quicker host pace than a real ATS gets.
FAST_SETTINGS = ("HOST_DELAY=0.05", "LOG_LEVEL=WARNING")


def run_demo() -> int:
    try:  # the fake ATS is test scaffolding: in a checkout, never in the wheel or the egg
        from fakeats import FakeATS
    except ImportError:
        print("the demo runs from a checkout of jobcrawler: run `make demo` there", file=sys.stderr)
        return 2

    with FakeATS() as fake, tempfile.TemporaryDirectory(prefix="jobcrawler-demo-") as catalog:
        url = demo_database_url()
        _reset_demo_companies(url)
        boards = {}
        for slug, ats, size in DEMO_BOARDS:
            boards[slug] = fake.add_board(ats, slug, size=size, seed=7)
            Path(catalog, f"{slug}.yaml").write_text(
                f"name: {slug.removeprefix('demo_').title()} (demo)\nslug: {slug}\n"
                f"ats: {ats}\nboard: {slug}\nbase_url: {fake.base_url(ats, slug)}\n",
                encoding="utf-8",
            )
        print(f"fake ATS on {fake.url}; database {shown(url)}\n")
        print("Round 1: first crawl of every company")
        _crawl(catalog, url)
        print_report(make_engine(url))

        boards["demo_acme"].remove(4)
        boards["demo_acme"].change(6)
        boards["demo_acme"].add(10)
        boards["demo_globex"].remove(3)
        boards["demo_globex"].set_fault("http_500", page=1)
        boards["demo_umbrella"].change(2)
        boards["demo_soylent"].change(3)
        print(
            "\nRound 2: acme lost 4, changed 6, gained 10; globex lost 3 but its second"
            " page fails (HTTP 500), so nothing of it is removed; umbrella changed 2;"
            " soylent changed 3 (only those 3 detail pages are fetched)"
        )
        _crawl(catalog, url)
        print_report(make_engine(url))
    print(
        "\nBrowse it: .venv/bin/python -m jobcrawler serve --demo, then open"
        " http://127.0.0.1:8000/dashboard/ (the API: http://127.0.0.1:8000/docs)"
    )
    return 0


def demo_database_url() -> str:
    """DATABASE_URL if given (the user chose it), else the demo's own SQLite file."""
    return os.environ.get("DATABASE_URL") or sqlite_url(DEMO_SQLITE)


def _crawl(catalog: str, url: str) -> None:
    env = {**os.environ, "JOBCRAWLER_COMPANIES_DIR": catalog, "DATABASE_URL": url}
    settings = [arg for setting in FAST_SETTINGS for arg in ("-s", setting)]
    command = [sys.executable, "-m", "jobcrawler", "crawl", "--all", *settings]
    subprocess.run(command, env=env, check=False)


def _reset_demo_companies(url: str) -> None:
    """Forget earlier demo runs (only the demo_ companies), so every run tells the same story."""
    engine = make_engine(url)
    migrate(engine)
    with (
        engine.begin() as conn
    ):  # postings, events, sessions and runs go with it (ON DELETE CASCADE)
        conn.execute(text("DELETE FROM companies WHERE slug LIKE 'demo\\_%' ESCAPE '\\'"))
