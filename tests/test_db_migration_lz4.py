"""Migration lz4_text: on PostgreSQL, descriptions and the search document are stored
LZ4-compressed whatever writes them (the store, or plain SQL); a downgrade gives the
columns back to the server's default."""

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
COLUMNS = ("description", "description_html", "search_doc")


@pytest.fixture
def pg_engine(empty_pg_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_pg_url)
    yield engine
    engine.dispose()


def stored_compression(engine: Engine) -> set[tuple[str | None, ...]]:
    """The compression methods of the stored postings' large columns."""
    methods = ", ".join(f"pg_column_compression({name})" for name in COLUMNS)
    with engine.connect() as conn:
        return {tuple(row) for row in conn.execute(text(f"SELECT {methods} FROM job_postings"))}


def column_settings(engine: Engine) -> set[str]:
    """The columns' own compression settings ('' for the server's default)."""
    query = (
        "SELECT attcompression FROM pg_attribute WHERE attrelid = 'job_postings'::regclass"
        " AND attname IN ('description', 'description_html', 'search_doc')"
    )
    with engine.connect() as conn:
        return set(conn.execute(text(query)).scalars())


def test_large_text_is_lz4_from_the_store_new_or_changed_and_from_plain_sql(
    pg_engine: Engine,
) -> None:
    migrate(pg_engine)
    crawl(pg_engine, [posting(1, description=LONG, description_html=f"<p>{LONG}</p>")])
    changed = LONG + " changed"  # rewritten through the store's staging table
    crawl(pg_engine, [posting(1, description=changed, description_html=changed)])
    crawl(pg_engine, [posting(2, description="short", description_html="<p>short</p>")])
    with pg_engine.begin() as conn:  # an operator's fix, outside the store
        conn.execute(
            text(
                "UPDATE job_postings SET description = :d, description_html = :d WHERE external_id = '2'"
            ),
            {"d": LONG + " again"},
        )
    assert stored_compression(pg_engine) == {("lz4", "lz4", "lz4")}
    assert column_settings(pg_engine) == {"l"}


def test_downgrade_gives_the_columns_back_to_the_server_default(pg_engine: Engine) -> None:
    migrate(pg_engine)
    alembic(pg_engine, "downgrade", "0011")
    assert column_settings(pg_engine) == {""}
