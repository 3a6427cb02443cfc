"""Set-based statements on job_postings / job_events / posting_locations: no per-posting
round trips.

All run inside the caller's transaction. PostgreSQL writes postings, events and places
through COPY (`pgcopy`), SQLite through one `executemany`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.dialects import sqlite

from jobcrawler.db import pgcopy
from jobcrawler.db.content import PLACE_FIELDS, POSTING_FIELDS, Place
from jobcrawler.db.models import JobEvent, JobPosting, PostingLocation

WRITE_COLUMNS = ("external_id", *POSTING_FIELDS, "content_hash", "list_hash")
PLACE_COLUMNS = ("posting_id", "position", *PLACE_FIELDS)
CHUNK = 5000  # ids per IN (...) list, well below SQLite's 32766 bound parameters

postings = JobPosting.__table__
events = JobEvent.__table__
places = PostingLocation.__table__


def chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def update_postings(conn: Connection, ids: Sequence[int], **values: Any) -> None:
    """One UPDATE … WHERE id IN (…) per CHUNK ids."""
    for chunk in chunks(ids):
        conn.execute(update(postings).where(postings.c.id.in_(chunk)).values(**values))


def set_list_hashes(conn: Connection, rows: Sequence[tuple[int, str]], now: datetime) -> None:
    """Store new list hashes of postings whose content did not change; one executemany."""
    if rows:
        stmt = (
            update(postings)
            .where(postings.c.id == bindparam("pid"))
            .values(list_hash=bindparam("hash"), last_seen_at=now, missing_since=None)
        )
        conn.execute(stmt, [{"pid": pid, "hash": value} for pid, value in rows])


def posting_contents(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """{id: {field: value}} of the POSTING_FIELDS, e.g. old values before an update."""
    columns = [postings.c[f] for f in POSTING_FIELDS]
    contents: dict[int, dict[str, Any]] = {}
    for chunk in chunks(ids):
        query = select(postings.c.id, *columns).where(postings.c.id.in_(chunk))
        contents.update((row.id, row._asdict()) for row in conn.execute(query))
    return contents


def posting_ids(conn: Connection, company_id: int, external_ids: Sequence[str]) -> dict[str, int]:
    """{external_id: id} of a company's stored postings."""
    ids: dict[str, int] = {}
    for start in range(0, len(external_ids), CHUNK):
        chunk = external_ids[start : start + CHUNK]
        query = select(postings.c.external_id, postings.c.id).where(
            postings.c.company_id == company_id, postings.c.external_id.in_(chunk)
        )
        ids.update((external_id, posting_id) for external_id, posting_id in conn.execute(query))
    return ids


def write_postings(
    conn: Connection,
    company_id: int,
    new: Sequence[dict[str, Any]],
    changed: Sequence[dict[str, Any]],
    now: datetime,
) -> dict[str, int]:
    """Insert the `new` rows, overwrite the `changed` ones; all become active, seen `now`.

    Rows hold WRITE_COLUMNS. Returns {external_id: id} of the new rows. On PostgreSQL a
    `new` row already stored is refused (unique violation) rather than overwritten.
    """
    if conn.dialect.name == "postgresql":
        ids = pgcopy.insert_postings(conn, company_id, WRITE_COLUMNS, new, now) if new else {}
        if changed:
            pgcopy.upsert_postings(conn, company_id, WRITE_COLUMNS, changed, now)
        return ids
    rows = [*new, *changed]
    if not rows:
        return {}
    stmt = sqlite.insert(postings)
    overwrite = {c: stmt.excluded[c] for c in WRITE_COLUMNS if c != "external_id"}
    overwrite |= {"status": "active", "removed_at": None, "missing_since": None}
    stmt = stmt.on_conflict_do_update(
        index_elements=["company_id", "external_id"],
        set_={**overwrite, "last_seen_at": stmt.excluded.last_seen_at},
    ).returning(postings.c.id, postings.c.external_id)
    extra = {"company_id": company_id, "first_seen_at": now, "last_seen_at": now}
    result = conn.execute(stmt, [{**row, **extra} for row in rows])
    return {external_id: posting_id for posting_id, external_id in result}


def insert_events(
    conn: Connection,
    session_id: int,
    at: datetime,
    rows: Sequence[tuple[int, str, dict[str, Any] | None]],
) -> None:
    """(posting_id, kind, changes) rows: one COPY on PostgreSQL, one executemany on SQLite."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        pgcopy.insert_events(conn, session_id, at, rows)
        return
    params = [
        {"posting_id": pid, "session_id": session_id, "kind": kind, "at": at, "changes": c}
        for pid, kind, c in rows
    ]
    conn.execute(insert(events), params)


def posting_places(conn: Connection, ids: Sequence[int]) -> dict[int, list[Place]]:
    """{id: places in position order} of the postings that have places stored."""
    found: dict[int, list[Place]] = {}
    columns = [places.c[f] for f in PLACE_FIELDS]
    for chunk in chunks(ids):
        query = (
            select(places.c.posting_id, *columns)
            .where(places.c.posting_id.in_(chunk))
            .order_by(places.c.posting_id, places.c.position)
        )
        for posting_id, *place in conn.execute(query):
            found.setdefault(posting_id, []).append(tuple(place))  # type: ignore[arg-type]
    return found


def write_places(
    conn: Connection, by_posting: Mapping[int, Sequence[Place]], replace: Sequence[int]
) -> None:
    """Store each posting's places, primary first; those of the `replace` postings are
    deleted first. One COPY on PostgreSQL, one executemany on SQLite."""
    for chunk in chunks(replace):
        conn.execute(delete(places).where(places.c.posting_id.in_(chunk)))
    rows = [
        (posting_id, position, *place)
        for posting_id, places_of_posting in by_posting.items()
        for position, place in enumerate(places_of_posting)
    ]
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        pgcopy.copy_rows(conn, "posting_locations", PLACE_COLUMNS, rows)
    else:
        conn.execute(insert(places), [dict(zip(PLACE_COLUMNS, row, strict=True)) for row in rows])
