"""The events feed behind `/changes`: every posting event once, in an order that never
lets a late commit slip behind a client's cursor.

Event ids come from a sequence, but transactions commit out of order: a feed of
`id > cursor` could pass id 101 (committed) while id 100 (still in flight) appears later.
So the feed's order is (txid, id), where `txid` is the id of the transaction that wrote the
event (a column default on PostgreSQL, so the COPY path fills it), and it serves only events
of transactions older than the oldest one still running (`pg_snapshot_xmin`): every
transaction that commits later has a txid at least that high, hence sorts after anything
served. The price is lag while a write transaction stays open; the store's transactions
are one batch each. Chosen over a time-based safety lag (which is a guess, and wrong under
a slow commit) and over a separate commit log (a second write per event on the hot path).

SQLite has one writer at a time and ids are handed out in commit order, so txid is 0 and
the order is the id's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic_core import to_json
from sqlalchemy import (
    BigInteger,
    Connection,
    Text,
    case,
    cast,
    func,
    literal_column,
    select,
    tuple_,
    type_coerce,
)

from jobcrawler.api import cursor
from jobcrawler.api.queries import LIST_COLUMNS
from jobcrawler.db.models import Company, JobEvent, JobPosting, UTCDateTime

events = JobEvent.__table__
postings = JobPosting.__table__
companies = Company.__table__

#: Events whose posting is carried whole: a mirror learns the posting from them.
CARRY_POSTING = ("created", "reopened")
#: The posting's columns a carried posting holds (the description too: a mirror keeps it).
CARRIED = (*(c for c in LIST_COLUMNS if c != "id"), "description")
EVENT_FIELDS = ("id", "posting_id", "session_id", "kind", "at", "changes", "company",
                "external_id")  # fmt: skip
#: The oldest running transaction's id, as the txid column stores it.
PG_HORIZON = literal_column("(pg_snapshot_xmin(pg_current_snapshot())::text)::bigint")


def changes_page(conn: Connection, after: str | None, limit: int) -> bytes:
    """The JSON body of up to `limit` events after cursor `after` (None: from the first),
    with the cursor to pass next (the same one when there is nothing new yet).
    Raises cursor.BadCursor.

    On PostgreSQL the server renders each event's JSON in the query: a 1,000-event page
    carries megabytes of descriptions, and parsing rows into Python values only to write
    them out again was most of its time (`make bench`). Both paths give what the response
    model `schemas.ChangesPage` would (a test compares them)."""
    txid, last_id = cursor.decode(after, int, int) if after else (0, 0)
    postgres = conn.dialect.name == "postgresql"
    query = (
        select(events.c.id, events.c.txid, *(_rendered() if postgres else _columns()))
        .join(postings, postings.c.id == events.c.posting_id)
        .join(companies, companies.c.id == postings.c.company_id)
        .where(tuple_(events.c.txid, events.c.id) > tuple_(txid, last_id))
        .order_by(events.c.txid, events.c.id)
        .limit(limit)
    )
    if postgres:
        query = query.where(events.c.txid < PG_HORIZON)
    rows = conn.execute(query).mappings().all()
    position = (rows[-1]["txid"], rows[-1]["id"]) if rows else (txid, last_id)
    tail = to_json({"next": cursor.encode(*position), "more": len(rows) == limit})
    if postgres:
        items = ",".join(row["event"] for row in rows).encode()
    else:
        items = to_json([_event(row) for row in rows])[1:-1]
    return b'{"events":[' + items + b"]," + tail[1:]


def _columns() -> list[Any]:
    return [
        events.c.posting_id,
        events.c.session_id,
        events.c.kind,
        events.c.at,
        events.c.changes,
        companies.c.slug.label("company"),
        *(postings.c[name] for name in CARRIED),
    ]


def _rendered() -> list[Any]:
    """The event as JSON text, built by PostgreSQL (times as pydantic writes them)."""
    columns = {column.name: column for column in _columns()}
    posting = {"id": events.c.posting_id, "company": columns["company"], **{
        name: columns[name] for name in CARRIED}}  # fmt: skip
    event = {name: columns[name] for name in EVENT_FIELDS if name != "id"}
    carried = case((events.c.kind.in_(CARRY_POSTING), _json_object(posting)))
    body = _json_object({"id": events.c.id, **event, "posting": carried})
    return [cast(body, Text).label("event")]


def _json_object(fields: Mapping[str, Any]) -> Any:
    pairs = []
    for name, column in fields.items():
        value = _utc_text(column) if isinstance(column.type, UTCDateTime) else column
        pairs += [literal_column(f"'{name}'"), value]
    return func.json_build_object(*pairs)


def _utc_text(column: Any) -> Any:
    """ISO 8601 in UTC with a Z, microseconds only when there are any: pydantic's form."""
    utc = func.timezone("UTC", column)
    whole = func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS')
    fraction = case(
        (cast(func.date_part("microseconds", column), BigInteger) % 1_000_000 == 0, ""),
        else_=func.to_char(utc, ".US"),
    )
    return type_coerce(whole + fraction + "Z", Text)


def _event(row: Mapping[str, Any]) -> dict[str, Any]:
    """The event, with the posting as it is now on `created` and `reopened` (read in the
    same statement as the event)."""
    event = {name: row[name] for name in EVENT_FIELDS}
    if row["kind"] in CARRY_POSTING:
        posting = {name: row[name] for name in CARRIED}
        event["posting"] = {**posting, "id": row["posting_id"], "company": row["company"]}
    else:
        event["posting"] = None
    return event
