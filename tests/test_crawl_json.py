"""End to end for Recruitee, Breezy, Comeet and Workable: what their crawls fill and refuse.

Each crawl is a real process writing to SQLite and PostgreSQL; the database is checked after.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from fakeats import Board
from fakeats.comeet import api_token
from tests.helpers.crawling import Crawl, rows, session, statuses

pytestmark = pytest.mark.usefixtures("db_url")

PLATFORMS = ("recruitee", "breezy", "comeet", "workable")


@pytest.fixture
def crawl(fake_ats, db_url, tmp_path) -> Crawl:
    return Crawl(fake_ats, db_url, tmp_path)


def run(crawl: Crawl, board: Board, **company: str) -> subprocess.CompletedProcess[str]:
    """Crawl company "acme"; Comeet companies also need the board's public token."""
    if board.platform == "comeet":
        company.setdefault("token", api_token(board.token))
    result = crawl.run("acme", **company)
    crawl.check_exit(result, "acme")
    return result


@pytest.mark.parametrize("ats", PLATFORMS)
def test_fields_are_filled(crawl, engine, ats):
    """The lifecycle of every platform is in test_platforms_contract.py."""
    board = crawl.board(ats, "acme", size=30)
    run(crawl, board)
    assert session(engine)["status"] == "succeeded"
    filled = rows(
        engine,
        "SELECT count(title), count(url), count(apply_url), count(location),"
        " count(description), count(posted_at) FROM job_postings",
    )[0]
    assert filled == (30,) * 6


def test_comeet_wrong_token_fails_and_removes_nothing(crawl, engine):
    board = crawl.board("comeet", "acme", size=10)
    run(crawl, board)
    board.remove(4)
    run(crawl, board, token="not-the-token")
    last = session(engine)
    assert last["status"] in ("partial", "failed")
    assert last["removed"] == 0
    assert "HTTP 403" in last["error"]
    assert statuses(engine) == {"active": 10}


def test_workable_per_location_rows_give_one_posting_per_shortcode(crawl, engine):
    board = crawl.board("workable", "acme", size=40)
    postings = board.postings()
    multi = {p.external_id: p.places for p in postings if len(p.places) > 1}
    extra_rows = sum(len(places) - 1 for places in multi.values())
    assert len(multi) >= 2 and extra_rows >= 3  # the board really has duplicate rows
    run(crawl, board)
    first = session(engine)
    assert (first["status"], first["new"], first["items"]) == ("succeeded", 40, 40)
    assert rows(engine, "SELECT count(*), count(DISTINCT external_id) FROM job_postings") == [
        (40, 40)
    ]
    locations = dict(rows(engine, "SELECT external_id, location FROM job_postings"))
    for shortcode, places in multi.items():
        shown = locations[shortcode].split("; ")
        assert len(shown) == len(places), (shortcode, shown)
        for place, text in zip(places, shown, strict=True):
            assert text.endswith(place.country)
            assert place.city is None or text.startswith(place.city)
    [[stats]] = rows(engine, "SELECT stats FROM crawl_sessions ORDER BY id DESC LIMIT 1")
    stats = json.loads(stats) if isinstance(stats, str) else stats
    assert stats["jobcrawler/workable/merged_rows"] == extra_rows

    run(crawl, board)  # merged postings are stable: nothing changes on a recrawl
    again = session(engine)
    assert (again["unchanged"], again["updated"], again["new"]) == (40, 0, 0)
