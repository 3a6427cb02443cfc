"""End to end: a posting listed in several places is stored with all of them, by real
`scrapy crawl` processes against the fake ATS, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from jobcrawler.db.models import JobPosting
from jobcrawler.db.places import in_place
from tests.helpers.crawling import Crawl, run

pytestmark = pytest.mark.usefixtures("db_url")


@pytest.fixture
def crawl(fake_ats, db_url, tmp_path) -> Crawl:
    return Crawl(fake_ats, db_url, tmp_path)


def stored_places(engine) -> dict[str, list[tuple[str | None, str | None]]]:
    query = text(
        "SELECT p.external_id, l.city, l.country FROM posting_locations l"
        " JOIN job_postings p ON p.id = l.posting_id ORDER BY p.external_id, l.position"
    )
    found: dict[str, list[tuple[str | None, str | None]]] = {}
    with engine.connect() as conn:
        for external_id, city, country in conn.execute(query):
            found.setdefault(external_id, []).append((city, country))
    return found


@pytest.mark.parametrize("ats", ["lever", "greenhouse", "workday", "personio", "workable"])
def test_every_place_is_stored_and_found(crawl, engine, ats):
    board = crawl.board(ats, "acme", size=25)
    result = run(crawl, board)
    assert result.returncode == 0, result.stderr[-3000:]
    stored = stored_places(engine)
    listed = {
        p.external_id: p for p in board.postings() if p.external_id in set(crawl.listed_ids(board))
    }
    for external_id, posting in listed.items():
        places = stored.get(external_id, [])
        cities = {city for city, _ in places}
        assert {place.city for place in posting.places if place.city} <= cities, external_id
        assert {country for _, country in places} <= {p.country_code for p in posting.places}
    several = [p for p in listed.values() if len({pl.city for pl in p.places} - {None}) > 1]
    assert several, "the board has postings in several cities"
    with engine.connect() as conn:
        for posting in several:
            other = posting.places[-1]
            query = in_place(select(JobPosting.external_id), city=other.city or "")
            assert posting.external_id in set(conn.scalars(query))

    again = run(crawl, board)
    assert again.returncode == 0, again.stderr[-3000:]
    with engine.connect() as conn:
        updated = conn.execute(
            text("SELECT updated_count FROM crawl_sessions ORDER BY id DESC LIMIT 1")
        ).scalar_one()
    assert updated == 0
    assert stored_places(engine) == stored
