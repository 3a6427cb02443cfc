"""`python -m jobcrawler export`: the postings a filter keeps, streamed out as they are read.

One query for the postings and one for their places, both ordered by posting id and read in
chunks of `CHUNK_ROWS` (a server-side cursor on PostgreSQL, fetchmany on SQLite), merged as
they come: memory stays flat however many postings there are. Internal columns (`list_hash`,
`content_hash`, `missing_since`) are not exported.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Engine, select

from jobcrawler.db.content import PLACE_FIELDS, POSTING_FIELDS
from jobcrawler.db.filters import PostingFilter, companies, filtered, postings
from jobcrawler.db.models import PostingLocation

places_table = PostingLocation.__table__
CHUNK_ROWS = 1_000
#: The exported columns, in order; `places` is every place of the posting, primary first.
COLUMNS = (
    "id",
    "company",
    "company_name",
    "external_id",
    *POSTING_FIELDS,
    "status",
    "first_seen_at",
    "last_seen_at",
    "removed_at",
    "places",
)
_SELECTED = [
    postings.c.id,
    companies.c.slug.label("company"),
    companies.c.name.label("company_name"),
    postings.c.external_id,
    *(postings.c[name] for name in COLUMNS[4:-1]),
]

Place = dict[str, str | None]


def _matching(dialect: str, match: PostingFilter, *columns: Any) -> Any:
    query = select(*columns).select_from(
        postings.join(companies, companies.c.id == postings.c.company_id)
    )
    return filtered(query, dialect, match)


def _streamed(conn: Connection, query: Any) -> Iterator[Any]:
    result = conn.execution_options(stream_results=True, yield_per=CHUNK_ROWS).execute(query)
    yield from result


def posting_rows(conn: Connection, match: PostingFilter) -> Iterator[dict[str, Any]]:
    """Each posting `match` keeps, as {column: value} in COLUMNS order, by id.

    Timestamps are aware UTC datetimes, salaries floats, `places` a list of
    {city, region, country, raw}.
    """
    ids = _matching(conn.dialect.name, match, postings.c.id).subquery()
    place_query = (
        select(places_table.c.posting_id, *(places_table.c[f] for f in PLACE_FIELDS))
        .where(places_table.c.posting_id.in_(select(ids.c.id)))
        .order_by(places_table.c.posting_id, places_table.c.position)
    )
    places = _streamed(conn, place_query)
    pending = next(places, None)
    for row in _streamed(
        conn, _matching(conn.dialect.name, match, *_SELECTED).order_by(postings.c.id)
    ):
        posting = dict(row._mapping)
        found: list[Place] = []
        while pending is not None and pending[0] <= posting["id"]:
            if pending[0] == posting["id"]:
                found.append(dict(zip(PLACE_FIELDS, pending[1:], strict=True)))
            pending = next(places, None)
        posting["places"] = found
        yield posting


def export_postings(engine: Engine | None, match: PostingFilter, write: Any) -> int:
    """Hand every posting `match` keeps to `write` (a writer's `write(row)`); the count.

    `engine` None (a database without tables) exports nothing.
    """
    count = 0
    if engine is None:
        return count
    with engine.connect() as conn:
        for row in posting_rows(conn, match):
            write(row)
            count += 1
    return count
