"""Migration lz4_text: on PostgreSQL, descriptions and the search document of postings
stored after the upgrade are LZ4-compressed, and a downgrade goes back to pglz."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from jobcrawler.db import migrate
from jobcrawler.db.engine import make_engine
from tests.helpers.migrations import alembic
from tests.helpers.store import crawl, posting

pytestmark = pytest.mark.postgres

#: Long enough that PostgreSQL compresses it (values over ~2 KB), the search document too.
LONG = " ".join(f"skill{n}" for n in range(800))


def compression(engine: Engine) -> set[tuple[str | None, ...]]:
    """The compression methods of the stored postings' large columns."""
    query = (
        "SELECT pg_column_compression(description), pg_column_compression(description_html),"
        " pg_column_compression(search_doc) FROM job_postings"
    )
    with engine.connect() as conn:
        return {tuple(row) for row in conn.execute(text(query))}


def store(engine: Engine) -> None:
    crawl(engine, [posting(i, description=LONG, description_html=f"<p>{LONG}</p>") for i in (1, 2)])


@pytest.fixture
def pg_engine(empty_pg_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_pg_url)
    yield engine
    engine.dispose()


def test_postings_stored_after_the_upgrade_use_lz4(pg_engine: Engine) -> None:
    migrate(pg_engine)
    store(pg_engine)
    assert compression(pg_engine) == {("lz4", "lz4", "lz4")}


def test_downgrade_stores_new_postings_with_pglz(pg_engine: Engine) -> None:
    migrate(pg_engine)
    alembic(pg_engine, "downgrade", "0011")
    store(pg_engine)
    # (pglz leaves the search document uncompressed: it saves less than pglz asks for)
    assert {methods[:2] for methods in compression(pg_engine)} == {("pglz", "pglz")}
