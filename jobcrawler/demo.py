"""`make demo`: two rounds of real crawls against the fake ATS, into the default database.

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

from sqlalchemy import make_url, text

from jobcrawler.db import database_url, make_engine, migrate
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
#: The fake ATS is local and alone on its host: a quicker host pace than a real ATS gets.
FAST_SETTINGS = ("HOST_DELAY=0.05", "LOG_LEVEL=WARNING")


def run_demo() -> int:
    try:  # the fake ATS is test scaffolding: in a checkout, never in the wheel or the egg
        from fakeats import FakeATS
    except ImportError:
        print("the demo runs from a checkout of jobcrawler: run `make demo` there", file=sys.stderr)
        return 2

    with FakeATS() as fake, tempfile.TemporaryDirectory(prefix="jobcrawler-demo-") as catalog:
        _reset_demo_companies()
        boards = {}
        for slug, ats, size in DEMO_BOARDS:
            boards[slug] = fake.add_board(ats, slug, size=size, seed=7)
            Path(catalog, f"{slug}.yaml").write_text(
                f"name: {slug.removeprefix('demo_').title()} (demo)\nslug: {slug}\n"
                f"ats: {ats}\nboard: {slug}\nbase_url: {fake.base_url(ats, slug)}\n",
                encoding="utf-8",
            )
        shown = make_url(database_url()).render_as_string(hide_password=True)
        print(f"fake ATS on {fake.url}; database {shown}\n")
        print("Round 1: first crawl of every company")
        _crawl(catalog)
        print_report(make_engine())

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
        _crawl(catalog)
        print_report(make_engine())
    return 0


def _crawl(catalog: str) -> None:
    env = {**os.environ, "JOBCRAWLER_COMPANIES_DIR": catalog}
    settings = [arg for setting in FAST_SETTINGS for arg in ("-s", setting)]
    command = [sys.executable, "-m", "jobcrawler", "crawl", "--all", *settings]
    subprocess.run(command, env=env, check=False)


def _reset_demo_companies() -> None:
    """Forget earlier demo runs (only the demo_ companies), so every run tells the same story."""
    engine = make_engine()
    migrate(engine)
    with (
        engine.begin() as conn
    ):  # postings, events, sessions and runs go with it (ON DELETE CASCADE)
        conn.execute(text("DELETE FROM companies WHERE slug LIKE 'demo\\_%' ESCAPE '\\'"))
