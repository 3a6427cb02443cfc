"""API building blocks without a database: cursors, full-text query text, SQL shape, token."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.dialects import postgresql, sqlite

from jobcrawler.api import cursor
from jobcrawler.api.auth import TOKEN_ENV, require_token
from jobcrawler.api.queries import search
from jobcrawler.db.filters import PostingFilter
from jobcrawler.db.search import fts5_query


def test_cursor_round_trip() -> None:
    at = datetime(2026, 12, 2, 10, 0, 1, 5, tzinfo=UTC)
    token = cursor.encode(at, 42)
    assert "=" not in token and "+" not in token and "/" not in token
    assert cursor.decode(token, datetime, int) == (at, 42)
    assert cursor.decode(cursor.encode(7, 9), int, int) == (7, 9)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not base64!",
        cursor.encode(1),  # one value where two are expected
        cursor.encode("x", 1),  # not a date
        cursor.encode(-1, 2),  # negative id
        cursor.encode(True, 2),  # JSON true is not an id
        cursor.encode(2**63, 2),  # beyond a BIGINT
        "eyJhIjogMX0",  # base64 of a JSON object
    ],
)
def test_bad_cursors_are_refused(token: str) -> None:
    with pytest.raises(cursor.BadCursor):
        cursor.decode(token, int, int)


def test_fts5_query_quotes_every_word() -> None:
    assert fts5_query('data "AND OR" NEAR(x*') == '"data" """AND" "OR""" "NEAR(x*"'
    assert fts5_query("   ") == ""


def test_postgresql_search_uses_the_indexed_expression() -> None:
    sql = str(
        search("postgresql", PostingFilter(q="rust engineer"), "-posted", 20, None).compile(
            dialect=postgresql.dialect()
        )
    )
    # the GIN-indexed generated column of migration 0009, never a recomputed expression
    assert "matched.search_doc @@ websearch_to_tsquery('simple'::regconfig" in sql
    assert "job_postings_fts" not in sql


def test_keyset_page_condition_and_order() -> None:
    after = cursor.encode(datetime(2026, 1, 1, tzinfo=UTC), 5)
    where = PostingFilter(q="chef", city="Berlin", salary_min=50_000)
    query = search("sqlite", where, "-first_seen", 10, after)
    sql = " ".join(str(query.compile(dialect=sqlite.dialect())).split())
    assert "(job_postings.first_seen_at, job_postings.id) < (?, ?)" in sql
    assert "ORDER BY job_postings.first_seen_at DESC, job_postings.id DESC" in sql
    assert "job_postings_fts MATCH" in sql
    assert "lower(posting_locations.city) = lower(?)" in sql
    assert "LIMIT ?" in sql  # limit + 1: the extra row says another page follows


def test_token_guards_state_changing_endpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    app = FastAPI()

    @app.post("/guarded", dependencies=[Depends(require_token)])
    def guarded() -> dict[str, bool]:
        return {"done": True}

    client = TestClient(app)
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    assert client.post("/guarded", headers={"Authorization": "Bearer x"}).status_code == 403
    monkeypatch.setenv(TOKEN_ENV, "s3cret")
    assert client.post("/guarded").status_code == 401
    assert client.post("/guarded", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.post("/guarded", headers={"Authorization": "Bearer s3cret"}).json() == {
        "done": True
    }
